#pragma once
// Headless Chromium as a child process for the browser tests: one run loads
// one URL and writes the rendered DOM (stdout), a PNG screenshot and,
// optionally, a PDF print; its log (stderr) carries the page's console
// messages, CSP violations included. Plus small readers for PNG and PDF
// files. Header-only (test binaries glob only *_test.cpp).
//
// Chromium 156 logs every console message of the page, whatever its level,
// as one stderr line
//   [pid:tid:time:INFO:CONSOLE:LINE] "text", source: URL (LINE)
// (older releases: `INFO:CONSOLE(LINE)] "text", ...`). A CSP violation is such
// a line too ("... violates the following Content Security Policy directive
// ..."). The level is not in the line, so every console line counts as a
// finding: the card pages carry no scripts and should log nothing.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::testing::browser {

// The flags every run starts with (the profile directory is added per run).
inline const std::vector<std::string> k_base_flags = {"--headless",
                                                      "--no-sandbox",
                                                      "--disable-gpu",
                                                      "--disable-background-networking",
                                                      "--disable-component-update",
                                                      "--disable-sync",
                                                      "--no-first-run"};

inline constexpr std::chrono::seconds k_chromium_limit{60};

// The Chromium executable, or "" when none is installed: $SPIEGEL_CHROMIUM
// when set, else the Debian binary, run directly (its /usr/bin/chromium
// wrapper adds distribution flags), else chromium on PATH.
inline std::string chromium_binary() {
    const auto executable = [](const std::string& path) { return access(path.c_str(), X_OK) == 0; };
    if (const char* chosen = std::getenv("SPIEGEL_CHROMIUM");
        chosen != nullptr && *chosen != '\0') {
        return executable(chosen) ? chosen : "";
    }
    if (executable("/usr/lib/chromium/chromium")) {
        return "/usr/lib/chromium/chromium";
    }
    const char* path_env = std::getenv("PATH");
    std::stringstream dirs(path_env != nullptr ? path_env : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        for (const char* name : {"chromium", "chromium-browser"}) {
            if (!dir.empty() && executable(dir + "/" + name)) {
                return dir + "/" + name;
            }
        }
    }
    return "";
}

inline const char* k_no_chromium =
    "Chromium is not installed (looked for $SPIEGEL_CHROMIUM, /usr/lib/chromium/chromium, then "
    "chromium and chromium-browser on PATH). The browser tests need it: scripts/test.sh installs "
    "the "
    "Debian package chromium (SPIEGEL_TEST_PACKAGES in scripts/lib.sh).";

struct ChromiumRun {
    int exit_code = -1;  // -1: killed or not started
    bool timed_out = false;
    std::string dom;  // stdout (--dump-dom)
    std::string log;  // stderr
};

// What one run should produce besides the DOM.
struct RenderOptions {
    std::string screenshot;  // PNG path, "" for none
    std::string pdf;         // PDF path, "" for none
    int width = 800;
    int height = 1400;
};

// Loads url in a fresh profile work_dir/NAME-profile (output and log files
// work_dir/NAME.out, .err) and waits for Chromium to exit, at most
// k_chromium_limit (then its whole process group is killed).
inline ChromiumRun run_chromium(const std::string& binary, const std::string& work_dir,
                                const std::string& name, const std::string& url,
                                const RenderOptions& options) {
    const std::string tag = work_dir + "/" + name;
    std::filesystem::create_directories(tag + "-profile");
    std::vector<std::string> args{binary};
    args.insert(args.end(), k_base_flags.begin(), k_base_flags.end());
    args.push_back("--user-data-dir=" + tag + "-profile");
    args.insert(args.end(), {"--enable-logging=stderr", "--v=0", "--dump-dom",
                             "--window-size=" + std::to_string(options.width) + "," +
                                 std::to_string(options.height)});
    if (!options.screenshot.empty()) {
        args.push_back("--screenshot=" + options.screenshot);
    }
    if (!options.pdf.empty()) {
        args.insert(args.end(), {"--print-to-pdf=" + options.pdf, "--no-pdf-header-footer"});
    }
    args.push_back(url);
    const std::string out_path = tag + ".out";
    const std::string err_path = tag + ".err";
    const std::string home = tag + "-home";
    std::filesystem::create_directories(home);

    ChromiumRun run;
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);  // its own group: a timeout kills the renderers too
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(out, 1);
        dup2(err, 2);
        // Caches and config of this run stay in the temp dir.
        setenv("HOME", home.c_str(), 1);
        setenv("XDG_CONFIG_HOME", (home + "/config").c_str(), 1);
        setenv("XDG_CACHE_HOME", (home + "/cache").c_str(), 1);
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (pid < 0) {
        return run;
    }
    setpgid(pid, pid);
    const auto deadline = std::chrono::steady_clock::now() + k_chromium_limit;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            run.timed_out = true;
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(-pid, SIGKILL);  // helpers of this run that outlived the browser, if any
    run.exit_code = !run.timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.dom = read_text(out_path);
    run.log = read_text(err_path);
    return run;
}

// The page's console messages (CSP violations included) in a Chromium log.
inline std::vector<std::string> console_messages(const std::string& log) {
    static const std::regex console_line(R"(:CONSOLE(?::\d+|\(\d+\))\] (.*))");
    std::vector<std::string> messages;
    std::stringstream lines(log);
    std::string line;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (std::regex_search(line, m, console_line)) {
            messages.push_back(m[1]);
        }
    }
    return messages;
}

inline std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += "\n  " + item;
    }
    return out;
}

struct PngInfo {
    bool signature = false;  // starts with the 8-byte PNG signature and an IHDR chunk
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uintmax_t bytes = 0;
};

inline PngInfo read_png_info(const std::string& path) {
    PngInfo info;
    const std::string data = read_text(path);
    info.bytes = data.size();
    static const std::string k_signature("\x89PNG\r\n\x1a\n", 8);
    if (data.size() < 24 || data.compare(0, 8, k_signature) != 0 ||
        data.compare(12, 4, "IHDR") != 0) {
        return info;
    }
    info.signature = true;
    const auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            v = (v << 8) | static_cast<unsigned char>(data[at + i]);
        }
        return v;
    };
    info.width = be32(16);
    info.height = be32(20);
    return info;
}

// Page objects ("/Type /Page", not "/Pages") in a PDF with uncompressed
// object dictionaries, as Chromium writes them; 0 when none is found.
inline int pdf_page_count(const std::string& path) {
    static const std::regex page(R"(/Type\s*/Page(?![A-Za-z]))");
    const std::string data = read_text(path);
    return static_cast<int>(std::distance(std::sregex_iterator(data.begin(), data.end(), page),
                                          std::sregex_iterator()));
}

}  // namespace spiegel::testing::browser
