// spiegeld card occupation: the real binary against a state DB filled by
// hand, compared with the HTTP route answering the same card.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon/app/routes.h"
#include "daemon/store/state_db.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

// A state DB with peers of occupation 7212: 30 visible CVs nationally (12 in AM21).
struct CardFixture {
    TempDir dir;
    std::string config = write_test_config(dir, source_dir() + "/rules");
    std::string state = dir.file("data/state.db");

    CardFixture() {
        EXPECT_TRUE(store::StateDb::open(state).ok());  // creates the schema
        SQLite::Database sql(state, SQLite::OPEN_READWRITE);
        const auto peer = [&sql](const char* kind, const char* region, const char* attribute,
                                 const char* value, int count) {
            SQLite::Statement s(sql, "INSERT INTO peer_stat VALUES ('" + std::string(kind) +
                                         "', '7212', ?, ?, ?, ?, 1)");
            s.bind(1, region);
            s.bind(2, attribute);
            s.bind(3, value);
            s.bind(4, count);
            s.exec();
        };
        peer("cv", "", "count", "", 31);
        peer("cv", "", "visible", "", 30);
        peer("cv", "", "birth", "1981-1990", 18);
        peer("cv", "", "birth", "1991-", 12);
        peer("cv", "", "skill", "lassen <tig>", 20);
        peer("cv", "AM21", "visible", "", 12);
        peer("cv", "AM21", "birth", "1991-", 12);
        peer("vacancy", "", "open", "", 15);
        sql.exec(
            "INSERT INTO result (kind, id, scan_id, score, failed, unreadable, region, "
            "target_groups, occupation) "
            "VALUES ('vacancy', 'v1', 1, 80, '', 0, 'AM21', '', '7212')");
    }

    http::Response http_get(const std::string& path, const std::string& query) const {
        http::Router router;
        app::RouteContext context;
        context.card_source = [this] {
            cards::CardSource source;
            source.state_db = state;
            source.rules_dir = source_dir() + "/rules";
            return source;
        };
        app::add_routes(router, context);
        http::Request request;
        request.method = "GET";
        request.path = path;
        request.query = query;
        return router.dispatch(request).response;
    }
};

TEST(CardCli, occupation_card_json_equals_the_http_answer) {
    CardFixture f;
    const auto cli =
        run_spiegeld({"card", "--config", f.config, "occupation", "7212", "--region", "AM21"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const auto api = f.http_get("/api/v1/cards/occupation/7212", "region=AM21");
    EXPECT_EQ(api.status, 200);
    EXPECT_EQ(api.content_type, "application/json");
    EXPECT_EQ(cli.out, api.body);
    const auto j = nlohmann::json::parse(cli.out);
    EXPECT_EQ(j["national"]["tension"]["vacancies_per_job_seeker"], 0.5);
    EXPECT_EQ(j["tables"][0]["rows"][3]["national"]["count"], 18);
    EXPECT_EQ(j["regional"]["name"], "Haaglanden");
}

TEST(CardCli, unknown_isco_code_exits_1_and_answers_404) {
    CardFixture f;
    const auto cli = run_spiegeld({"card", "--config", f.config, "occupation", "9999"});
    EXPECT_EQ(cli.exit_code, 1);
    EXPECT_NE(cli.err.find("unknown occupation"), std::string::npos) << cli.err;
    const auto api = f.http_get("/api/v1/cards/occupation/9999", "");
    EXPECT_EQ(api.status, 404);
    EXPECT_NE(api.body.find("\"error\""), std::string::npos);
}

TEST(CardCli, unknown_region_exits_2_and_answers_400) {
    CardFixture f;
    const auto cli =
        run_spiegeld({"card", "--config", f.config, "occupation", "7212", "--region", "AM99"});
    EXPECT_EQ(cli.exit_code, 2);
    EXPECT_NE(cli.err.find("unknown region"), std::string::npos) << cli.err;
    EXPECT_EQ(f.http_get("/api/v1/cards/occupation/7212", "region=AM99").status, 400);
    EXPECT_EQ(f.http_get("/cards/occupation/7212", "region=AM99").status, 400);
}

TEST(CardCli, html_page_has_csp_and_escapes_like_the_cli) {
    CardFixture f;
    const auto cli =
        run_spiegeld({"card", "--config", f.config, "occupation", "7212", "--format", "html"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    const auto page = f.http_get("/cards/occupation/7212", "");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, cli.out);
    bool csp = false;
    for (const auto& [name, value] : page.headers) {
        csp = csp || (name == "Content-Security-Policy" &&
                      value == "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }
    EXPECT_TRUE(csp);
    EXPECT_NE(cli.out.find("lassen &lt;tig&gt;"), std::string::npos);
}

TEST(CardCli, routes_answer_503_without_a_card_source) {
    http::Router router;
    app::add_routes(router, app::RouteContext{});
    http::Request request;
    request.method = "GET";
    request.path = "/api/v1/cards/occupation/7212";
    EXPECT_EQ(router.dispatch(request).response.status, 503);
}

}  // namespace
}  // namespace spiegel::testing
