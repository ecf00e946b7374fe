#pragma once
// Helpers for the end-to-end tests of the dashboards and alert rules: the
// PromQL expressions of the shipped files, running promtool, child
// processes with bounded shutdown, and a minimal HTTP/1.1 client for
// 127.0.0.1. Header-only (the e2e binary globs only *_test.cpp).

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::testing::e2e {

inline const std::string k_datasource_uid = "spiegel-prometheus";
inline const std::string k_promtool = "/usr/bin/promtool";
inline const std::string k_prometheus = "/usr/bin/prometheus";

inline std::string repo_file(const std::string& relative) {
    return source_dir() + "/" + relative;
}

inline std::vector<std::string> dashboard_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(repo_file("dashboards/grafana"))) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

inline nlohmann::json load_json(const std::string& path) {
    return nlohmann::json::parse(read_text(path));
}

// One PromQL expression of a dashboard panel or an alert rule.
struct Query {
    std::string where;  // "spiegel-daemon: Scanduur [A]" or "alert SpiegelDown"
    std::string panel;  // the panel title (empty for alerts)
    std::string expr;
    bool range = false;  // Grafana runs it as a range query (graphs)
};

// Panels that hold queries (row panels hold none).
inline std::vector<nlohmann::json> query_panels(const nlohmann::json& dashboard) {
    std::vector<nlohmann::json> panels;
    for (const auto& panel : dashboard.at("panels")) {
        if (panel.value("type", "") != "row") {
            panels.push_back(panel);
        }
    }
    return panels;
}

inline std::vector<Query> dashboard_queries() {
    std::vector<Query> queries;
    for (const auto& file : dashboard_files()) {
        const auto board = load_json(file);
        for (const auto& panel : query_panels(board)) {
            for (const auto& target : panel.at("targets")) {
                const std::string title = panel.value("title", "");
                queries.push_back(
                    {board.value("uid", "") + ": " + title + " [" + target.value("refId", "") + "]",
                     title, target.value("expr", ""), target.value("range", false)});
            }
        }
    }
    return queries;
}

inline std::vector<Query> alert_queries() {
    std::vector<Query> queries;
    const YAML::Node doc = YAML::LoadFile(repo_file("dashboards/prometheus/spiegel-alerts.yml"));
    for (const auto& group : doc["groups"]) {
        for (const auto& rule : group["rules"]) {
            const bool alert = rule["alert"].IsDefined();
            queries.push_back({(alert ? "alert " : "record ") + rule[alert ? "alert" : "record"].as<std::string>(),
                               "", rule["expr"].as<std::string>()});
        }
    }
    return queries;
}

// Replaces the Grafana variables the dashboards use by what "All" and a
// 1s-scrape Prometheus need.
inline std::string substitute_grafana_variables(std::string expr) {
    expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "1m");
    expr = std::regex_replace(expr, std::regex(R"(\$instance)"), ".*");
    return std::regex_replace(expr, std::regex(R"(\$region)"), ".*");
}

// Every `spiegel_...` name an expression mentions; the middle part of a
// recorded series (`level:spiegel_x:operation`) is not an exported name.
inline std::set<std::string> metric_names_in(const std::string& expr) {
    static const std::regex name(R"(spiegel_[a-z_]+)");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(expr.begin(), expr.end(), name);
         it != std::sregex_iterator(); ++it) {
        if (it->position() > 0 && expr[static_cast<std::size_t>(it->position()) - 1] == ':') {
            continue;
        }
        names.insert(it->str());
    }
    return names;
}

// name -> type, from the "Series" table of docs/metrics.md.
inline std::map<std::string, std::string> documented_metrics() {
    static const std::regex row(R"(^\| `(spiegel_[a-z_]+)` \| (gauge|counter|histogram) \|)");
    std::map<std::string, std::string> metrics;
    std::istringstream doc(read_text(repo_file("docs/metrics.md")));
    std::string line;
    std::smatch m;
    while (std::getline(doc, line)) {
        if (std::regex_search(line, m, row)) {
            metrics[m[1]] = m[2];
        }
    }
    return metrics;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

// Runs a shell command line, capturing stdout and stderr together.
inline CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) {
        result.output.append(buf, n);
    }
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

// A child process with stdout and stderr appended to log_path. Stopped with
// SIGTERM, then SIGKILL after a bounded wait, when destroyed.
class Child {
  public:
    Child(std::vector<std::string> argv, const std::string& log_path) {
        m_pid = fork();
        if (m_pid == 0) {
            const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> args;
            for (auto& a : argv) {
                args.push_back(a.data());
            }
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
    }
    ~Child() { stop(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool running() {
        if (m_pid <= 0) {
            return false;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return false;
        }
        return true;
    }

    void stop() {
        if (!running()) {
            return;
        }
        kill(m_pid, SIGTERM);
        for (int i = 0; i < 100 && running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (running()) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }

  private:
public:
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
};

// Calls done() every 100 ms until it returns true or the time is up.
template <typename Done>
bool wait_until(std::chrono::milliseconds limit, Done done) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
}

// The TCP port a process listens on (its first listening socket), 0 while
// it has none: for servers started on port 0 that do not log the port they
// bound. Reads /proc, so no other process can take the port in between.
inline int listening_port(pid_t pid) {
    std::set<std::string> inodes;
    std::error_code ec;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
        const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
        if (!ec && target.rfind("socket:[", 0) == 0) {
            inodes.insert(target.substr(8, target.size() - 9));
        }
    }
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::istringstream lines(read_text(table));
        std::string line;
        std::getline(lines, line);  // header
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
            if (state == "0A" && inodes.count(inode) != 0) {  // 0A: LISTEN
                return std::stoi(local.substr(local.find(':') + 1), nullptr, 16);
            }
        }
    }
    return 0;
}

}  // namespace spiegel::testing::e2e
