// Open-loop HTTP load generator for the card routes of a running spiegeld.
//
//   bench_cards --url-base http://127.0.0.1:PORT --paths FILE [--token T]
//               [--rate 500] [--seconds 10] [--connections 4]
//
// Request i is due at start + i / rate, whatever happened to earlier ones,
// and its latency is measured from that scheduled time, not from when it was
// sent: a slow response delays the requests behind it and they count as slow
// too (no coordinated omission). Requests go over --connections keep-alive
// HTTP/1.1 connections, one request at a time each; a due request waits for
// a free connection. Paths cycle through FILE (one per line).
//
// Prints, per path kind (the path up to its last '/', or a one-segment path
// itself), the count, errors
// (transport failures and non-200 answers), p50/p90/p99/max latency in ms,
// then the achieved rate; and one `result ...` line per kind for scripts.
// Requests still unanswered 30 s after the last one was due are reported as
// unanswered (their latency is at least that long) and the exit status is 1.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace spiegel::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string token;
    std::string paths_file;
    double rate = 500;
    double seconds = 10;
    int connections = 4;
};

struct Due {
    Clock::time_point scheduled;
    std::size_t path = 0;
};

struct Connection {
    int fd = -1;
    bool busy = false;
    Due request;
    std::string received;
};

struct KindStats {
    std::vector<double> latencies_ms;  // completed requests, any status
    std::size_t errors = 0;            // transport failures and non-200 answers
};

[[noreturn]] void usage(const char* message) {
    std::fprintf(
        stderr,
        "bench_cards: %s\nusage: bench_cards --url-base http://127.0.0.1:PORT --paths FILE "
        "[--token T] [--rate 500] [--seconds 10] [--connections 4]\n",
        message);
    std::exit(2);
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) {
            usage(("missing value for " + flag).c_str());
        }
        const std::string value = argv[++i];
        if (flag == "--url-base") {
            const std::string prefix = "http://";
            const std::size_t colon = value.rfind(':');
            if (value.rfind(prefix, 0) != 0 || colon < prefix.size()) {
                usage("--url-base must be http://HOST:PORT");
            }
            o.host = value.substr(prefix.size(), colon - prefix.size());
            o.port = std::atoi(value.c_str() + colon + 1);
            o.host = o.host == "localhost" ? "127.0.0.1" : o.host;
        } else if (flag == "--token") {
            o.token = value;
        } else if (flag == "--paths") {
            o.paths_file = value;
        } else if (flag == "--rate") {
            o.rate = std::atof(value.c_str());
        } else if (flag == "--seconds") {
            o.seconds = std::atof(value.c_str());
        } else if (flag == "--connections") {
            o.connections = std::atoi(value.c_str());
        } else {
            usage(("unknown flag " + flag).c_str());
        }
    }
    if (o.port <= 0 || o.paths_file.empty() || o.rate <= 0 || o.seconds <= 0 ||
        o.connections <= 0) {
        usage("--url-base and --paths are required; rate, seconds, connections must be positive");
    }
    return o;
}

int open_connection(const Options& o) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(o.port));
    if (fd < 0 || inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1 ||
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// The status of the complete response at the start of buf and its length,
// or {0, 0} while incomplete. Handles Content-Length and chunked bodies.
std::pair<int, std::size_t> complete_response(const std::string& buf) {
    const std::size_t head_end = buf.find("\r\n\r\n");
    if (head_end == std::string::npos) {
        return {0, 0};
    }
    std::string head = buf.substr(0, head_end);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const int status = std::atoi(buf.c_str() + 9);
    const std::size_t body = head_end + 4;
    if (head.find("transfer-encoding: chunked") != std::string::npos) {
        const std::size_t end = buf.find("\r\n0\r\n\r\n", body - 2);
        return end == std::string::npos ? std::pair<int, std::size_t>{0, 0}
                                        : std::pair<int, std::size_t>{status, end + 7};
    }
    const std::size_t cl = head.find("content-length:");
    const std::size_t length =
        cl == std::string::npos ? 0 : std::strtoul(head.c_str() + cl + 15, nullptr, 10);
    if (buf.size() < body + length) {
        return {0, 0};
    }
    return {status, body + length};
}

// "/api/v1/cards/cv/cv-1" -> "/api/v1/cards/cv"; a one-segment path ("/metrics") is its own kind.
std::string kind_of(const std::string& path) {
    const std::string bare = path.substr(0, path.find('?'));
    const std::size_t last = bare.rfind('/');
    return last == 0 || last == std::string::npos ? bare : bare.substr(0, last);
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto rank =
        static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

// The open loop: schedules, dispatches to free connections, reads answers.
class OpenLoop {
  public:
    OpenLoop(const Options& o, std::vector<std::string> paths) : m_o(o), m_paths(std::move(paths)) {
        for (const auto& p : m_paths) {
            std::string r = "GET " + p + " HTTP/1.1\r\nHost: " + o.host + "\r\n";
            r += o.token.empty() ? "" : "Authorization: Bearer " + o.token + "\r\n";
            m_requests.push_back(r + "\r\n");
        }
        m_total = static_cast<std::size_t>(o.rate * o.seconds);
        m_interval = std::chrono::duration<double>(1.0 / o.rate);
    }

    // False when a connection cannot be opened.
    bool connect_all() {
        m_conns.resize(static_cast<std::size_t>(m_o.connections));
        for (auto& c : m_conns) {
            if ((c.fd = open_connection(m_o)) < 0) {
                return false;
            }
        }
        return true;
    }

    // Runs until every request is answered or 30 s after the last is due;
    // true when all were answered.
    bool run() {
        m_start = Clock::now() + std::chrono::milliseconds(10);
        m_last_done = m_start;
        const Clock::time_point give_up = due(m_total) + std::chrono::seconds(30);
        while (m_done < m_total && Clock::now() < give_up) {
            schedule(Clock::now());
            dispatch(Clock::now());
            wait_and_read();
        }
        return m_done == m_total;
    }

    void report() {
        const double elapsed = std::chrono::duration<double>(m_last_done - m_start).count();
        const double achieved = elapsed > 0 ? static_cast<double>(m_done) / elapsed : 0;
        std::printf("%-28s %7s %6s %8s %8s %8s %8s\n", "path kind", "count", "errors", "p50 ms",
                    "p90 ms", "p99 ms", "max ms");
        for (auto& [kind, k] : m_stats) {
            std::sort(k.latencies_ms.begin(), k.latencies_ms.end());
            std::printf("%-28s %7zu %6zu %8.2f %8.2f %8.2f %8.2f\n", kind.c_str(),
                        k.latencies_ms.size(), k.errors, percentile(k.latencies_ms, 50),
                        percentile(k.latencies_ms, 90), percentile(k.latencies_ms, 99),
                        percentile(k.latencies_ms, 100));
        }
        std::printf(
            "target %.0f req/s for %.1f s over %d connections: %zu of %zu answered in %.2f s, "
            "achieved %.1f req/s; %zu sends more than 1 ms late\n",
            m_o.rate, m_o.seconds, m_o.connections, m_done, m_total, elapsed, achieved,
            m_late_sends);
        if (!m_error_statuses.empty()) {
            std::printf("errors by status (0: connection failed):");
            for (const auto& [status, n] : m_error_statuses) {
                std::printf(" %d=%zu", status, n);
            }
            std::printf("\n");
        }
        for (const auto& [kind, k] : m_stats) {
            std::printf(
                "result kind=%s count=%zu errors=%zu unanswered=%zu p50_ms=%.2f p90_ms=%.2f "
                "p99_ms=%.2f max_ms=%.2f achieved_rps=%.1f\n",
                kind.c_str(), k.latencies_ms.size(), k.errors, m_total - m_done,
                percentile(k.latencies_ms, 50), percentile(k.latencies_ms, 90),
                percentile(k.latencies_ms, 99), percentile(k.latencies_ms, 100), achieved);
        }
    }

  private:
    Clock::time_point due(std::size_t i) const {
        return m_start +
               std::chrono::duration_cast<Clock::duration>(m_interval * static_cast<double>(i));
    }

    // Queues every request whose scheduled time has come.
    void schedule(Clock::time_point now) {
        while (m_scheduled < m_total && due(m_scheduled) <= now) {
            m_waiting.push_back({due(m_scheduled), m_scheduled % m_paths.size()});
            ++m_scheduled;
        }
    }

    // Sends queued requests on idle connections, oldest first.
    void dispatch(Clock::time_point now) {
        for (auto& c : m_conns) {
            if (m_waiting.empty()) {
                return;
            }
            if (c.busy || c.fd < 0) {
                continue;
            }
            if (closed_by_peer(c.fd)) {
                reconnect(c);  // the server closed it while idle, as HTTP clients expect
            }
            c.request = m_waiting.front();
            m_waiting.pop_front();
            c.busy = true;
            m_late_sends += now - c.request.scheduled > std::chrono::milliseconds(1) ? 1 : 0;
            if (!send_all(c.fd, m_requests[c.request.path])) {
                finish(c, 0, now);
                reconnect(c);
            }
        }
    }

    // Waits for answers until the next request is due (at most 50 ms).
    void wait_and_read() {
        std::vector<pollfd> fds;
        std::vector<Connection*> owners;
        for (auto& c : m_conns) {
            if (c.busy) {
                fds.push_back({c.fd, POLLIN, 0});
                owners.push_back(&c);
            }
        }
        const Clock::time_point now = Clock::now();
        auto wait = std::chrono::microseconds(50000);
        if (m_scheduled < m_total) {
            wait = std::min(wait, std::chrono::duration_cast<std::chrono::microseconds>(
                                      due(m_scheduled) - now));
        }
        const long us = std::max<long>(0, static_cast<long>(wait.count()));
        const timespec ts{us / 1000000, (us % 1000000) * 1000};
        if (ppoll(fds.data(), fds.size(), &ts, nullptr) <= 0) {
            return;
        }
        const Clock::time_point read_at = Clock::now();
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents != 0) {
                read_answer(*owners[i], read_at);
            }
        }
    }

    void read_answer(Connection& c, Clock::time_point now) {
        char buf[65536];
        const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n <= 0) {
            finish(c, 0, now);
            reconnect(c);
            return;
        }
        c.received.append(buf, static_cast<std::size_t>(n));
        const auto [status, length] = complete_response(c.received);
        if (status != 0) {
            c.received.erase(0, length);
            finish(c, status, now);
        }
    }

    // Records the answer (status 0: transport failure) of c's request.
    void finish(Connection& c, int status, Clock::time_point now) {
        KindStats& k = m_stats[kind_of(m_paths[c.request.path])];
        if (status != 0) {
            k.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(now - c.request.scheduled).count());
        }
        k.errors += status == 200 ? 0 : 1;
        if (status != 200) {
            ++m_error_statuses[status];
        }
        c.busy = false;
        ++m_done;
        m_last_done = now;
    }

    // An idle keep-alive connection the server has closed (idle or request
    // deadline): readable with nothing to read.
    static bool closed_by_peer(int fd) {
        pollfd p{fd, POLLIN | POLLRDHUP, 0};
        if (poll(&p, 1, 0) <= 0) {
            return false;
        }
        char byte = 0;
        return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0 || recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
    }

    void reconnect(Connection& c) {
        close(c.fd);
        c.fd = open_connection(m_o);
        c.received.clear();
    }

    const Options& m_o;
    std::vector<std::string> m_paths;
    std::vector<std::string> m_requests;
    std::vector<Connection> m_conns;
    std::map<std::string, KindStats> m_stats;
    std::deque<Due> m_waiting;
    std::size_t m_total = 0;
    std::chrono::duration<double> m_interval{0};
    std::size_t m_scheduled = 0;
    std::size_t m_done = 0;
    std::size_t m_late_sends = 0;
    std::map<int, std::size_t> m_error_statuses;
    Clock::time_point m_start;
    Clock::time_point m_last_done;
};

}  // namespace
}  // namespace spiegel::bench

int main(int argc, char** argv) {
    using namespace spiegel::bench;
    const Options o = parse_options(argc, argv);
    std::vector<std::string> paths;
    std::ifstream in(o.paths_file);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            paths.push_back(line);
        }
    }
    if (paths.empty()) {
        usage("the paths file is empty or unreadable");
    }
    OpenLoop loop(o, std::move(paths));
    if (!loop.connect_all()) {
        std::fprintf(stderr, "bench_cards: cannot connect to %s:%d\n", o.host.c_str(), o.port);
        return 1;
    }
    const bool all_answered = loop.run();
    loop.report();
    return all_answered ? 0 : 1;
}
