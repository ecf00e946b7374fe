#pragma once
// The source database: one table per record kind (docs/source-schema.md).
// Scans read it in keyset chunks, each chunk its own short read; the importer
// and the demo generator write it in one transaction. One SourceDb per thread.
//
// Change tracking: every row carries change_seq. Writers through this class
// stamp rows with a fresh sequence value per transaction; triggers stamp rows
// written directly by an ETL job, and deletions leave a tombstone, so an
// incremental scan sees every change after the sequence value it last saw.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daemon/engine/record_stream.h"
#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/model/schema.h"
#include "daemon/store/record_writer.h"
#include "daemon/store/write_transaction.h"
#include "daemon/util/expected.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace spiegel::store {

// The DDL of the source database, as documented in docs/source-schema.md.
std::string source_schema_sql();

inline constexpr int k_source_schema_version = 1;

// Where a chunked read continues. Full reads go by row id; change reads go by
// (change_seq, row id) so that a chunk boundary never skips a row.
struct Cursor {
    std::int64_t change_seq = 0;
    std::int64_t row = 0;
};

struct ChunkQuery {
    model::Kind kind = model::Kind::cv;
    bool changes_only = false;     // only rows with change_seq > since_seq
    std::int64_t since_seq = 0;
    std::size_t limit = 2000;
    // Slots to read; empty = all. Unread fields are null.
    std::vector<bool> wanted;
    // When set, a row whose stored result it calls reusable is returned
    // undecoded (model::Record::reused; engine::RecordStream::set_reuse).
    engine::ReuseCheck* reuse = nullptr;
};

class SourceDb final : public RecordTarget {
public:
    enum class Mode { read_only, read_write };

    // Opens path; in read_write mode creates the file and schema when absent.
    // A read_only open of a missing file is an error.
    static util::Expected<std::unique_ptr<SourceDb>> open(const std::string& path, Mode mode);
    ~SourceDb() override;
    SourceDb(const SourceDb&) = delete;
    SourceDb& operator=(const SourceDb&) = delete;

    // Reads up to query.limit records after `cursor` into `out` (appended),
    // with their values in `arena`, and moves the cursor past them. Returns
    // the number read; 0 means the end. Unreadable stored values become
    // FieldIssues, never errors.
    util::Expected<std::size_t> read_chunk(const ChunkQuery& query, Cursor& cursor,
                                           model::Arena& arena, std::vector<model::Record>& out);

    // Highest change_seq handed out so far.
    util::Expected<std::int64_t> current_change_seq();
    util::Expected<std::int64_t> count(model::Kind kind);
    // Ids deleted after since_seq (from the tombstone table).
    util::Expected<std::vector<std::string>> deleted_since(model::Kind kind, std::int64_t since_seq);
    // All ids of a kind, sorted (used by full scans to reconcile deletions).
    util::Expected<std::vector<std::string>> all_ids(model::Kind kind);

    // A write transaction (BEGIN IMMEDIATE). Destroying it without commit()
    // rolls back, so a failed or interrupted import leaves nothing behind.
    class Writer {
    public:
        util::Status upsert(const model::Record& record);
        util::Status commit();
        std::int64_t change_seq() const { return m_seq; }

    private:
        friend class SourceDb;
        Writer(SourceDb& db, WriteTransaction tx, std::int64_t seq);
        SourceDb* m_db;
        WriteTransaction m_tx;
        std::int64_t m_seq;
        std::string m_buf;
    };
    util::Expected<Writer> begin_write();
    // RecordTarget: a Writer behind the abstract interface.
    util::Expected<std::unique_ptr<RecordWriter>> begin_records() override;
    std::string target_name() const override { return m_path; }

    const std::string& path() const { return m_path; }
    SQLite::Database& database();

private:
    SourceDb(std::string path);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_path;
};

}  // namespace spiegel::store
