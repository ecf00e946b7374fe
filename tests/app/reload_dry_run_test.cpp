// POST /-/reload?dry_run=1 on a real daemon: the same JSON as `spiegeld
// rules preview` for the rules a reload would load, and nothing swapped.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

#include "daemon/app/routes.h"
#include "daemon/metrics/exporter.h"
#include "daemon/util/clock.h"
#include "tests/app/serve_fixture.h"
#include "tests/http/raw_client.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;
using testing::http_request;
using testing::TempDir;

std::string prepare(const TempDir& dir) {
    fs::copy(testing::source_dir() + "/rules", dir.file("rules"), fs::copy_options::recursive);
    fs::create_directories(dir.file("data"));
    const std::string config = dir.file("spiegeld.yaml");
    testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                "rules:\n  directory: rules\nhttp:\n  listen: 127.0.0.1:1\n  lifecycle: true\n"
                                "scan:\n  incremental_interval: 1h\n  full_interval: 24h\n");
    const auto demo = testing::run_spiegeld({"demo", "--config", config, "--cvs", "300", "--vacancies", "100",
                                             "--employers", "50"});
    EXPECT_EQ(demo.exit_code, 0) << demo.err;
    return config;
}

std::string officer_token(const std::string& config) {
    const auto added = testing::run_spiegeld({"token", "--config", config, "add", "ops", "--role", "officer"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    return added.out.substr(0, added.out.find('\n'));
}

testing::RawResponse reload(int port, const std::string& token, const std::string& query) {
    return http_request(port, "POST", "/-/reload" + query, "{}",
                        "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n");
}

std::int64_t failing(const std::string& state_db, const std::string& rule) {
    SQLite::Database db(state_db, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT count(*) FROM result WHERE ',' || failed || ',' LIKE ?");
    q.bind(1, "%," + rule + ",%");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

// A daemon serving a demo world with lifecycle routes, after its first scan.
class ReloadDryRun : public ::testing::Test {
protected:
    void SetUp() override {
        config = prepare(dir);
        token = officer_token(config);
        daemon = std::make_unique<DaemonProcess>(
            std::vector<std::string>{"serve", "--config", config, "--listen", "127.0.0.1:0"}, dir.path(),
            dir.file("serve.log"));
        port = daemon->port();
        ASSERT_GT(port, 0) << daemon->log();
        ASSERT_TRUE(daemon->wait_for_log("scan finished")) << daemon->log();
    }

    TempDir dir;
    std::string config;
    std::string token;
    std::unique_ptr<DaemonProcess> daemon;
    int port = 0;
};

TEST_F(ReloadDryRun, answers_the_preview_of_the_rules_on_disk_and_swaps_nothing) {
    // Values outside the code lists (an ETL that put a name in the region)
    // are never shown: one "unknown" group per kind and split.
    std::string odd;
    for (int i = 0; i < 12; ++i) {
        odd += R"({"id":"odd-)" + std::to_string(i) +
               R"(","region":"Jan Jansen 0612345678","target_groups":["Piet de Vries"]})" + "\n";
    }
    testing::write_file(dir.file("odd.ndjson"), odd);
    const auto imported =
        testing::run_spiegeld({"import", "--config", config, "--kind", "cv", dir.file("odd.ndjson")});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    const auto scanned = testing::run_spiegeld({"scan", "--config", config});  // their results are stored too
    ASSERT_EQ(scanned.exit_code, 0) << scanned.err;

    const std::int64_t failing_contact = failing(dir.file("data/state.db"), "cv.contact.reachable");
    ASSERT_GT(failing_contact, 0) << "the demo world has CVs without contact details";

    const std::string cv_rules = dir.file("rules/cv.yaml");
    std::string text = testing::read_text(cv_rules);
    const std::string anchor = "  - id: cv.contact.reachable\n";
    text.replace(text.find(anchor), anchor.size(), anchor + "    enabled: false\n");
    testing::write_file(cv_rules, text);

    const auto dry = reload(port, token, "?dry_run=1");
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(dry.body.find("Jansen"), std::string::npos) << dry.body;
    EXPECT_EQ(dry.body.find("Piet"), std::string::npos) << dry.body;
    const auto j = nlohmann::json::parse(dry.body);
    int unknown_regions = 0;
    for (const auto& g : j.at("groups")) {
        unknown_regions += g.at("kind") == "cv" && g.at("split") == "region" && g.at("value") == "unknown" ? 1 : 0;
    }
    EXPECT_EQ(unknown_regions, 1) << dry.body;
    bool saw = false;
    for (const auto& r : j.at("rules")) {
        if (r.at("id") == "cv.contact.reachable") {
            saw = true;
            EXPECT_EQ(r.at("newly_passing"), failing_contact);
            EXPECT_EQ(r.at("newly_failing"), 0);
        } else {
            EXPECT_EQ(r.at("newly_passing"), 0) << r;
            EXPECT_EQ(r.at("newly_failing"), 0) << r;
        }
    }
    EXPECT_TRUE(saw) << dry.body;
    EXPECT_EQ(daemon->log().find("reloaded configuration and rules"), std::string::npos) << "a dry run swaps nothing";

    EXPECT_EQ(reload(port, token, "?dry_run=maybe").status, 400);
    // The real reload afterwards still finds the rules changed.
    const auto real = reload(port, token, "?dry_run=0");
    ASSERT_EQ(real.status, 200) << real.body;
    EXPECT_EQ(nlohmann::json::parse(real.body).at("rules_changed"), true);
}

TEST_F(ReloadDryRun, broken_rules_answer_400_like_the_reload) {
    const std::string cv_rules = dir.file("rules/cv.yaml");
    testing::write_file(cv_rules, testing::read_text(cv_rules) + "  - id: cv.broken\n    check: {no_such_check: 1}\n");
    const auto dry = reload(port, token, "?dry_run=1");
    EXPECT_EQ(dry.status, 400);
    EXPECT_NE(nlohmann::json::parse(dry.body).at("error").get<std::string>().find("cv.yaml:"), std::string::npos);
}

// The route itself: a dry run never falls back to a real reload.
struct ReloadRoute {
    metrics::Exporter exporter{"test"};
    util::ManualClock clock{1'800'000'000};
    http::Router router;
    int reloads = 0;
    int dry_runs = 0;
    ReloadRoute(const std::string& access_db, bool with_dry_run) {
        RouteContext context;
        context.exporter = &exporter;
        context.lifecycle = true;
        context.auth = std::make_shared<Authenticator>(AuthenticatorOptions{&exporter, &clock, access_db, 1000});
        context.reload = [this] {
            ++reloads;
            return http::Response::json(200, "{}");
        };
        if (with_dry_run) {
            context.reload_dry_run = [this] {
                ++dry_runs;
                return http::Response::json(200, "{}");
            };
        }
        add_routes(router, context);
    }
    int post(const std::string& query, const std::string& token) {
        http::Request request;
        request.method = "POST";
        request.path = request.raw_path = "/-/reload";
        request.query = query;
        request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
        return router.dispatch(request).response.status;
    }
};

TEST(ReloadRouteDryRun, routes_by_the_parameter_and_never_reloads_on_a_dry_run) {
    TempDir dir;
    const std::string config = testing::write_test_config(dir);
    const std::string token = officer_token(config);
    ReloadRoute with(dir.file("data/access.db"), true);
    EXPECT_EQ(with.post("dry_run=1", token), 200);
    EXPECT_EQ(with.dry_runs, 1);
    EXPECT_EQ(with.reloads, 0);
    EXPECT_EQ(with.post("", token), 200);
    EXPECT_EQ(with.reloads, 1);
    EXPECT_EQ(with.post("dry_run=2", token), 400);
    ReloadRoute without(dir.file("data/access.db"), false);
    EXPECT_EQ(without.post("dry_run=1", token), 501);
    EXPECT_EQ(without.reloads, 0);
}

TEST(DryRunRequested, reads_the_query_parameter) {
    EXPECT_EQ(dry_run_requested(""), std::optional<bool>(false));
    EXPECT_EQ(dry_run_requested("dry_run=1"), std::optional<bool>(true));
    EXPECT_EQ(dry_run_requested("a=b&dry_run=true"), std::optional<bool>(true));
    EXPECT_EQ(dry_run_requested("dry_run=0"), std::optional<bool>(false));
    EXPECT_EQ(dry_run_requested("dry_run=yes"), std::nullopt);
    EXPECT_EQ(dry_run_requested("dry_run"), std::nullopt);
    EXPECT_EQ(dry_run_requested("dry_run_x=1"), std::optional<bool>(false));
}

}  // namespace
}  // namespace spiegel::app
