// `spiegeld serve` as a real process on port 0 over a temp data directory:
// endpoints, readiness, reload (POST and SIGHUP), limits, stop on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/store/state_db.h"
#include "tests/app/serve_fixture.h"
#include "tests/http/raw_client.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::DaemonProcess;
using testing::http_request;
using testing::TempDir;

struct ServeSetup {
    std::string incremental = "1h";
    std::string full = "24h";
    std::string http;   // more keys of the http section (indented two spaces)
    std::string extra;  // more YAML sections
    int cvs = 300;
    bool demo = true;
};

// Config with a copy of the shipped rules in dir/rules; demo data unless told otherwise.
std::string prepare(const TempDir& dir, const ServeSetup& setup) {
    fs::copy(testing::source_dir() + "/rules", dir.file("rules"), fs::copy_options::recursive);
    fs::create_directories(dir.file("data"));
    const std::string config = dir.file("spiegeld.yaml");
    testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                "rules:\n  directory: rules\nhttp:\n  listen: 127.0.0.1:1\n"
                                "  max_header_bytes: 1024\n  max_body_bytes: 100\n" + setup.http +
                                "scan:\n  incremental_interval: " + setup.incremental +
                                    "\n  full_interval: " + setup.full + "\n" + setup.extra);
    if (setup.demo) {
        const auto demo = testing::run_spiegeld({"demo", "--config", config, "--cvs", std::to_string(setup.cvs),
                                                 "--vacancies", "100", "--employers", "50"});
        EXPECT_EQ(demo.exit_code, 0) << demo.err;
    }
    return config;
}

ServeSetup incremental_every_second() {
    ServeSetup s;
    s.incremental = "1s";
    return s;
}

ServeSetup with_lifecycle() {
    ServeSetup s = incremental_every_second();
    s.http = "  lifecycle: true\n";
    return s;
}

// A new officer token (for POST /-/reload).
std::string officer_token(const std::string& config) {
    const auto added = testing::run_spiegeld({"token", "--config", config, "add", "ops", "--role", "officer"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return added.out.substr(0, added.out.find('\n'));
}

// POST /-/reload as an officer; `path` "/-/reload?dry_run=1" for the dry run.
testing::RawResponse reload_request(int port, const std::string& token, const std::string& path = "/-/reload") {
    return http_request(port, "POST", path, "{}",
                        "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n");
}

ServeSetup without_demo() {
    ServeSetup s;
    s.demo = false;
    return s;
}

ServeSetup json_logs() {
    ServeSetup s;
    s.extra = "log:\n  format: json\n";
    return s;
}

std::vector<std::string> serve_args(const std::string& config) {
    return {"serve", "--config", config, "--listen", "127.0.0.1:0"};
}

std::int64_t last_ok_scan(const std::string& state_db) {
    SQLite::Database db(state_db, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT coalesce(max(id), 0) FROM scan WHERE status = 'ok'").getInt64();
}

TEST(Serve, health_metrics_landing_page_and_errors_after_the_first_scan) {
    TempDir dir;
    const auto config = prepare(dir, {});
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
    ASSERT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);

    const auto metrics = http_request(port, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.headers.find("Content-Type: text/plain; version=0.0.4; charset=utf-8"), std::string::npos);
    EXPECT_NE(metrics.body.find("spiegel_build_info{"), std::string::npos);
    // Requests are counted by route pattern.
    EXPECT_NE(metrics.body.find("code=\"200\",route=\"/healthz\""), std::string::npos) << metrics.body;

    const auto landing = http_request(port, "GET", "/");
    EXPECT_EQ(landing.status, 200);
    EXPECT_NE(landing.headers.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
    EXPECT_NE(landing.body.find("href=\"/metrics\""), std::string::npos);

    const auto missing = http_request(port, "GET", "/does-not-exist");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(nlohmann::json::parse(missing.body).at("error"), "not found");
    EXPECT_EQ(http_request(port, "DELETE", "/metrics").status, 405);
    {
        // HEAD: the GET answer's head, its length, no body; the connection
        // goes on with the next request.
        testing::RawConnection connection(port);
        const auto get = connection.request("GET", "/healthz");
        const auto head = connection.request("HEAD", "/healthz");
        EXPECT_EQ(head.status, 200);
        EXPECT_TRUE(head.body.empty());
        EXPECT_NE(head.headers.find("Content-Length: " + std::to_string(get.body.size()) + "\r\n"),
                  std::string::npos)
            << head.headers;
        const auto after = connection.request("GET", "/readyz");
        EXPECT_EQ(after.status, 200) << after.headers << after.body;
        EXPECT_EQ(connection.request("HEAD", "/metrics").status, 200);
    }

    const std::string log = daemon.log();
    EXPECT_NE(log.find("type=full cv=300 vacancy=100 employer=50"), std::string::npos) << log;
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(10s), std::optional<int>(0));
}

TEST(Serve, readiness_is_503_until_a_scan_succeeds_and_a_failed_scan_is_retried) {
    TempDir dir;
    ServeSetup setup;
    setup.incremental = "1s";
    setup.demo = false;  // no source database yet: the first scans fail
    const auto config = prepare(dir, setup);
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan failed")) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/readyz").status, 503);
    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);

    const std::vector<std::string> demo_args{"demo", "--config", config, "--cvs", "50", "--vacancies", "10",
                                             "--employers", "5"};
    const auto demo = testing::run_spiegeld(demo_args);
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    ASSERT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);
}

TEST(Serve, restart_is_ready_at_once_from_the_stored_results) {
    TempDir dir;
    const auto config = prepare(dir, {});
    ASSERT_EQ(testing::run_spiegeld({"scan", "--config", config}).exit_code, 0);
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);
    EXPECT_EQ(daemon.log().find("scan started"), std::string::npos) << "fresh results need no scan at start";
}

// A daemon with the reload endpoint on (http.lifecycle) and an officer
// token for it, started on a demo world.
class ServeWithReload : public ::testing::Test {
protected:
    TempDir dir;
    const std::string config = prepare(dir, with_lifecycle());
    const std::string token = officer_token(config);
    DaemonProcess daemon{serve_args(config), dir.path(), dir.file("serve.log")};
};

TEST_F(ServeWithReload, reload_swaps_good_rules_and_refuses_broken_ones_keeping_the_old) {
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();

    const std::string cv_rules = dir.file("rules/cv.yaml");
    std::string text = testing::read_text(cv_rules);
    const std::string anchor = "  - id: cv.contact.reachable\n";
    text.replace(text.find(anchor), anchor.size(), anchor + "    enabled: false\n");
    testing::write_file(cv_rules, text);
    const auto good = reload_request(port, token);
    ASSERT_EQ(good.status, 200) << good.body;
    const auto summary = nlohmann::json::parse(good.body);
    EXPECT_EQ(summary.at("status"), "reloaded");
    EXPECT_EQ(summary.at("rules_changed"), true);
    const int enabled = summary.at("enabled_rules");

    testing::write_file(cv_rules, text + "  - id: cv.broken\n    check: {no_such_check: 1}\n");
    const auto bad = reload_request(port, token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(nlohmann::json::parse(bad.body).at("error").get<std::string>().find("cv.yaml:"), std::string::npos)
        << bad.body;
    const auto refused = daemon.wait_for_log("reload refused: the rules do not load");
    ASSERT_TRUE(refused) << daemon.log();
    // Scans go on with the rules in force.
    ASSERT_TRUE(daemon.wait_for_log("scan finished", *refused)) << daemon.log();

    testing::write_file(cv_rules, text);  // the good file again: same rules as before the broken one
    const auto again = reload_request(port, token);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(nlohmann::json::parse(again.body).at("enabled_rules"), enabled);
    EXPECT_EQ(nlohmann::json::parse(again.body).at("rules_changed"), false);
}

TEST(Serve, reload_endpoint_is_off_by_default_and_sighup_still_reloads) {
    TempDir dir;
    const auto config = prepare(dir, {});
    const std::string token = officer_token(config);
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    EXPECT_EQ(reload_request(daemon.port(), token).status, 404);
    EXPECT_EQ(http_request(daemon.port(), "GET", "/").body.find("/-/reload"), std::string::npos);
    daemon.signal(SIGHUP);
    EXPECT_TRUE(daemon.wait_for_log("reloaded configuration and rules trigger=SIGHUP")) << daemon.log();
}

TEST(Serve, cross_site_form_post_cannot_reload_even_with_the_endpoint_on) {
    TempDir dir;
    const auto config = prepare(dir, with_lifecycle());
    const std::string token = officer_token(config);
    const auto adviser = testing::run_spiegeld({"token", "--config", config, "add", "adv", "--role", "adviser"});
    ASSERT_EQ(adviser.exit_code, 0) << adviser.err;
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    // What a web page's <form method=post> sends: a form body, its own Origin, no token.
    EXPECT_EQ(http_request(port, "POST", "/-/reload", "a=1",
                           "Origin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n")
                  .status,
              403);
    EXPECT_EQ(http_request(port, "POST", "/-/reload", "a=1", "Content-Type: application/x-www-form-urlencoded\r\n").status,
              415);
    EXPECT_EQ(http_request(port, "POST", "/-/reload", "{}", "Content-Type: application/json\r\n").status, 401);
    EXPECT_EQ(reload_request(port, adviser.out.substr(0, adviser.out.find('\n'))).status, 403);
    EXPECT_EQ(http_request(port, "POST", "/-/reload", "{}",
                           "Authorization: Bearer " + token +
                               "\r\nContent-Type: application/json\r\nOrigin: http://evil.example\r\n")
                  .status,
              403);
    EXPECT_EQ(http_request(port, "POST", "/-/reload", "{}",
                           "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\nOrigin: http://127.0.0.1\r\n")
                  .status,
              200);
    EXPECT_EQ(daemon.log().find("trigger=POST"), daemon.log().rfind("trigger=POST")) << "exactly one reload ran";
}

TEST(Serve, sighup_reloads_and_a_broken_rule_file_is_logged_with_its_location) {
    TempDir dir;
    const auto config = prepare(dir, {});
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    daemon.signal(SIGHUP);
    const auto reloaded = daemon.wait_for_log("reloaded configuration and rules trigger=SIGHUP");
    ASSERT_TRUE(reloaded) << daemon.log();
    testing::write_file(dir.file("rules/extra.yaml"), "kind: cv\nrules:\n  - id: [unclosed\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("reload refused.*extra\\.yaml:[0-9]+", *reloaded)) << daemon.log();
    EXPECT_EQ(http_request(daemon.port(), "GET", "/healthz").status, 200);
}

TEST(Serve, a_reload_of_an_emptied_rules_directory_keeps_the_old_rules) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    for (const char* name : {"cv.yaml", "vacancy.yaml", "employer.yaml"}) {
        fs::remove(dir.file(std::string("rules/") + name));
    }
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("reload refused: the rules do not load.*no rules defined")) << daemon.log();
    EXPECT_EQ(http_request(daemon.port(), "GET", "/healthz").status, 200);
}

// One kind's file emptied (truncated by a failed copy, say): every CV would
// score 100, so the reload is refused and the rules in force stay.
TEST_F(ServeWithReload, a_reload_that_leaves_a_kind_without_rules_is_refused) {
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    testing::write_file(dir.file("rules/cv.yaml"), "# emptied\n");
    const auto dry = reload_request(port, token, "/-/reload?dry_run=1");
    EXPECT_EQ(dry.status, 400) << dry.body;
    const auto refused = reload_request(port, token);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_NE(refused.body.find("no enabled cv rule left (the rules in force have 20)"), std::string::npos)
        << refused.body;
    EXPECT_NE(http_request(port, "GET", "/metrics").body.find("\nspiegel_rules_loaded 40\n"), std::string::npos);
    daemon.signal(SIGHUP);
    EXPECT_TRUE(daemon.wait_for_log("reload refused: the rules do not load.*no enabled cv rule left")) << daemon.log();
}

TEST(Serve, an_empty_rules_directory_stops_the_start_with_exit_2) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    for (const char* name : {"cv.yaml", "vacancy.yaml", "employer.yaml"}) {
        fs::remove(dir.file(std::string("rules/") + name));
    }
    const auto r = testing::run_spiegeld(serve_args(config), dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(dir.file("rules") + ":1:1: no rules defined"), std::string::npos) << r.err;
}

TEST(Serve, sigterm_during_a_scan_exits_zero_and_keeps_the_previous_results) {
    TempDir dir;
    ServeSetup setup;
    setup.incremental = "1s";
    setup.full = "1s";  // every scan is full, so the second one takes a while
    setup.cvs = 20000;
    const auto config = prepare(dir, setup);
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    const auto first = daemon.wait_for_log("scan finished");
    ASSERT_TRUE(first) << daemon.log();
    const std::int64_t previous = last_ok_scan(dir.file("data/state.db"));
    ASSERT_TRUE(daemon.wait_for_log("scan started", *first)) << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(30s), std::optional<int>(0)) << daemon.log();  // a bound, not a timing
    const std::string log = daemon.log();
    EXPECT_NE(log.find("scan_running=yes"), std::string::npos) << log;
    EXPECT_NE(log.find("scan stopped before completion"), std::string::npos) << log;
    EXPECT_EQ(last_ok_scan(dir.file("data/state.db")), previous);
    SQLite::Database db(dir.file("data/state.db"), SQLite::OPEN_READONLY);
    // A stop is no failure: after a restart, spiegel_last_scan_success is
    // still the previous scan's 1 (it is read from this history).
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM scan WHERE status = 'interrupted' AND error = 'scan stopped'").getInt(),
              1);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM scan WHERE status = 'failed'").getInt(), 0);
    const auto stored = store::read_last_scan(dir.file("data/state.db"));
    ASSERT_TRUE(stored.ok()) << stored.error().message;
    EXPECT_EQ(stored->history.last_attempt_success, std::optional<bool>(true));
    EXPECT_NE(log.find("stopped"), std::string::npos);
}

// The value of an unlabelled sample in /metrics, or -1.
double metric(int port, const std::string& name) {
    const auto r = http_request(port, "GET", "/metrics");
    const auto at = r.body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(r.body.substr(at + name.size() + 2));
}

// Started with rules that lost every cv rule since the last scan (an
// emptied cv.yaml), the daemon's scans fail instead of scoring every CV
// 100; it serves the stored results meanwhile.
TEST(Serve, scans_with_a_kind_that_lost_its_rules_fail_and_the_stored_results_stay) {
    TempDir dir;
    const auto config = prepare(dir, incremental_every_second());
    ASSERT_EQ(testing::run_spiegeld({"scan", "--config", config}).exit_code, 0);
    const std::int64_t scanned = last_ok_scan(dir.file("data/state.db"));
    testing::write_file(dir.file("rules/cv.yaml"), "");
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    const auto failed = daemon.wait_for_log("scan failed.*no enabled cv rule left", 0, 30s);
    ASSERT_TRUE(failed) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan failed.*no enabled cv rule left", *failed, 30s)) << daemon.log();
    EXPECT_EQ(metric(daemon.port(), "spiegel_last_scan_success"), 0);
    EXPECT_EQ(last_ok_scan(dir.file("data/state.db")), scanned);
    EXPECT_EQ(http_request(daemon.port(), "GET", "/api/v1/cards/occupation/2512").status, 200);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(30s), std::optional<int>(0)) << daemon.log();
}

// Another process (an operator's `spiegeld scan`, say) holds the state
// database's write lock: at start the daemon serves the stored results
// instead of exiting, and a scan that fails on the lock says nothing about
// the source (spiegel_source_up keeps its value).
TEST(Serve, a_locked_state_database_is_served_read_only_and_its_scans_retry) {
    TempDir dir;
    const auto config = prepare(dir, incremental_every_second());
    ASSERT_EQ(testing::run_spiegeld({"scan", "--config", config}).exit_code, 0);
    auto lock = std::make_unique<SQLite::Database>(dir.file("data/state.db"), SQLite::OPEN_READWRITE);
    lock->setBusyTimeout(30000);  // the second lock below waits for a scan the daemon is running
    lock->exec("BEGIN EXCLUSIVE");
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();  // after waiting a second for the write lock
    ASSERT_GT(port, 0) << daemon.log();
    EXPECT_NE(daemon.log().find("the state database cannot be written now; serving its stored results"),
              std::string::npos)
        << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);
    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/occupation/2512").status, 200);
    const auto failed = daemon.wait_for_log("scan failed.*database is locked", 0, 30s);
    ASSERT_TRUE(failed) << daemon.log();
    EXPECT_EQ(metric(port, "spiegel_source_up"), 0);  // no scan has reached the source yet
    lock->exec("ROLLBACK");
    const auto finished = daemon.wait_for_log("scan finished", *failed, 40s);
    ASSERT_TRUE(finished) << daemon.log();
    EXPECT_EQ(metric(port, "spiegel_source_up"), 1);

    lock->exec("BEGIN EXCLUSIVE");
    ASSERT_TRUE(daemon.wait_for_log("scan failed.*database is locked", *finished, 30s)) << daemon.log();
    EXPECT_EQ(metric(port, "spiegel_source_up"), 1);
    EXPECT_EQ(metric(port, "spiegel_last_scan_success"), 0);
    lock->exec("ROLLBACK");
    lock.reset();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(15s), std::optional<int>(0)) << daemon.log();
}

// Without the current schema there is nothing to serve: a state database
// that must be created or migrated, and cannot be written, stops the start.
TEST(Serve, a_locked_state_database_without_the_schema_stops_the_start) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    SQLite::Database lock(dir.file("data/state.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    lock.exec("PRAGMA journal_mode=WAL");
    lock.exec("BEGIN EXCLUSIVE");
    lock.exec("CREATE TABLE unrelated (x)");
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const auto code = daemon.wait_exit(30s);
    ASSERT_TRUE(code.has_value()) << daemon.log();
    EXPECT_NE(*code, 0) << daemon.log();
    EXPECT_NE(daemon.log().find("state.db: cannot start a write transaction: database is locked"), std::string::npos)
        << daemon.log();
    EXPECT_EQ(daemon.log().find("listening on"), std::string::npos) << daemon.log();
}

TEST(Serve, oversized_header_is_431_and_oversized_body_is_413) {
    TempDir dir;
    const auto config = prepare(dir, {});
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/healthz", "", "X-Big: " + std::string(2000, 'a') + "\r\n").status, 431);
    EXPECT_EQ(http_request(port, "POST", "/-/reload", std::string(101, 'x')).status, 413);
    testing::RawConnection keep_alive(port);
    EXPECT_EQ(keep_alive.request("GET", "/healthz").status, 200);
    EXPECT_EQ(keep_alive.request("GET", "/metrics").status, 200);
    EXPECT_EQ(keep_alive.request("GET", "/healthz").status, 200);
}

TEST(Serve, no_subcommand_serves_with_the_default_config_path) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    fs::create_directories(dir.file("config"));
    std::string text = testing::read_text(config);
    text.replace(text.find("127.0.0.1:1"), 11, "127.0.0.1:0");
    for (const char* key : {"data/source.db", "data/state.db"}) {
        text.replace(text.find(key), std::string(key).size(), std::string("../") + key);
    }
    text.replace(text.find("directory: rules"), 16, "directory: ../rules");
    testing::write_file(dir.file("config/spiegeld.yaml"), text);
    DaemonProcess daemon({}, dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    EXPECT_EQ(http_request(daemon.port(), "GET", "/healthz").status, 200);
}

TEST(Serve, broken_rules_at_start_exit_2_with_the_check_messages) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    testing::write_file(dir.file("rules/extra.yaml"), "kind: cv\nrules:\n  - id: [unclosed\n");
    const auto result = testing::run_spiegeld(serve_args(config), dir.path());
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("extra.yaml:"), std::string::npos) << result.err;
}

TEST(Serve, malformed_listen_address_and_a_taken_port_are_configuration_errors) {
    TempDir dir;
    const auto config = prepare(dir, without_demo());
    const auto malformed = testing::run_spiegeld({"serve", "--config", config, "--listen", "localhost"}, dir.path());
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("'localhost' is not HOST:PORT"), std::string::npos) << malformed.err;

    DaemonProcess first(serve_args(config), dir.path(), dir.file("first.log"));
    ASSERT_GT(first.port(), 0) << first.log();
    const auto taken = testing::run_spiegeld(
        {"serve", "--config", config, "--listen", "127.0.0.1:" + std::to_string(first.port())}, dir.path());
    EXPECT_EQ(taken.exit_code, 2) << "the configured address cannot be used";
    EXPECT_NE(taken.err.find("cannot listen on 127.0.0.1:"), std::string::npos) << taken.err;
}

TEST(Serve, json_log_lines_are_objects_with_the_listening_address) {
    TempDir dir;
    const auto config = prepare(dir, json_logs());
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    ASSERT_GT(daemon.port(), 0) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();
    daemon.signal(SIGTERM);
    ASSERT_EQ(daemon.wait_exit(10s), std::optional<int>(0));
    std::istringstream lines(daemon.log());
    std::string line;
    int parsed = 0;
    while (std::getline(lines, line)) {
        const auto object = nlohmann::json::parse(line);  // throws, failing the test, on a bad line
        EXPECT_TRUE(object.contains("time") && object.contains("level") && object.contains("msg")) << line;
        ++parsed;
    }
    EXPECT_GE(parsed, 4);
}

}  // namespace
}  // namespace spiegel::app

namespace spiegel::app {
namespace {

TEST(Serve, occupation_card_routes_answer_from_the_running_daemon) {
    TempDir dir;
    const auto config = prepare(dir, {});
    DaemonProcess daemon(serve_args(config), dir.path(), dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_log("scan finished")) << daemon.log();

    // The most common first desired occupation of the demo data.
    SQLite::Database db(dir.file("data/state.db"), SQLite::OPEN_READONLY);
    const std::string isco = db.execAndGet(
        "SELECT occupation FROM result WHERE kind = 'cv' AND occupation <> '' "
        "GROUP BY occupation ORDER BY count(*) DESC, occupation LIMIT 1").getString();

    const auto api = http_request(port, "GET", "/api/v1/cards/occupation/" + isco);
    ASSERT_EQ(api.status, 200) << api.body;
    EXPECT_EQ(nlohmann::json::parse(api.body).at("isco"), isco);
    const auto cli = testing::run_spiegeld({"card", "--config", config, "occupation", isco}, dir.path());
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(nlohmann::json::parse(cli.out), nlohmann::json::parse(api.body));

    const auto page = http_request(port, "GET", "/cards/occupation/" + isco + "?region=AM21");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.headers.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/occupation/9999").status, 404);
    EXPECT_EQ(http_request(port, "GET", "/api/v1/cards/occupation/" + isco + "?region=XX").status, 400);

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait_exit(10s), std::optional<int>(0));
}

}  // namespace
}  // namespace spiegel::app
