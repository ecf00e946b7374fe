#pragma once
// Reading whole, bounded input files (config, rule files, lexicons).
// Thread-safe (no shared state).

#include <cstddef>
#include <string>

namespace spiegel::util {

struct FileText {
    enum class Failure { none, os_error, not_regular, too_large };
    std::string text;                  // the content when failure is none
    Failure failure = Failure::none;
    std::string reason;                // os_error: the OS reason ("Permission denied")
};

// Reads the regular file at `path` (following symlinks) when it holds at
// most max_bytes. Anything else (a directory, a FIFO, a device) is
// not_regular and is never read, so a FIFO cannot block the caller.
FileText read_regular_file(const std::string& path, std::size_t max_bytes);

}  // namespace spiegel::util
