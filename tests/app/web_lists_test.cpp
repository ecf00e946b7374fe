// The list pages (daemon/app/web_routes.cpp, web_overview.cpp): the
// adviser's worklist (JSON and HTML, order, filters, paging, errors), the
// employer's own vacancies and the officer's overview (suppression, CSV):
// who may open them, their audit rows, and that a list page counts toward
// the token's personal-read limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "daemon/app/routes.h"
#include "daemon/metrics/exporter.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

struct ListServer {
    metrics::Exporter exporter{"test"};
    util::ManualClock clock{1'800'000'000};
    std::unique_ptr<store::AccessWriter> audit;
    http::Router router;

    explicit ListServer(const CardWorld& w, int per_hour = 300) {
        store::AccessWriterOptions options;
        options.path = w.access_db();
        auto writer = store::AccessWriter::start(options, clock);
        EXPECT_TRUE(writer.ok());
        audit = std::move(*writer);
        auto auth = std::make_shared<app::Authenticator>(app::AuthenticatorOptions{&exporter, &clock, w.access_db(), 1000});
        app::RouteContext context;
        context.exporter = &exporter;
        const cards::CardSource source = w.card_source(per_hour);
        context.card_source = [source] { return source; };
        context.auth = auth;
        context.cards = std::make_shared<app::CardRoutes>(app::CardRoutesOptions{&exporter, &clock, auth, audit.get()});
        context.web = std::make_shared<app::WebRoutes>(app::CardRoutesOptions{&exporter, &clock, auth, audit.get()},
                                                       context.cards);
        app::add_routes(router, context);
    }
    http::Response get(const std::string& target, const std::string& token) {
        http::Request request;
        request.method = "GET";
        const auto q = target.find('?');
        request.path = target.substr(0, q);
        request.raw_path = request.path;
        request.query = q == std::string::npos ? "" : target.substr(q + 1);
        request.remote_address = "127.0.0.1";
        request.headers.emplace_back("Authorization", "Bearer " + token);
        return router.dispatch(request).response;
    }
};

class WebLists : public ::testing::Test {
protected:
    static CardWorld& world() {
        static CardWorld w(1000);
        return w;
    }
    static store::AccessRow last_audit() {
        auto rows = world().tokens->access_log();
        EXPECT_TRUE(rows.ok() && !rows->empty());
        return rows->back();
    }
};

TEST_F(WebLists, worklist_lists_the_regions_cvs_by_the_gain_of_their_best_fix) {
    ListServer s(world());
    const auto r = s.get("/api/v1/worklist?region=AM21", world().adviser);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["page"], 1);
    EXPECT_EQ(j["region"], "AM21");
    ASSERT_GE(j["total"].get<int>(), 13);
    const auto& items = j["items"];
    ASSERT_EQ(items.size(), j["total"].get<std::size_t>());
    double last_gain = 1e9;
    for (const auto& item : items) {
        const double gain = item["fix"].is_null() ? 0 : item["fix"]["gain"].get<double>();
        EXPECT_LE(gain, last_gain) << item.dump();
        last_gain = gain;
        EXPECT_EQ(item["card"], "/cards/cv/" + item["id"].get<std::string>());
        EXPECT_FALSE(item.contains("email"));
        EXPECT_FALSE(item.contains("name"));
    }
    // cv-p01..04 lack e-mail and phone: their best fix gains most.
    EXPECT_FALSE(items[0]["fix"].is_null());
    EXPECT_GT(items[0]["fix"]["gain"].get<double>(), 0);
}

TEST_F(WebLists, worklist_filters_by_target_group_and_visibility) {
    ListServer s(world());
    const auto group = nlohmann::json::parse(s.get("/api/v1/worklist?region=AM21&target_group=banenafspraak", world().adviser).body);
    EXPECT_EQ(group["total"], 3);  // cv-p01..03
    const auto hidden = nlohmann::json::parse(s.get("/api/v1/worklist?region=AM21&visible=nee", world().adviser).body);
    ASSERT_EQ(hidden["total"], 1);
    EXPECT_EQ(hidden["items"][0]["id"], "cv-hidden");
    const auto other = nlohmann::json::parse(s.get("/api/v1/worklist?region=AM01", world().adviser).body);
    EXPECT_EQ(other["total"], 0);
    EXPECT_TRUE(other["items"].empty());
}

TEST_F(WebLists, worklist_refuses_bad_parameters_with_400) {
    ListServer s(world());
    EXPECT_EQ(s.get("/api/v1/worklist", world().adviser).status, 400);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM99", world().adviser).status, 400);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21&page=0", world().adviser).status, 400);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21&page=x", world().adviser).status, 400);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21&target_group=nope", world().adviser).status, 400);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21&visible=maybe", world().adviser).status, 400);
    const auto html = s.get("/werklijst?region=%3Cscript%3E", world().adviser);
    EXPECT_EQ(html.status, 400);
    EXPECT_EQ(html.body.find("<script>"), std::string::npos);
}

TEST_F(WebLists, a_page_past_the_end_is_empty) {
    ListServer s(world());
    const auto j = nlohmann::json::parse(s.get("/api/v1/worklist?region=AM21&page=2", world().adviser).body);
    EXPECT_EQ(j["page"], 2);
    EXPECT_EQ(j["pages"], 1);
    EXPECT_TRUE(j["items"].empty());
}

TEST_F(WebLists, only_advisers_open_the_worklist_and_each_page_is_audited) {
    ListServer s(world());
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21", world().employer).status, 403);
    EXPECT_EQ(last_audit().status, 403);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21", world().officer).status, 403);
    ASSERT_EQ(s.get("/api/v1/worklist?region=AM21&target_group=banenafspraak", world().adviser).status, 200);
    const store::AccessRow row = last_audit();
    EXPECT_EQ(row.card_type, "worklist");
    EXPECT_EQ(row.status, 200);
    EXPECT_EQ(row.record_id, "region=AM21;target_group=banenafspraak;visible=;page=1;ids=3");
}

TEST_F(WebLists, list_pages_count_toward_the_personal_read_limit) {
    ListServer s(world(), 2);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21", world().adviser).status, 200);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().adviser).status, 200);
    EXPECT_EQ(s.get("/api/v1/worklist?region=AM21", world().adviser).status, 429);
    EXPECT_EQ(s.get("/api/v1/cards/cv/cv-target", world().adviser).status, 429);
}

TEST_F(WebLists, worklist_page_links_to_cards_and_shows_no_names) {
    ListServer s(world());
    const auto r = s.get("/werklijst?region=AM21", world().adviser);
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("href=\"/cards/cv/cv-target\""), std::string::npos);
    EXPECT_NE(r.body.find("<svg"), std::string::npos);
    EXPECT_EQ(r.body.find("example.nl"), std::string::npos);
    EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

TEST_F(WebLists, an_employer_sees_only_its_own_vacancies) {
    ListServer s(world());
    const auto r = s.get("/mijn-vacatures", world().employer);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("/cards/vacancy/vac-own"), std::string::npos);
    EXPECT_EQ(r.body.find("vac-other"), std::string::npos);
    EXPECT_EQ(r.body.find("vac-p01"), std::string::npos);
    EXPECT_EQ(s.get("/mijn-vacatures", world().adviser).status, 403);
}

TEST_F(WebLists, the_vacancy_card_shows_its_title_to_its_own_employer_only) {
    ListServer s(world());
    const auto own = s.get("/api/v1/cards/vacancy/vac-own", world().employer);
    ASSERT_EQ(own.status, 200) << own.body;
    const auto j = nlohmann::json::parse(own.body);
    ASSERT_TRUE(j.contains("title"));
    EXPECT_FALSE(j["title"].get<std::string>().empty());
    EXPECT_NE(s.get("/cards/vacancy/vac-own", world().employer).body.find("Uw vacature: <strong>"), std::string::npos);
    const auto adviser = nlohmann::json::parse(s.get("/api/v1/cards/vacancy/vac-own", world().adviser).body);
    EXPECT_FALSE(adviser.contains("title"));
}

TEST_F(WebLists, the_cv_card_shows_where_it_stands_among_its_peers) {
    ListServer s(world());
    const auto r = s.get("/api/v1/cards/cv/cv-target", world().adviser);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = nlohmann::json::parse(r.body);
    ASSERT_TRUE(j.contains("peer_bands")) << r.body;
    int you = 0;
    for (const auto& band : j["peer_bands"]["bands"]) {
        you += band["you"].get<bool>() ? 1 : 0;
    }
    EXPECT_EQ(you, 1);
    const auto html = s.get("/cards/cv/cv-target", world().adviser);
    EXPECT_NE(html.body.find("u bent hier"), std::string::npos);
    EXPECT_NE(html.body.find("<caption>Vergelijkbare cv's per scoregroep</caption>"), std::string::npos);
}

TEST_F(WebLists, the_overview_is_for_officers_and_suppresses_small_groups) {
    ListServer s(world());
    EXPECT_EQ(s.get("/overzicht", world().adviser).status, 403);
    const auto r = s.get("/overzicht", world().officer);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Kwaliteit per regio"), std::string::npos);
    const auto csv = s.get("/overzicht.csv", world().officer);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body.rfind("soort,indeling,code,naam,aantal,gemiddelde_score,verschil_week\n", 0), 0u);
    // 3 CVs in banenafspraak: under k = 10, hidden with a dash for the score.
    EXPECT_NE(csv.body.find("cv,doelgroep,banenafspraak,"), std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find(",<10,\u2013,"), std::string::npos) << csv.body;
    EXPECT_EQ(last_audit().card_type, "overview");
}

// Pages for people speak Dutch, also when a query is wrong or the reading
// limit is reached; the API keeps its English JSON.
TEST_F(WebLists, refusals_on_pages_are_dutch_and_the_api_keeps_its_json) {
    ListServer s(world(), 3);
    const auto region = s.get("/werklijst?region=AM99", world().adviser);
    EXPECT_EQ(region.status, 400);
    EXPECT_NE(region.body.find("Deze regio kennen we niet."), std::string::npos) << region.body;
    EXPECT_EQ(region.body.find("unknown"), std::string::npos) << region.body;
    EXPECT_NE(s.get("/werklijst?region=AM21&page=0", world().adviser).body.find("Deze pagina bestaat niet."),
              std::string::npos);
    EXPECT_NE(s.get("/api/v1/worklist?region=AM99", world().adviser).body.find("unknown region"), std::string::npos);
    for (int i = 0; i < 3; ++i) {
        (void)s.get("/werklijst?region=AM21", world().adviser);
    }
    const auto busy = s.get("/werklijst?region=AM21", world().adviser);
    EXPECT_EQ(busy.status, 429);
    EXPECT_NE(busy.body.find("<html lang=\"nl\""), std::string::npos) << busy.body;
    EXPECT_NE(busy.body.find("Probeer het over"), std::string::npos) << busy.body;
    EXPECT_EQ(busy.body.find("too many"), std::string::npos) << busy.body;
    const auto card = s.get("/cards/cv/cv-target", world().adviser);
    EXPECT_EQ(card.status, 429);
    EXPECT_NE(card.body.find("Probeer het over"), std::string::npos) << card.body;
    const auto api = s.get("/api/v1/cards/cv/cv-target", world().adviser);
    EXPECT_EQ(api.status, 429);
    EXPECT_NE(api.body.find("too many personal cards"), std::string::npos) << api.body;
}

TEST_F(WebLists, the_overview_speaks_of_dates_and_kinds_in_dutch) {
    ListServer s(world());
    const auto html = s.get("/overzicht", world().officer);
    ASSERT_EQ(html.status, 200);
    EXPECT_NE(html.body.find("Stand van 1 november 2026."), std::string::npos) << html.body;
    const auto csv = s.get("/overzicht.csv", world().officer);
    EXPECT_NE(csv.body.find("\nvacature,regio,"), std::string::npos) << csv.body;
    EXPECT_EQ(csv.body.find("vacancy"), std::string::npos) << csv.body;
    // Every region is a row, one without CVs too: hidden like any small
    // group, not left out (which would show its 0).
    EXPECT_NE(csv.body.find("\ncv,regio,AM01,Groningen,<10,\u2013,\u2013\n"), std::string::npos) << csv.body;
}

// A region or target group that is not in its code list (whatever an ETL
// job wrote: a formula, HTML) is never shown: such values are summed into
// one "onbekend" row, as the metrics do.
TEST(WebOverview, values_outside_the_code_lists_are_one_row_never_shown) {
    CardWorld w(1000);
    {
        auto db = store::SourceDb::open(w.source_db(), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db.ok()) << db.error().message;
        std::vector<std::string> cvs;
        for (int n = 0; n < 15; ++n) {
            auto j = rules::acceptance::base_cv();
            j["id"] = "cv-odd-" + std::to_string(n);
            j["region"] = n < 12 ? "=HYPERLINK(\"http://evil.example\",\"x\")" : "<i>Mokum</i>";
            j["target_groups"] = nlohmann::ordered_json::array({n < 12 ? "@SUM(1)" : "ww"});
            // cv.skills.min then fails more often than cv.region.known,
            // which comes first by id: the order below is by share.
            j["skills"] = nlohmann::ordered_json::array();
            cvs.push_back(j.dump());
        }
        write_records(**db, model::Kind::cv, cvs);
    }
    const auto scan = run_spiegeld({"scan", "--config", w.config, "--full", "--as-of", k_card_as_of});
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    ListServer s(w);
    const auto csv = s.get("/overzicht.csv", w.officer);
    ASSERT_EQ(csv.status, 200) << csv.body;
    for (const char* raw : {"HYPERLINK", "Mokum", "SUM", "<i>"}) {
        EXPECT_EQ(csv.body.find(raw), std::string::npos) << raw << " in " << csv.body;
    }
    EXPECT_NE(csv.body.find("\ncv,regio,onbekend,Code niet in de lijst,15,"), std::string::npos) << csv.body;
    EXPECT_NE(csv.body.find("\ncv,doelgroep,onbekend,Code niet in de lijst,12,"), std::string::npos) << csv.body;
    const auto html = s.get("/overzicht", w.officer);
    ASSERT_EQ(html.status, 200);
    EXPECT_EQ(html.body.find("HYPERLINK"), std::string::npos);
    EXPECT_NE(html.body.find("Code niet in de lijst"), std::string::npos);
    // The rules failed most often come first (by share), the hidden ones last.
    const std::string rules = html.body.substr(html.body.find("Regels die het vaakst"));
    const std::regex share_cell("<td class=\"num\">([0-9]+,[0-9])%</td>|<td class=\"num\">\u2013</td>");
    std::vector<double> shares;
    bool hidden_seen = false;
    for (auto it = std::sregex_iterator(rules.begin(), rules.end(), share_cell); it != std::sregex_iterator(); ++it) {
        if (!(*it)[1].matched) {
            hidden_seen = true;
            continue;
        }
        EXPECT_FALSE(hidden_seen) << "a shown rule after a hidden one: " << rules;
        std::string share = (*it)[1].str();
        std::replace(share.begin(), share.end(), ',', '.');
        shares.push_back(std::stod(share));
    }
    ASSERT_GE(shares.size(), 2u) << rules;
    EXPECT_TRUE(std::is_sorted(shares.rbegin(), shares.rend())) << rules;
}

}  // namespace
}  // namespace spiegel::testing
