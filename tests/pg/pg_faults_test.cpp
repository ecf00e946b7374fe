// Faults of a PostgreSQL source through the real binary: the daemon keeps
// serving while the server is down (spiegel_source_up 0, retries with
// back-off) and scans again when it returns; a statement_timeout mid-scan
// fails the scan and keeps the previous results; a killed import leaves
// nothing behind.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "daemon/store/pg_conn.h"
#include "tests/app/serve_fixture.h"
#include "tests/http/raw_client.h"
#include "tests/pg/pg_server.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* k_faults_as_of = "2026-10-01T12:00:00Z";

class PgFaultsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(m_server.running());
        m_server.create_schema();
    }

    std::string config(const std::string& conninfo_extra = "", const std::string& extra = "") {
        const std::string path = m_dir.file("pg.yaml");
        testing::write_file(
            path, "source:\n  kind: postgresql\n  conninfo: \"" + m_server.conninfo() +
                      conninfo_extra +
                      "\"\nstate:\n  database: data/state.db\nrules:\n  directory: " +
                      testing::source_dir() + "/rules\nhttp:\n  listen: 127.0.0.1:0\n" + extra);
        return path;
    }

    // The value of an unlabelled sample in /metrics, or -1.
    static double sample(int port, const std::string& name) {
        const auto r = testing::http_request(port, "GET", "/metrics");
        const auto at = r.body.find("\n" + name + " ");
        return at == std::string::npos ? -1 : std::stod(r.body.substr(at + name.size() + 2));
    }

    // Polls until `name` reads `value` (deadline 30 s).
    static bool wait_sample(int port, const std::string& name, double value) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (sample(port, name) == value) {
                return true;
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

    testing::TempDir m_dir;
    testing::PgServer m_server;
};

TEST_F(PgFaultsTest, the_daemon_serves_while_the_server_is_down_and_scans_when_it_returns) {
    m_server.psql("INSERT INTO cv (id) VALUES ('cv-1')");
    const std::string cfg = config("", "scan:\n  incremental_interval: 1s\n");
    m_server.stop_immediately();
    testing::DaemonProcess daemon({"serve", "--config", cfg}, m_dir.path(),
                                  m_dir.file("daemon.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan failed.*host=" + m_server.socket_dir() +
                                    " port=5432 dbname=werk"))
        << daemon.log();
    EXPECT_EQ(sample(port, "spiegel_source_up"), 0);
    EXPECT_EQ(testing::http_request(port, "GET", "/healthz").status, 200);
    EXPECT_NE(daemon.log().find("retrying after back-off"), std::string::npos) << daemon.log();
    ASSERT_TRUE(m_server.start());
    EXPECT_TRUE(wait_sample(port, "spiegel_source_up", 1)) << daemon.log();
    EXPECT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();
    EXPECT_FALSE(daemon.exited());
}

// The employer page lists the employer's vacancies read from the
// PostgreSQL source (there is no SQLite source file to read them from).
TEST_F(PgFaultsTest, the_employer_page_lists_the_employers_vacancies_from_postgresql) {
    m_server.psql(
        "INSERT INTO employer (id, name, status) VALUES ('e-1', 'Bakkerij', 'actief'), ('e-2', 'Smederij', 'actief');"
        "INSERT INTO vacancy (id, employer_id, status) VALUES ('v-1', 'e-1', 'open'), ('v-2', 'e-1', 'open'), "
        "('v-3', 'e-2', 'open')");
    const std::string cfg = config();
    const auto scan = testing::run_spiegeld({"scan", "--config", cfg, "--as-of", k_faults_as_of}, m_dir.path());
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    const auto token = testing::run_spiegeld(
        {"token", "add", "werkgever", "--role", "employer", "--employer", "e-1", "--config", cfg}, m_dir.path());
    ASSERT_EQ(token.exit_code, 0) << token.err;
    std::string bearer = token.out;
    while (!bearer.empty() && (bearer.back() == '\n' || bearer.back() == '\r')) {
        bearer.pop_back();
    }
    testing::DaemonProcess daemon({"serve", "--config", cfg}, m_dir.path(), m_dir.file("daemon.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    const auto page = testing::http_request(port, "GET", "/mijn-vacatures", "", "Authorization: Bearer " + bearer + "\r\n");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("v-1"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("v-2"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("v-3"), std::string::npos) << "another employer's vacancy";
}

TEST_F(PgFaultsTest, a_statement_timeout_mid_scan_fails_the_scan_and_keeps_the_previous_results) {
    m_server.psql("INSERT INTO cv (id) VALUES ('cv-1'), ('cv-2')");
    const std::string cfg = config(" options='-c statement_timeout=1000'");
    const auto ok =
        testing::run_spiegeld({"scan", "--config", cfg, "--as-of", k_faults_as_of}, m_dir.path());
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    // An ETL job holds the table: the scan's read waits and times out.
    auto etl = store::PgConn::connect(store::PgSettings{m_server.conninfo(), "", "public"});
    ASSERT_TRUE(etl);
    ASSERT_TRUE((*etl)->exec("BEGIN; LOCK TABLE cv IN ACCESS EXCLUSIVE MODE", "lock"));
    const auto timed_out = testing::run_spiegeld(
        {"scan", "--full", "--config", cfg, "--as-of", k_faults_as_of}, m_dir.path());
    EXPECT_EQ(timed_out.exit_code, 1);
    EXPECT_NE(timed_out.err.find("statement timeout"), std::string::npos) << timed_out.err;
    EXPECT_NE(timed_out.err.find("host=" + m_server.socket_dir()), std::string::npos)
        << timed_out.err;
    ASSERT_TRUE((*etl)->exec("ROLLBACK", "unlock"));
    SQLite::Database state(m_dir.file("data/state.db"), SQLite::OPEN_READONLY);
    EXPECT_EQ(state
                  .execAndGet(
                      "SELECT group_concat(status, ',') FROM (SELECT status FROM scan ORDER BY id)")
                  .getString(),
              "ok,failed");
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result").getInt(), 2);
}

TEST_F(PgFaultsTest, a_killed_import_leaves_nothing_behind) {
    const std::string cfg = config();
    int in[2];
    ASSERT_EQ(::pipe(in), 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::close(in[1]);
        const std::string bin = testing::spiegeld_binary();
        ::execl(bin.c_str(), bin.c_str(), "import", "--config", cfg.c_str(), "--kind", "cv", "-",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(in[0]);
    std::string lines;
    for (int i = 0; i < 50000; ++i) {  // more than one 1 MiB COPY buffer
        lines += "{\"id\":\"cv-" + std::to_string(i) + "\",\"birth_year\":1980}\n";
    }
    ASSERT_EQ(::write(in[1], lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
    // Wait until the import's COPY has sent rows to the server, then kill it.
    bool copying = false;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!copying && std::chrono::steady_clock::now() < deadline) {
        copying =
            m_server.psql(
                "SELECT count(*) FROM pg_stat_progress_copy WHERE tuples_processed > 0") != "0";
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(copying);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(in[1]);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(m_server.psql("SELECT count(*) FROM cv"), "0");
    // The server ends the dead session; its transaction never commits.
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (m_server.psql(
               "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spiegeld'") !=
               "0" &&
           std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(
        m_server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spiegeld'"),
        "0");
    EXPECT_EQ(m_server.psql("SELECT count(*) FROM cv"), "0");
}

}  // namespace
}  // namespace spiegel::app
