#pragma once
// A spiegeld daemon as a child process for the serve tests: started with
// arguments in a directory, stderr captured to a file that tests wait on
// (polling with a deadline, never a fixed sleep), signalled, and killed at
// the end if it is still running. Header-only.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::testing {

class DaemonProcess {
public:
    // Starts `spiegeld <args>` in cwd; stderr goes to log_path.
    DaemonProcess(const std::vector<std::string>& args, const std::string& cwd, std::string log_path)
        : m_log_path(std::move(log_path)) {
        const std::string binary = spiegeld_binary();
        m_pid = fork();
        if (m_pid == 0) {
            if (chdir(cwd.c_str()) != 0) {
                _exit(127);
            }
            const int err = open(m_log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int null = open("/dev/null", O_RDWR);
            dup2(err, 2);
            dup2(null, 1);
            dup2(null, 0);
            std::vector<char*> argv;
            argv.push_back(const_cast<char*>(binary.c_str()));
            for (const auto& a : args) {
                argv.push_back(const_cast<char*>(a.c_str()));
            }
            argv.push_back(nullptr);
            execv(binary.c_str(), argv.data());
            _exit(127);
        }
    }
    ~DaemonProcess() {
        if (m_pid > 0 && !m_exit) {
            kill(m_pid, SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
    }
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    std::string log() const { return read_text(m_log_path); }

    // Waits until the log, from byte `from` on, matches `pattern`; returns
    // the match's end offset, or nullopt at the deadline or when the process exits.
    std::optional<std::size_t> wait_for_log(const std::string& pattern, std::size_t from = 0,
                                            std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        const std::regex re(pattern);
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string text = log();
            std::smatch m;
            if (text.size() > from && std::regex_search(text.cbegin() + static_cast<long>(from), text.cend(), m, re)) {
                return from + static_cast<std::size_t>(m.position(0) + m.length(0));
            }
            if (exited()) {
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }

    // The port from "listening on 127.0.0.1:PORT", or 0.
    int port() {
        if (m_port == 0 && wait_for_log("listening on 127\\.0\\.0\\.1:[0-9]+")) {
            const std::string text = log();
            std::smatch m;
            if (std::regex_search(text, m, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)"))) {
                m_port = std::stoi(m[1]);
            }
        }
        return m_port;
    }

    void signal(int sig) const { kill(m_pid, sig); }

    // True once the process has exited (reaps it).
    bool exited() {
        if (m_exit) {
            return true;
        }
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        return m_exit.has_value();
    }

    // The exit status (-1: killed by a signal), or nullopt if still running at the deadline.
    std::optional<int> wait_exit(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!exited() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return m_exit;
    }

private:
    std::string m_log_path;
    pid_t m_pid = -1;
    int m_port = 0;
    std::optional<int> m_exit;
};

}  // namespace spiegel::testing
