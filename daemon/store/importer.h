#pragma once
// The NDJSON importer behind `spiegeld import` (docs/import.md). Reads one
// record per line from a file descriptor as a stream, validates each line
// against the record contract (records.md) and upserts the good ones through
// one SourceDb::Writer, so an import is all-or-nothing: nothing is visible
// before the final commit, and a crash or kill leaves the database as it was.
//
// Rejected lines are reported as "NAME:LINE: reason"; the reason never
// contains the line or any value from it (personal data). Not thread-safe:
// one Importer per thread, on its own SourceDb. Internally the calling thread
// reads and validates while one worker thread writes (batches of lines, a
// bounded queue); the reporter is only called on the calling thread, and the
// SourceDb must not be used by anyone else while run() is in progress.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "daemon/model/schema.h"
#include "daemon/store/record_writer.h"
#include "daemon/store/source_db.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

// records.md: a line longer than 1 MiB is rejected without being parsed.
inline constexpr std::size_t k_max_line_bytes = 1024 * 1024;

struct ImportSettings {
    model::Kind kind = model::Kind::cv;
    bool strict = false;      // any rejected line aborts the import, nothing written
    std::string source_name;  // shown in messages: the file as given, or "<stdin>"
    std::size_t max_line_bytes = k_max_line_bytes;  // excluding the "\n" or "\r\n"
    std::size_t batch_lines = 256;                  // lines per batch handed to the writing thread
    std::chrono::milliseconds progress_interval{2000};
};

struct ImportResult {
    std::int64_t read = 0;      // non-blank lines
    std::int64_t imported = 0;  // records committed (0 when a strict import aborted)
    std::int64_t rejected = 0;
    bool committed = false;  // false: nothing was written
};

// Callbacks for what the importer has to say while it runs. Both optional.
struct ImportReporter {
    // One complete "NAME:LINE: reason" message per rejected line.
    std::function<void(std::string_view message)> rejected;
    // Called about every progress_interval with the lines read so far.
    std::function<void(std::int64_t lines, double lines_per_second)> progress;
};

class Importer {
  public:
    // target: the SQLite SourceDb or a PostgreSQL PgTarget.
    Importer(RecordTarget& target, ImportSettings settings, ImportReporter reporter = {});

    // Imports every line readable from `fd` (not closed). Rejections are
    // counted and reported, not errors; the error is a fatal problem (read
    // failure, database failure) after which nothing was written.
    util::Expected<ImportResult> run(int fd);

    // Opens `path` and runs; an unopenable file is an error naming it.
    util::Expected<ImportResult> run_file(const std::string& path);

  private:
    RecordTarget& m_db;
    ImportSettings m_settings;
    ImportReporter m_reporter;
};

}  // namespace spiegel::store
