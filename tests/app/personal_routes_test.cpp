// The CV and vacancy card routes: bearer tokens, roles, the employer
// binding, the per-token rate limit, the audit log and the read metric,
// and that the CLI prints the card the API serves.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>

#include "daemon/app/routes.h"
#include "daemon/metrics/exporter.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

class PersonalRoutes : public ::testing::Test {
protected:
    static CardWorld& world() {
        static CardWorld w(1000);
        return w;
    }

    // A router like the daemon's, with its own limiter (limit per_hour) and clock.
    struct Server {
        metrics::Exporter exporter{"test"};
        util::ManualClock clock{1'800'000'000};
        std::unique_ptr<store::AccessWriter> audit;
        http::Router router;
        Server(const CardWorld& w, int per_hour, std::chrono::milliseconds audit_timeout = std::chrono::seconds(2)) {
            store::AccessWriterOptions options;
            options.path = w.access_db();
            options.audit_timeout = audit_timeout;
            auto writer = store::AccessWriter::start(options, clock);
            EXPECT_TRUE(writer.ok()) << (writer ? "" : writer.error().message);
            audit = std::move(*writer);
            app::RouteContext context;
            context.exporter = &exporter;
            const cards::CardSource source = w.card_source(per_hour);
            context.card_source = [source] { return source; };
            auto auth = std::make_shared<app::Authenticator>(
                app::AuthenticatorOptions{&exporter, &clock, w.access_db(), 1000});
            context.cards = std::make_shared<app::CardRoutes>(app::CardRoutesOptions{&exporter, &clock, auth, audit.get()});
            app::add_routes(router, context);
        }
        std::int64_t now() const { return clock.wall_seconds(); }
        http::Response get(const std::string& path, const std::string& token) {
            http::Request request;
            request.method = "GET";
            request.path = path;
            request.raw_path = path;
            if (!token.empty()) {
                request.headers.emplace_back("authorization", "Bearer " + token);
            }
            return router.dispatch(request).response;
        }
    };

    static std::size_t audit_rows() {
        auto rows = world().tokens->access_log();
        EXPECT_TRUE(rows.ok());
        return rows.ok() ? rows->size() : 0;
    }
};

TEST_F(PersonalRoutes, no_token_is_401_with_a_bearer_challenge) {
    Server s(world(), 300);
    const auto r = s.get("/api/v1/cards/cv/cv-target", "");
    EXPECT_EQ(r.status, 401);
    bool challenge = false;
    for (const auto& [name, value] : r.headers) {
        challenge = challenge || (name == "WWW-Authenticate" && value.rfind("Bearer", 0) == 0);
    }
    EXPECT_TRUE(challenge);
}

TEST_F(PersonalRoutes, unknown_malformed_and_revoked_tokens_are_401) {
    Server s(world(), 300);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", "spg_" + std::string(43, 'A')).status, 401);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", "not-a-token").status, 401);
    auto extra = world().tokens->add("tijdelijk", store::Role::adviser, "", 1'700'000'000);
    ASSERT_TRUE(extra.ok());
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", *extra).status, 200);
    ASSERT_TRUE(world().tokens->revoke("tijdelijk", 1'700'000'100).ok());
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", *extra).status, 401);
}

TEST_F(PersonalRoutes, adviser_reads_cv_and_vacancy_cards_with_contact_details) {
    Server s(world(), 300);
    const auto cv = s.get("/api/v1/cards/cv/cv-target", world().adviser);
    ASSERT_EQ(cv.status, 200) << cv.body;
    const auto j = nlohmann::json::parse(cv.body);
    EXPECT_EQ(j.at("id"), "cv-target");
    EXPECT_EQ(j.at("contact").at("email"), "j.jansen@example.nl");
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-own", world().adviser).status, 200);
    EXPECT_EQ(s.get("/cards/cv/cv-target", world().adviser).status, 200);
}

TEST_F(PersonalRoutes, officer_reads_no_personal_card) {
    Server s(world(), 300);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().officer).status, 403);
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-own", world().officer).status, 403);
    EXPECT_EQ(s.get("/api/v1/cards/occupation/2512", world().officer).status, 200);
}

TEST_F(PersonalRoutes, employer_reads_only_its_own_vacancies) {
    Server s(world(), 300);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().employer).status, 403);
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-other", world().employer).status, 403);
    const auto own = s.get("/api/v1/cards/vacancy/vac-own", world().employer);
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_EQ(nlohmann::json::parse(own.body).at("employer_id"), "emp-1");
    EXPECT_EQ(s.get("/cards/vacancy/vac-own", world().employer).status, 200);
}

TEST_F(PersonalRoutes, unknown_record_is_404) {
    Server s(world(), 300);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-nobody", world().adviser).status, 404);
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-nobody", world().employer).status, 404);
}

TEST_F(PersonalRoutes, reads_over_the_hourly_limit_are_429_until_the_window_moves) {
    Server s(world(), 3);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().adviser).status, 200) << i;
    }
    const auto refused = s.get("/api/v1/cards/cv/cv-target", world().adviser);
    EXPECT_EQ(refused.status, 429);
    bool retry_after = false;
    for (const auto& [name, value] : refused.headers) {
        retry_after = retry_after || (name == "Retry-After" && value == "3600");
    }
    EXPECT_TRUE(retry_after) << "all three reads at the same second: free again in an hour";
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-own", world().adviser).status, 429);
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/vac-own", world().employer).status, 200) << "per token";
    s.clock.advance(std::chrono::hours(1));
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().adviser).status, 200);
}

TEST_F(PersonalRoutes, every_card_served_or_refused_to_a_valid_token_is_audited) {
    Server s(world(), 300);
    const std::size_t before = audit_rows();
    ASSERT_EQ(s.get("/api/v1/cards/cv/cv-p07", world().adviser).status, 200);
    ASSERT_EQ(s.get("/api/v1/cards/vacancy/vac-own", world().employer).status, 200);
    ASSERT_EQ(s.get("/api/v1/cards/vacancy/vac-other", world().employer).status, 403);
    ASSERT_EQ(s.get("/api/v1/cards/cv/cv-target", world().officer).status, 403);
    ASSERT_EQ(s.get("/api/v1/cards/cv/cv-nobody", world().adviser).status, 404);
    ASSERT_EQ(s.get("/api/v1/cards/cv/cv-target", "").status, 401);  // no principal: no row
    auto rows = world().tokens->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), before + 5);
    const auto& cv = (*rows)[before];
    EXPECT_EQ(cv.token_name, "adviseur-1");
    EXPECT_EQ(cv.card_type, "cv");
    EXPECT_EQ(cv.record_id, "cv-p07");
    EXPECT_EQ(cv.time, s.now());
    EXPECT_EQ(cv.status, 200);
    EXPECT_EQ((*rows)[before + 1].token_name, "werkgever-1");
    EXPECT_EQ((*rows)[before + 1].status, 200);
    EXPECT_EQ((*rows)[before + 2].record_id, "vac-other");
    EXPECT_EQ((*rows)[before + 2].status, 403);
    EXPECT_EQ((*rows)[before + 3].token_name, "kwaliteit-1");
    EXPECT_EQ((*rows)[before + 3].status, 403);
    EXPECT_EQ((*rows)[before + 4].status, 404);
    const std::string metrics = s.exporter.render();
    EXPECT_NE(metrics.find("spiegel_personal_card_reads_total{role=\"adviser\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("spiegel_personal_card_reads_total{role=\"employer\"} 1"), std::string::npos);
    EXPECT_NE(metrics.find("spiegel_personal_card_reads_total{role=\"officer\"} 0"), std::string::npos);
}

// A requested id that is not a record id may be personal data (an e-mail
// address typed into the path): the miss is audited, the text is not.
TEST_F(PersonalRoutes, a_request_for_something_that_is_not_an_id_is_audited_without_it) {
    Server s(world(), 300);
    const std::size_t before = audit_rows();
    const auto email = s.get("/api/v1/cards/cv/jan.jansen%40example.nl", world().adviser);
    EXPECT_EQ(email.status, 404);
    EXPECT_EQ(email.body.find("jansen"), std::string::npos) << email.body;
    EXPECT_EQ(s.get("/api/v1/cards/vacancy/" + std::string(65, 'v'), world().employer).status, 404);
    EXPECT_EQ(s.get("/cards/cv/06%2012345678", world().adviser).status, 404);
    EXPECT_EQ(s.get("/api/v1/cards/cv/" + std::string(64, 'c'), world().adviser).status, 404);  // an id, unknown
    auto rows = world().tokens->access_log();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), before + 4);
    for (std::size_t i = before; i < before + 3; ++i) {
        EXPECT_EQ((*rows)[i].record_id, "<not an id>");
        EXPECT_EQ((*rows)[i].status, 404);
    }
    EXPECT_EQ((*rows)[before + 3].record_id, std::string(64, 'c'));
}

// Fail closed: while another process holds the access database's write
// lock, the audit rows cannot commit, so neither the card nor the refusal
// is served once access.audit_timeout has passed.
TEST_F(PersonalRoutes, a_card_whose_audit_row_cannot_commit_is_refused) {
    Server s(world(), 300, std::chrono::milliseconds(200));
    SQLite::Database other(world().access_db(), SQLite::OPEN_READWRITE);
    other.setBusyTimeout(5000);  // the audit writer may be pruning as it starts
    other.exec("BEGIN IMMEDIATE");
    const auto cv = s.get("/api/v1/cards/cv/cv-target", world().adviser);
    EXPECT_EQ(cv.status, 500);
    EXPECT_NE(cv.body.find("could not be audit-logged, so the card is not shown"), std::string::npos) << cv.body;
    EXPECT_EQ(cv.body.find("j.jansen"), std::string::npos);
    const auto html = s.get("/cards/cv/cv-target", world().adviser);
    EXPECT_EQ(html.status, 500);
    EXPECT_EQ(html.body.find("j.jansen"), std::string::npos);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-nobody", world().adviser).status, 500);  // a refusal too
    other.exec("ROLLBACK");
    const std::string metrics = s.exporter.render();
    EXPECT_NE(metrics.find("spiegel_audit_failures_total 3"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("spiegel_personal_card_reads_total{role=\"adviser\"} 0"), std::string::npos);
    // Served again once the writer has caught up: it first commits the rows
    // that timed out, and may still sleep in SQLite's busy handler, so one
    // request within 200 ms is not guaranteed on a slow machine.
    int status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        status = s.get("/api/v1/cards/cv/cv-target", world().adviser).status;
    }
    EXPECT_EQ(status, 200);
}

TEST_F(PersonalRoutes, reads_over_the_limit_are_not_audited) {
    Server s(world(), 1);
    ASSERT_EQ(s.get("/api/v1/cards/cv/cv-p08", world().adviser).status, 200);
    const std::size_t before = audit_rows();
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(s.get("/api/v1/cards/cv/cv-p08", world().adviser).status, 429);
    }
    EXPECT_EQ(audit_rows(), before) << "a hammering client cannot flood the audit log";
}

TEST_F(PersonalRoutes, personal_pages_are_not_cached_and_have_a_csp) {
    Server s(world(), 300);
    const auto page = s.get("/cards/cv/cv-target", world().adviser);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u);
    bool no_store = false;
    bool csp = false;
    for (const auto& [name, value] : page.headers) {
        no_store = no_store || (name == "Cache-Control" && value == "no-store");
        csp = csp || name == "Content-Security-Policy";
    }
    EXPECT_TRUE(no_store);
    EXPECT_TRUE(csp);
}

TEST_F(PersonalRoutes, cli_prints_the_card_the_api_serves) {
    Server s(world(), 300);
    for (const char* type : {"cv", "vacancy"}) {
        const std::string id = std::string(type) == "cv" ? "cv-target" : "vac-own";
        for (const char* format : {"json", "html"}) {
            const auto cli = run_spiegeld({"card", "--config", world().config, type, id, "--format", format});
            ASSERT_EQ(cli.exit_code, 0) << cli.err;
            const std::string path = std::string(format) == "json" ? "/api/v1/cards/" : "/cards/";
            const auto api = s.get(path + type + "/" + id, world().adviser);
            EXPECT_EQ(api.status, 200);
            EXPECT_EQ(cli.out, api.body) << type << " " << format;
        }
    }
}

TEST_F(PersonalRoutes, cli_unknown_id_exits_1_without_echoing_it) {
    const auto cli = run_spiegeld({"card", "--config", world().config, "cv", "cv-nobody"});
    EXPECT_EQ(cli.exit_code, 1);
    EXPECT_NE(cli.err.find("no scan result"), std::string::npos) << cli.err;
    EXPECT_EQ(run_spiegeld({"card", "--config", world().config, "cv", "cv-target", "--region", "AM21"}).exit_code, 2);
}

}  // namespace
}  // namespace spiegel::testing
