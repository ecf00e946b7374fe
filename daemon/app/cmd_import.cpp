// spiegeld import: NDJSON records of one kind into the source database
// (docs/import.md). Exit 0 when every line was imported, 1 when a line was
// rejected or the import failed, 2 on a usage or configuration error.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/source_access.h"
#include "daemon/model/schema.h"
#include "daemon/store/importer.h"
#include "daemon/store/source_db.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

// Closes the input file on every path out of cmd_import (never stdin).
class InputFile {
  public:
    explicit InputFile(int fd) : m_fd(fd) {}
    ~InputFile() {
        if (m_fd > 2) {
            ::close(m_fd);
        }
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    int fd() const { return m_fd; }

  private:
    int m_fd;
};

store::ImportReporter console_reporter() {
    store::ImportReporter reporter;
    reporter.rejected = [](std::string_view message) { std::cerr << message << '\n'; };
    reporter.progress = [](std::int64_t lines, double per_second) {
        std::cerr << "import: " << lines << " lines, " << static_cast<std::int64_t>(per_second)
                  << " lines/s\n";
    };
    return reporter;
}

}  // namespace

int cmd_import(const ImportOptions& options) {
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    const auto kind = model::parse_kind(options.kind);
    if (!kind) {
        return fail(k_exit_usage, "--kind: expected cv, vacancy or employer");
    }
    const bool from_stdin = options.file == "-";
    // The name as messages show it: a file name may hold line breaks.
    const std::string shown = from_stdin ? "<stdin>" : util::printable(options.file, util::k_printable_path_bytes);
    const int fd = from_stdin ? STDIN_FILENO : ::open(options.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(k_exit_failure, shown + ": cannot open: " + std::strerror(errno));
    }
    InputFile input(fd);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        return fail(k_exit_failure, shown + ": cannot read: is a directory");
    }
    auto db = open_write_target(*config);  // sqlite or postgresql
    if (!db) {
        return fail(k_exit_failure, db.error().message);
    }
    store::ImportSettings settings;
    settings.kind = *kind;
    settings.strict = options.strict;
    settings.source_name = shown;
    store::Importer importer(*db->target, settings, console_reporter());
    auto result = importer.run(input.fd());
    if (!result) {
        return fail(k_exit_failure, result.error().message + " (nothing imported)");
    }
    std::cout << "read " << result->read << ", imported " << result->imported << ", rejected "
              << result->rejected << std::endl;
    if (!result->committed) {
        std::cerr << "spiegeld: --strict: " << result->rejected
                  << " line(s) rejected, import aborted, nothing written\n";
    }
    return result->rejected > 0 ? k_exit_failure : k_exit_ok;
}

}  // namespace spiegel::app
