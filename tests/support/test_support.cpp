#include "tests/support/test_support.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace spiegel::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/spiegel-test-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void write_file(const std::string& path, const std::string& content) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string source_dir() { return SPIEGEL_SOURCE_DIR; }
std::string spiegeld_binary() { return SPIEGELD_BINARY; }

RunResult run_spiegeld(const std::vector<std::string>& args, const std::string& cwd,
                       const std::string& input) {
    int in_pipe[2];
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    // A child that exits before reading all of its stdin must not kill the
    // test with SIGPIPE: the write below then fails with EPIPE and stops.
    signal(SIGPIPE, SIG_IGN);
    const pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);  // an ignored disposition survives exec
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            close(fd);
        }
        if (chdir(cwd.c_str()) != 0) {
            _exit(127);
        }
        std::vector<char*> argv;
        std::string bin = spiegeld_binary();
        argv.push_back(bin.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    // Feed stdin and drain stdout/stderr together so neither side blocks.
    RunResult result;
    std::size_t written = 0;
    int in_fd = in_pipe[1];
    if (input.empty()) {
        close(in_fd);
        in_fd = -1;
    }
    bool out_open = true;
    bool err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        pollfd fds[3];
        int n = 0;
        if (out_open) {
            fds[n++] = {out_pipe[0], POLLIN, 0};
        }
        if (err_open) {
            fds[n++] = {err_pipe[0], POLLIN, 0};
        }
        if (in_fd >= 0) {
            fds[n++] = {in_fd, POLLOUT, 0};
        }
        if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
            break;
        }
        for (int i = 0; i < n; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == in_fd) {
                const ssize_t w = write(in_fd, input.data() + written, input.size() - written);
                if (w > 0) {
                    written += static_cast<std::size_t>(w);
                }
                if (w <= 0 || written == input.size()) {
                    close(in_fd);
                    in_fd = -1;
                }
                continue;
            }
            const ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r <= 0) {
                if (fds[i].fd == out_pipe[0]) {
                    out_open = false;
                } else {
                    err_open = false;
                }
                continue;
            }
            (fds[i].fd == out_pipe[0] ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
        }
    }
    if (in_fd >= 0) {
        close(in_fd);
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

const model::CodeLists& shipped_code_lists() {
    static const model::CodeLists k_codes = [] {
        auto codes = model::CodeLists::load(source_dir() + "/rules");
        if (!codes) {
            ADD_FAILURE() << codes.error().message;
            return model::CodeLists{};
        }
        return std::move(*codes);
    }();
    return k_codes;
}

std::string write_test_config(const TempDir& dir, const std::string& rules_dir, const std::string& extra_http) {
    const std::string rules = rules_dir.empty() ? dir.file("rules") : rules_dir;
    fs::create_directories(rules);
    const std::string path = dir.file("spiegeld.yaml");
    write_file(path, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                     "rules:\n  directory: " + rules + "\nhttp:\n  listen: 127.0.0.1:0\n" + extra_http);
    return path;
}

model::Record record(model::Kind kind, const std::string& json, model::Arena& arena) {
    model::JsonParser parser;
    auto value = parser.parse(json, arena);
    if (!value) {
        ADD_FAILURE() << "bad test JSON: " << value.error().message;
        return {};
    }
    auto rec = model::record_from_json(kind, *value, arena);
    if (!rec) {
        ADD_FAILURE() << "bad test record: " << rec.error().message;
        return {};
    }
    return *rec;
}

void write_records(store::SourceDb& db, model::Kind kind, const std::vector<std::string>& json) {
    model::Arena arena;
    auto writer = db.begin_write();
    ASSERT_TRUE(writer) << writer.error().message;
    for (const auto& j : json) {
        auto st = writer->upsert(record(kind, j, arena));
        ASSERT_TRUE(st) << st.error().message;
    }
    auto committed = writer->commit();
    ASSERT_TRUE(committed) << committed.error().message;
}

}  // namespace spiegel::testing
