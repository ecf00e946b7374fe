#pragma once
// Shared by the benchmark programs: running the spiegeld binary under
// measurement and writing a workspace config. Header-only (each bench/*.cpp
// is its own program).

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace spiegel::bench {

// Starts spiegeld with args, stdout to /dev/null and stderr to stderr_path.
// Returns the pid, or -1 when it could not be started.
inline pid_t spawn_spiegeld(const std::vector<std::string>& args,
                            const std::string& stderr_path = "/dev/null") {
    std::vector<std::string> all{SPIEGELD_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

struct ChildRun {
    int status = -1;          // exit status; -1 when killed or not started
    double seconds = 0;       // wall time
    double cpu_seconds = 0;   // user + system, all threads: steadier than wall time on a busy machine
    long max_rss_kb = 0;      // peak resident set
};

// Runs spiegeld with args to completion, measuring wall time, CPU time and
// peak RSS; its stderr goes to stderr_path.
inline ChildRun run_spiegeld(const std::vector<std::string>& args, const std::string& stderr_path = "/dev/null") {
    ChildRun r;
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = spawn_spiegeld(args, stderr_path);
    if (pid <= 0) {
        return r;
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.max_rss_kb = usage.ru_maxrss;
    r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    return r;
}

// The sizes (numbers of CVs) given on the command line, or `fallback`.
inline std::vector<long> sizes_from_args(int argc, char** argv, long fallback) {
    std::vector<long> sizes;
    for (int i = 1; i < argc; ++i) {
        sizes.push_back(std::atol(argv[i]));
    }
    if (sizes.empty()) {
        sizes.push_back(fallback);
    }
    return sizes;
}

// The shipped rules directory of the source tree the spiegeld binary was built from.
inline std::string shipped_rules_dir() {
    return (std::filesystem::path(SPIEGELD_BINARY).parent_path() / "../../rules").lexically_normal().string();
}

// Writes dir/spiegeld.yaml (databases in dir/data/) and returns its path.
inline std::string write_bench_config(const std::string& dir, const std::string& rules_dir) {
    std::filesystem::create_directories(dir);
    const std::string config = dir + "/spiegeld.yaml";
    std::ofstream(config) << "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                          << "rules:\n  directory: " << rules_dir << "\n";
    return config;
}

}  // namespace spiegel::bench
