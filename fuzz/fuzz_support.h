#pragma once
// Helpers shared by the libFuzzer harnesses (docs/fuzzing.md): a private
// scratch directory per process, writing an input to a fixed file in it, and
// a check that stops the run when an invariant breaks.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace spiegel::fuzz {

// A fresh directory under $TMPDIR (or /dev/shm, else /tmp), created on first
// use and removed with its contents when the process exits normally or
// through fail(). Every file a harness writes lives in it. A sanitizer
// report, timeout or out-of-memory exit leaves it behind: scripts/fuzz.sh
// points TMPDIR at a directory of its own that it removes.
class ScratchDir {
public:
    static const ScratchDir& get() {
        static const ScratchDir dir;
        return dir;
    }
    const std::string& path() const { return m_path; }
    std::string file(std::string_view name) const { return m_path + "/" + std::string(name); }

    // Removes the directory now, if it was made (a crash skips destructors).
    static void remove_now() {
        if (!made().empty()) {
            std::error_code ec;
            std::filesystem::remove_all(made(), ec);
        }
    }

    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

private:
    ScratchDir() {
        std::string base = "/tmp";
        if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr && *tmp != '\0') {
            base = tmp;
        } else if (std::filesystem::is_directory("/dev/shm")) {
            base = "/dev/shm";
        }
        std::string templ = base + "/spiegel-fuzz-XXXXXX";
        if (mkdtemp(templ.data()) == nullptr) {
            std::perror("mkdtemp");
            std::abort();
        }
        m_path = templ;
        made() = m_path;
    }
    ~ScratchDir() { remove_now(); }

    // The directory of this process, for remove_now(); empty until made.
    static std::string& made() {
        static std::string path;
        return path;
    }

    std::string m_path;
};

// Stops the process so that libFuzzer saves the input as a crash artifact.
// Used for broken invariants: `what` says which one.
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::fflush(stderr);
    ScratchDir::remove_now();
    __builtin_trap();
}

inline void check(bool ok, const char* what) {
    if (!ok) {
        fail(what);
    }
}

// Replaces the file at `path` with the bytes of the input.
inline void write_input(const std::string& path, const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    check(static_cast<bool>(out), "the input could not be written to the scratch directory");
}

}  // namespace spiegel::fuzz
