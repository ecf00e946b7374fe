#include <gtest/gtest.h>

#include <string>

#include "daemon/cards/personal_card.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

using nlohmann::json;

bool has(const std::string& html, const std::string& text) {
    return html.find(text) != std::string::npos;
}

// A visible CV with 100 others listing the skill "<script>" (60%).
cards::CvCardInput cv_with_script_skill() {
    cards::CvCardInput in;
    in.result.kind = model::Kind::cv;
    in.result.id = "cv-1";
    in.result.score = 60;  // 3 of applicable 5
    in.result.failed = {"cv.email"};
    in.result.not_applicable = {"cv.na", "cv.skills", "cv.phone"};
    in.result.rated = true;
    in.result.dimensions = {100.0, 50.0, -1.0, -1.0, -1.0, -1.0};
    in.result.occupation = "2512";
    in.result.peer.visible = true;
    in.scan_as_of = "2026-11-20T06:00:00Z";
    in.trend = {{"2026-10-01T06:00:00Z", 50}, {"2026-11-20T06:00:00Z", 60}};
    in.occupation_peers = peer_group("2512", 101, 40);
    in.occupation_peers->counts["skill"]["<script>"] = 60;
    in.occupation_peers->counts["co_occupation"]["2514"] = 30;
    in.result.region = "AM21";  // the reader counts open vacancies only for a region
    in.open_vacancies_in_region = 12;
    return in;
}

std::string cv_html(bool contact) {
    auto in = cv_with_script_skill();
    in.contact = cards::CvContact{"a&b@example.nl", "0612345678"};
    return cards::cv_card_html(cards::build_cv_card(in, test_catalog(), {10, contact}));
}

cards::VacancyCardInput small_vacancy() {
    cards::VacancyCardInput in;
    in.result.kind = model::Kind::vacancy;
    in.result.id = "vac-1";
    in.result.score = 100;
    in.result.rated = true;
    in.result.occupation = "2512";
    in.result.peer.education = "hbo";
    in.scan_as_of = "2026-11-20T06:00:00Z";
    in.occupation_peers = peer_group("2512", 21, 10);
    in.occupation_peers->counts["education"] = {{"mbo4", 15}, {"hbo", 6}};
    in.pool["visible"][""] = 45;
    in.pool["education"] = {{"mbo2", 30}, {"mbo4", 15}};
    return in;
}

std::string vacancy_html() {
    return cards::vacancy_card_html(
        cards::build_vacancy_card(small_vacancy(), test_catalog(), {10, false}));
}

TEST(CvCardHtml, every_section_has_its_stable_id) {
    const std::string html = cv_html(true);
    for (const char* id :
         {"score", "dimensions", "trend", "advice", "peers", "suggestions", "contact"}) {
        EXPECT_TRUE(has(html, std::string("<section id=\"") + id + "\"")) << id;
    }
    EXPECT_TRUE(has(html, "<html lang=\"nl\">"));
    EXPECT_TRUE(has(html, "<h1>Cv-kaart</h1>"));
    EXPECT_TRUE(has(html, "@media print{@page{size:A4;"));
    EXPECT_TRUE(has(html, "p.note{font-size:7.5pt}}\n</style>"));
}

TEST(CvCardHtml, shows_score_trend_advice_and_suggestions_in_dutch) {
    const std::string html = cv_html(false);
    EXPECT_TRUE(has(html, "60,0 van 100 &middot; C: voldoende"));
    EXPECT_TRUE(has(html, "Uw score is gestegen van 50,0 naar 60,0 sinds 1 oktober 2026."));
    EXPECT_TRUE(has(html, "<strong>Titel cv.email</strong>"));
    EXPECT_TRUE(has(html, "Gaat over: e-mailadres."));
    EXPECT_TRUE(has(
        html, "Als u dit verbetert, wordt uw score 100,0."));  // applicable: contact 3 + email 2
    EXPECT_TRUE(has(html, "Applicatieprogrammeurs (2514)</th><td>30%</td>"));
    EXPECT_TRUE(has(html, "In uw regio zijn nu 12 open vacatures voor softwareontwikkelaars."));
}

TEST(CvCardHtml, contact_section_only_when_contact_is_included) {
    EXPECT_FALSE(has(cv_html(false), "id=\"contact\""));
    EXPECT_FALSE(has(cv_html(false), "example.nl"));
    EXPECT_TRUE(has(cv_html(true), "a&amp;b@example.nl"));
}

TEST(CvCardHtml, values_are_escaped_and_there_is_no_script) {
    const std::string html = cv_html(true);
    EXPECT_TRUE(has(html, "&lt;script&gt;"));
    EXPECT_FALSE(has(html, "<script"));
}

TEST(CvCardHtml, tables_have_captions_and_header_scopes) {
    const std::string html = cv_html(true);
    std::size_t tables = 0;
    std::size_t captions = 0;
    for (auto at = html.find("<table>"); at != std::string::npos;
         at = html.find("<table>", at + 1)) {
        ++tables;
        captions += html.compare(at + 7, 10, "\n<caption>") == 0 ? 1 : 0;
    }
    EXPECT_EQ(tables, 4u);  // dimensions, trend, alternatives, contact
    EXPECT_EQ(captions, tables);
    EXPECT_FALSE(has(html, "<th>"));
}

TEST(VacancyCardHtml, every_section_has_its_stable_id) {
    const std::string html = vacancy_html();
    for (const char* id : {"score", "dimensions", "trend", "advice", "peers", "pool"}) {
        EXPECT_TRUE(has(html, std::string("<section id=\"") + id + "\"")) << id;
    }
    EXPECT_FALSE(has(html, "id=\"contact\""));
    EXPECT_FALSE(has(html, "<script"));
    EXPECT_TRUE(has(html, "<h1>Vacaturekaart</h1>"));
    EXPECT_TRUE(has(html, "Beroep: Softwareontwikkelaars (2512)"));
}

TEST(VacancyCardHtml, pool_under_k_is_one_sentence_without_table) {
    auto in = small_vacancy();
    in.pool["visible"][""] = 9;
    in.pool["education"] = {{"mbo2", 9}};
    const std::string html =
        cards::vacancy_card_html(cards::build_vacancy_card(in, test_catalog(), {10, false}));
    EXPECT_TRUE(has(html, "Er zijn minder dan 10 werkzoekenden met een zichtbaar cv"));
    EXPECT_FALSE(has(html, "Werkzoekenden naar opleidingsniveau"));
    EXPECT_FALSE(has(html, "banenafspraak"));
}

TEST(VacancyCardHtml, pool_table_shows_suppressed_cells_as_under_k) {
    const std::string html = vacancy_html();
    EXPECT_TRUE(has(html, "<th scope=\"row\">MBO-2</th><td>30</td><td>66,7%</td>"));
    // MBO-4 (15) is hidden so that the zeros beside it cannot be worked
    // out: "x", not "<10"; its share a dash (explained by the note).
    EXPECT_TRUE(has(html, "<th scope=\"row\">MBO-4</th><td>x</td><td>\u2013</td>"));
    EXPECT_TRUE(has(html, "<th scope=\"row\">MBO-3</th><td>&lt;10</td><td>\u2013</td>"));
    EXPECT_TRUE(has(html, "<th scope=\"row\">Totaal</th><td>45</td><td>100,0%</td>"));
    EXPECT_TRUE(has(html, "Uw vacature voldoet aan alle regels."));
    EXPECT_TRUE(has(html, "Uw eis is hoger dan bij 75% van vergelijkbare vacatures."));
}

}  // namespace
}  // namespace spiegel::testing
