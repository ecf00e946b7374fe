// Serving under pressure, on the real daemon (docs/serving.md): a scan's
// write lock on the state database blocks neither probes nor personal cards
// and their audit rows; idle and slow connections never keep a probe out;
// failed authentication is throttled per address.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

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

struct World {
    TempDir dir;
    std::string config;
    std::string token;
    std::unique_ptr<DaemonProcess> daemon;
    int port = 0;

    explicit World(const std::string& extra = "") {
        fs::create_directories(dir.file("data"));
        config = dir.file("spiegeld.yaml");
        testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                    "rules:\n  directory: " + testing::source_dir() + "/rules\n"
                                    "http:\n  listen: 127.0.0.1:0\n  request_timeout: 2s\n" + extra);
        const auto demo = testing::run_spiegeld({"demo", "--config", config, "--cvs", "300", "--vacancies", "60",
                                                 "--employers", "20"});
        EXPECT_EQ(demo.exit_code, 0) << demo.err;
        const auto scan = testing::run_spiegeld({"scan", "--config", config, "--full"});
        EXPECT_EQ(scan.exit_code, 0) << scan.err;
        const auto added = testing::run_spiegeld({"token", "--config", config, "add", "adviseur", "--role", "adviser"});
        EXPECT_EQ(added.exit_code, 0) << added.err;
        token = added.out.substr(0, added.out.find('\n'));
        daemon = std::make_unique<DaemonProcess>(std::vector<std::string>{"serve", "--config", config}, dir.path(),
                                                 dir.file("serve.log"));
        port = daemon->port();
        EXPECT_GT(port, 0) << daemon->log();
    }

    std::string some_cv() const {
        SQLite::Database db(dir.file("data/state.db"), SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT id FROM result WHERE kind = 'cv' ORDER BY id LIMIT 1").getString();
    }
    testing::RawResponse card(const std::string& id, const std::string& bearer) const {
        return http_request(port, "GET", "/api/v1/cards/cv/" + id, "", "Authorization: Bearer " + bearer + "\r\n");
    }
};

TEST(Serving, a_card_and_its_audit_row_and_the_probes_do_not_wait_for_a_scans_write_lock) {
    World w;
    const std::string id = w.some_cv();
    SQLite::Database scan(w.dir.file("data/state.db"), SQLite::OPEN_READWRITE);
    scan.exec("BEGIN IMMEDIATE");  // what a running scan holds for its whole run
    scan.exec("UPDATE scan SET error = error");
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(http_request(w.port, "GET", "/healthz").status, 200);
    EXPECT_EQ(http_request(w.port, "GET", "/metrics").status, 200);
    const auto card = w.card(id, w.token);
    const auto took = std::chrono::steady_clock::now() - started;
    scan.exec("ROLLBACK");
    EXPECT_EQ(card.status, 200) << card.body;
    // The busy timeout was 10 s when audit rows went to the state database.
    EXPECT_LT(took, 5s);
    SQLite::Database access(w.dir.file("data/access.db"), SQLite::OPEN_READONLY);
    EXPECT_EQ(access.execAndGet("SELECT count(*) FROM card_access WHERE record_id = '" + id + "'").getInt(), 1);
}

TEST(Serving, health_probes_answer_with_300_idle_connections_open) {
    World w;
    std::vector<std::unique_ptr<testing::RawConnection>> idle;
    for (int i = 0; i < 300; ++i) {
        idle.push_back(std::make_unique<testing::RawConnection>(w.port, 10, "127.0.0.2"));
    }
    int answered = 0;
    for (int i = 0; i < 30; ++i) {
        answered += http_request(w.port, "GET", "/healthz").status == 200 ? 1 : 0;
    }
    EXPECT_EQ(answered, 30);
}

TEST(Serving, an_address_that_fails_authentication_too_often_is_throttled_and_counted) {
    World w("access:\n  failed_auth_per_minute: 3\n");
    const std::string id = w.some_cv();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(w.card(id, "spg_" + std::string(43, 'A')).status, 401) << i;
    }
    const auto throttled = w.card(id, w.token);
    EXPECT_EQ(throttled.status, 429) << "even a valid token, from this address, for the rest of the minute";
    EXPECT_NE(throttled.headers.find("Retry-After:"), std::string::npos) << throttled.headers;
    const auto metrics = http_request(w.port, "GET", "/metrics").body;
    EXPECT_NE(metrics.find("spiegel_auth_failures_total{reason=\"unknown\"} 3"), std::string::npos);
    EXPECT_NE(metrics.find("spiegel_auth_throttled_total 1"), std::string::npos);
}

// docs/metrics.md: `malformed` is anything not shaped like a Spiegel token
// (spg_ and 43 base64url characters), the prefix alone included.
TEST(Serving, a_failure_is_malformed_unless_the_token_has_the_shape_of_one) {
    World w("access:\n  failed_auth_per_minute: 100\n");
    const std::string id = w.some_cv();
    for (const std::string& bad : {std::string("abc"), std::string("spg_xxx"), "spg_" + std::string(43, '!'),
                                   "spg_" + std::string(44, 'A')}) {
        EXPECT_EQ(w.card(id, bad).status, 401) << bad;
    }
    EXPECT_EQ(w.card(id, "spg_" + std::string(43, 'B')).status, 401);
    const auto metrics = http_request(w.port, "GET", "/metrics").body;
    EXPECT_NE(metrics.find("spiegel_auth_failures_total{reason=\"malformed\"} 4"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("spiegel_auth_failures_total{reason=\"unknown\"} 1"), std::string::npos) << metrics;
}

TEST(Serving, html_pages_carry_the_security_headers) {
    World w;
    for (const std::string path : {"/", "/cards/occupation/2512"}) {
        const auto page = http_request(w.port, "GET", path);
        EXPECT_EQ(page.status, 200) << path;
        EXPECT_NE(page.headers.find("frame-ancestors 'none'"), std::string::npos) << path << page.headers;
        EXPECT_NE(page.headers.find("X-Content-Type-Options: nosniff"), std::string::npos) << path;
        EXPECT_NE(page.headers.find("Referrer-Policy: no-referrer"), std::string::npos) << path;
    }
}

}  // namespace
}  // namespace spiegel::app
