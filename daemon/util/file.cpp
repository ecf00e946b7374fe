#include "daemon/util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spiegel::util {
namespace {

FileText failed(FileText::Failure failure, std::string reason = {}) {
    FileText out;
    out.failure = failure;
    out.reason = std::move(reason);
    return out;
}

FileText os_error(int error) { return failed(FileText::Failure::os_error, std::strerror(error)); }

// Reads until end of file or until more than max_bytes arrived (a file that
// grows while it is read is still bounded).
FileText read_all(int fd, std::size_t max_bytes) {
    FileText out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return os_error(errno);
        }
        if (n == 0) {
            return out;
        }
        out.text.append(buf, static_cast<std::size_t>(n));
        if (out.text.size() > max_bytes) {
            return failed(FileText::Failure::too_large);
        }
    }
}

}  // namespace

FileText read_regular_file(const std::string& path, std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then
    // refuses it. It has no effect on reading a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return os_error(errno);
    }
    struct stat st {};
    FileText out;
    if (::fstat(fd, &st) != 0) {
        out = os_error(errno);
    } else if (!S_ISREG(st.st_mode)) {
        out = failed(FileText::Failure::not_regular);
    } else if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > max_bytes) {
        out = failed(FileText::Failure::too_large);
    } else {
        out = read_all(fd, max_bytes);
    }
    ::close(fd);
    return out;
}

}  // namespace spiegel::util
