#include "tests/pg/pg_server.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

constexpr const char* k_bin = "/usr/lib/postgresql/15/bin/";

std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace

int shell(const std::string& command, std::string* out) {
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr) {
        return -1;
    }
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
        if (out != nullptr) {
            out->append(buf.data(), n);
        }
    }
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

PgServer::PgServer() {
    if (!std::filesystem::exists(std::string(k_bin) + "initdb")) {
        ADD_FAILURE()
            << k_bin
            << "initdb not found: install Debian's postgresql package (scripts/test.sh does)";
        return;
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") + "/spiegel-pg-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        ADD_FAILURE() << "mkdtemp failed";
        return;
    }
    m_dir = pattern;
    if (::geteuid() == 0) {
        m_as = "runuser -u postgres -- ";
        shell("chown postgres: " + sh_quote(m_dir) + " && chmod 700 " + sh_quote(m_dir));
    }
    std::string out;
    const int rc = shell(m_as + k_bin + "initdb -D " + sh_quote(m_dir + "/data") +
                             " -A trust -U postgres -E UTF8 --locale=C --no-sync 2>&1",
                         &out);
    if (rc != 0) {
        ADD_FAILURE() << "initdb failed: " << out;
        return;
    }
    if (!start()) {
        return;
    }
    psql("CREATE DATABASE werk");
}

PgServer::~PgServer() {
    if (m_running) {
        shell(m_as + k_bin + "pg_ctl -D " + sh_quote(m_dir + "/data") +
              " -m immediate -w stop >/dev/null 2>&1");
    }
    if (!m_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
}

bool PgServer::start() {
    std::string out;
    const std::string options = "-k " + m_dir +
                                " -p 5432 -c listen_addresses='' -c fsync=off "
                                "-c full_page_writes=off -c shared_buffers=32MB "
                                "-c max_connections=30";
    const int rc = shell(m_as + k_bin + "pg_ctl -D " + sh_quote(m_dir + "/data") + " -l " +
                             sh_quote(m_dir + "/server.log") + " -w -t 60 -o " + sh_quote(options) +
                             " start 2>&1",
                         &out);
    if (rc != 0) {
        std::string log;
        shell("tail -20 " + sh_quote(m_dir + "/server.log"), &log);
        ADD_FAILURE() << "pg_ctl start failed: " << out << log;
        return false;
    }
    m_running = true;
    return true;
}

void PgServer::stop_immediately() {
    if (m_running) {
        shell(m_as + k_bin + "pg_ctl -D " + sh_quote(m_dir + "/data") +
              " -m immediate -w stop >/dev/null 2>&1");
        m_running = false;
    }
}

std::string PgServer::conninfo(const std::string& user) const {
    return "host=" + m_dir + " port=5432 dbname=werk user=" + user;
}

std::string PgServer::psql(const std::string& sql, bool may_fail) const {
    const std::string db = sql.rfind("CREATE DATABASE", 0) == 0 ? "postgres" : "werk";
    std::string out;
    const int rc = shell("printf '%s' " + sh_quote(sql) + " | " + k_bin +
                             "psql -X -q -At -v ON_ERROR_STOP=1 -h " + sh_quote(m_dir) +
                             " -p 5432 -U postgres -d " + db + " 2>&1",
                         &out);
    if (rc != 0 && !may_fail) {
        ADD_FAILURE() << "psql failed (" << rc << "): " << out;
    }
    while (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

void PgServer::create_schema() const {
    std::string out;
    const int rc = shell(spiegeld_binary() + " schema postgresql | " + k_bin +
                             "psql -X -q -v ON_ERROR_STOP=1 -h " + sh_quote(m_dir) +
                             " -p 5432 -U postgres -d werk 2>&1",
                         &out);
    if (rc != 0) {
        ADD_FAILURE() << "creating the schema failed: " << out;
    }
}

}  // namespace spiegel::testing
