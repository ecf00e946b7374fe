// The running daemon: /metrics scrape time and size on a demo database, and
// the daemon's resident memory after 1 and after N scan cycles (it must not
// grow). Starts the real spiegeld; prints figures, asserts nothing.
//
//   bench_daemon [CVS] [CYCLES] [RSS_CVS]   defaults 20000 100 2000
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "tests/http/raw_client.h"


namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log) {
    return spiegel::bench::spawn_spiegeld(args, log);
}

int run(const std::vector<std::string>& args) {
    const pid_t pid = spawn(args, "/dev/null");
    int status = -1;
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
        ++n;
    }
    return n;
}

// Polls the log until `what` occurs `times` times; false after `seconds`.
bool wait_for(const std::string& log, const std::string& what, std::size_t times, double seconds) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < deadline) {
        if (count(read_all(log), what) >= times) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return -1;
}

int port_of(const std::string& log) {
    const std::string text = read_all(log);
    const std::string key = "listening on 127.0.0.1:";
    const std::size_t at = text.find(key);
    return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + key.size());
}

struct Daemon {
    pid_t pid = -1;
    std::string log;
    int port = 0;
    ~Daemon() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            int status = 0;
            waitpid(pid, &status, 0);
        }
    }
};

// The shipped rules, found next to the build directory of the binary.
std::string rules_dir() {
    return (fs::path(SPIEGELD_BINARY).parent_path() / "../../rules").lexically_normal().string();
}

std::string setup(const std::string& dir, long cvs, const std::string& interval) {
    fs::create_directories(dir + "/data");
    const std::string config = dir + "/spiegeld.yaml";
    std::ofstream(config) << "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                          << "rules:\n  directory: " << rules_dir() << "\nhttp:\n  listen: 127.0.0.1:0\n"
                          << "scan:\n  incremental_interval: " << interval << "\n  full_interval: " << interval << "\n";
    if (run({"demo", "--config", config, "--cvs", std::to_string(cvs), "--vacancies", std::to_string(cvs / 5),
             "--employers", std::to_string(std::max(10L, cvs / 20))}) != 0) {
        std::fprintf(stderr, "bench_daemon: demo failed\n");
        std::exit(1);
    }
    return config;
}

bool start(Daemon& d, const std::string& dir, const std::string& config) {
    d.log = dir + "/serve.log";
    d.pid = spawn({"serve", "--config", config}, d.log);
    if (!wait_for(d.log, "listening on", 1, 30) || !wait_for(d.log, "scan finished", 1, 300)) {
        std::fprintf(stderr, "bench_daemon: the daemon did not start and scan:\n%s", read_all(d.log).c_str());
        return false;
    }
    d.port = port_of(d.log);
    return true;
}

void scrape(const std::string& root, long cvs) {
    const std::string dir = root + "/scrape";
    const std::string config = setup(dir, cvs, "1h");
    Daemon d;
    if (!start(d, dir, config)) {
        return;
    }
    std::vector<double> times;
    std::size_t size = 0;
    spiegel::testing::RawConnection connection(d.port);
    for (int i = 0; i < 50; ++i) {
        const auto t0 = Clock::now();
        const auto r = connection.request("GET", "/metrics");
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        size = r.body.size();
    }
    std::sort(times.begin(), times.end());
    std::printf("scrape /metrics (%ld CVs, keep-alive, 50 scrapes): median %.2f ms, p90 %.2f ms, %zu bytes, %zu lines\n",
                cvs, times[times.size() / 2], times[times.size() * 9 / 10], size,
                count(spiegel::testing::http_request(d.port, "GET", "/metrics").body, "\n"));
}

void memory(const std::string& root, long cvs, int cycles) {
    const std::string dir = root + "/rss";
    const std::string config = setup(dir, cvs, "1s");  // a full scan every second
    Daemon d;
    if (!start(d, dir, config)) {
        return;
    }
    (void)spiegel::testing::http_request(d.port, "GET", "/metrics");
    const long after_one = rss_kib(d.pid);
    const auto t0 = Clock::now();
    std::printf("daemon RSS (%ld CVs; a full scan, snapshot and scrape per cycle):", cvs);
    long last = after_one;
    for (int checkpoint : {10, 25, 50, 75, 100, 150, 200}) {
        if (checkpoint > cycles) {
            break;
        }
        if (!wait_for(d.log, "scan finished", static_cast<std::size_t>(checkpoint), checkpoint * 5.0)) {
            std::fprintf(stderr, "bench_daemon: only %zu scans finished\n", count(read_all(d.log), "scan finished"));
            break;
        }
        (void)spiegel::testing::http_request(d.port, "GET", "/metrics");
        last = rss_kib(d.pid);
        std::printf(" %d: %ld KiB;", checkpoint, last);
    }
    std::printf("\ndaemon RSS after 1 cycle %ld KiB, after %d cycles %ld KiB (%+ld KiB), %.0f s\n", after_one, cycles,
                last, last - after_one, std::chrono::duration<double>(Clock::now() - t0).count());
}

// SIGTERM while a full scan runs: seconds until the process has exited.
void stop_latency(const std::string& root, long cvs) {
    const std::string dir = root + "/stop";
    const std::string config = setup(dir, cvs, "1s");
    Daemon d;
    if (!start(d, dir, config) || !wait_for(d.log, "scan started", 2, 30)) {
        return;
    }
    const auto t0 = Clock::now();
    kill(d.pid, SIGTERM);
    int status = 0;
    waitpid(d.pid, &status, 0);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    d.pid = -1;
    const std::string log = read_all(d.log);
    std::printf("SIGTERM during a full scan of %ld CVs: exit %d after %.3f s (%s)\n", cvs,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1, seconds,
                log.find("scan stopped") != std::string::npos ? "scan stopped, not committed" : "scan had finished");
}

}  // namespace

int main(int argc, char** argv) {
    const long cvs = argc > 1 ? std::atol(argv[1]) : 20000;
    const int cycles = argc > 2 ? std::atoi(argv[2]) : 100;
    const long rss_cvs = argc > 3 ? std::atol(argv[3]) : 2000;
    const std::string root = (fs::temp_directory_path() / ("bench_daemon." + std::to_string(getpid()))).string();
    scrape(root, cvs);
    stop_latency(root, cvs);
    memory(root, rss_cvs, cycles);
    std::error_code ec;
    fs::remove_all(root, ec);
    return 0;
}
