#include <gtest/gtest.h>

#include <string>

#include "daemon/cards/card_html.h"
#include "daemon/cards/personal_card.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

using nlohmann::json;

// A vacancy for 2512 in AM21 requiring hbo, 32-40 hours, no salary,
// failing vacancy.salary: passed 1 of 3 -> 33.3.
cards::VacancyCardInput software_vacancy() {
    cards::VacancyCardInput in;
    in.result.kind = model::Kind::vacancy;
    in.result.id = "vac-9";
    in.result.score = 33.3;
    in.result.failed = {"vacancy.salary"};
    in.result.rated = true;
    in.result.dimensions = {0.0, -1.0, 100.0, -1.0, -1.0, -1.0};
    in.result.region = "AM21";
    in.result.occupation = "2512";
    in.result.peer.education = "hbo";
    in.result.peer.hours_min = "32";
    in.result.peer.hours_max = "40";
    in.employer_id = "emp-3";
    in.scan_as_of = "2026-11-20T06:00:00Z";
    in.trend = {{"2026-11-20T06:00:00Z", 33.3}};
    // 41 vacancies with the vacancy itself: 40 others.
    auto peers = peer_group("2512", 41, 30);
    peers.counts["salary"][""] = 26;
    peers.counts["hours_min"] = {{"", 5}, {"24", 10}, {"32", 16}, {"36", 10}};
    peers.counts["hours_max"] = {{"38", 20}, {"40", 21}};
    peers.counts["education"] = {{"mbo2", 10}, {"mbo4", 20}, {"hbo", 11}};
    in.occupation_peers = peers;
    in.group_peers = peer_group("251", 100);
    in.pool["visible"][""] = 45;
    in.pool["education"] = {{"mbo2", 30}, {"mbo4", 15}};
    in.pool["target_group"]["banenafspraak"] = 9;
    return in;
}

json card(const cards::VacancyCardInput& in, int k = 10) {
    return cards::build_vacancy_card(in, test_catalog(), {k, false});
}

TEST(VacancyCard, identity_occupation_score_and_failing_rules) {
    const json j = card(software_vacancy());
    EXPECT_EQ(j["type"], "vacancy");
    EXPECT_EQ(j["id"], "vac-9");
    EXPECT_EQ(j["employer_id"], "emp-3");
    EXPECT_EQ(j["occupation"]["code"], "2512");
    EXPECT_EQ(j["occupation"]["title"], "Softwareontwikkelaars");
    EXPECT_EQ(j["grade"], "E");
    ASSERT_EQ(j["failing_rules"].size(), 1u);
    EXPECT_EQ(j["failing_rules"][0]["id"], "vacancy.salary");
    EXPECT_EQ(j["failing_rules"][0]["fields"][0]["label"], "minimumsalaris");
    EXPECT_EQ(j["failing_rules"][0]["score_if_fixed"], 100.0);
}

TEST(VacancyCard, the_vacancy_itself_is_never_its_own_peer) {
    auto in = software_vacancy();
    in.occupation_peers->members = 10;  // 9 others: widen
    in.group_peers = peer_group("251", 11, 5);
    const json p = card(in)["peers"];
    EXPECT_EQ(p["basis"], "minor_group");
    EXPECT_EQ(p["peers"], 10);
    EXPECT_EQ(p["better_than_percent"], 50);
    in.group_peers->members = 10;
    EXPECT_EQ(card(in)["peers"]["basis"], "none");
    EXPECT_EQ(card(in)["peers"]["text"],
              "Er zijn te weinig vergelijkbare vacatures om uw vacature mee te vergelijken.");
}

TEST(VacancyCard, vacancy_without_occupation_says_why_it_is_not_compared) {
    auto in = software_vacancy();
    in.result.occupation.clear();
    in.occupation_peers.reset();
    in.group_peers.reset();
    const json p = card(in)["peers"];
    EXPECT_EQ(p["basis"], "none");
    EXPECT_EQ(p["text"],
              "Uw vacature heeft geen beroep. Daarom kunnen we haar niet vergelijken met andere "
              "vacatures.");
}

TEST(VacancyCard, vacancy_without_occupation_gets_no_pool_sentence_about_dit_beroep) {
    auto in = software_vacancy();
    in.result.occupation.clear();
    in.occupation_peers.reset();
    in.group_peers.reset();
    const json pool = card(in)["pool"];
    EXPECT_EQ(pool["occupation_missing"], true);
    EXPECT_FALSE(pool.contains("visible"));
    EXPECT_EQ(pool["sentence"].get<std::string>().find("dit beroep"), std::string::npos);
    const std::string html = cards::vacancy_card_html(card(in));
    EXPECT_EQ(html.find("die dit beroep zoeken"), std::string::npos);
    EXPECT_NE(html.find("Uw vacature heeft geen beroep. Kies een beroep"), std::string::npos);
}

TEST(VacancyCard, vacancy_with_an_unknown_occupation_code_has_no_peers_and_no_pool) {
    for (const std::string code : {"99999", "magazijn", "9999"}) {
        SCOPED_TRACE(code);
        auto in = software_vacancy();
        in.result.occupation = code;
        in.occupation_peers = peer_group(code, 41, 30);
        in.group_peers = peer_group(code.substr(0, 3), 100);
        const json c = card(in);
        EXPECT_EQ(c["occupation"]["code"], code);  // the vacancy's own field, shown to its employer
        EXPECT_EQ(c["peers"]["basis"], "none");
        EXPECT_EQ(c["peers"]["code"], "");
        EXPECT_EQ(c["peers"]["text"], "Het beroep van uw vacature heeft geen bekende beroepscode. Daarom kunnen we "
                                      "haar niet vergelijken met andere vacatures.");
        EXPECT_EQ(c["pool"]["occupation_missing"], true);
        EXPECT_FALSE(c["pool"].contains("visible"));
        EXPECT_NE(c["pool"]["sentence"].get<std::string>().find("geen bekende beroepscode"), std::string::npos);
    }
}

TEST(VacancyCard, salary_share_of_the_other_vacancies) {
    auto in = software_vacancy();
    json s = card(in)["peers"]["salary"];
    EXPECT_EQ(s["percent"], 65);  // 26 / 40
    EXPECT_EQ(s["text"],
              "65% van vergelijkbare vacatures noemt een salaris. Noem ook het salaris, dan "
              "weten werkzoekenden waar ze aan toe zijn.");
    in.result.peer.salary = true;  // counted among the 26 itself: 25 / 40
    s = card(in)["peers"]["salary"];
    EXPECT_EQ(s["percent"], 63);
    EXPECT_EQ(s["text"],
              "63% van vergelijkbare vacatures noemt een salaris. Uw vacature noemt "
              "ook een salaris.");
}

TEST(VacancyCard, typical_hours_are_medians_without_the_vacancy_and_missing_values) {
    // min: 24 x10, 32 x15, 36 x10 -> 35 values, the 18th is 32.
    // max: 38 x20, 40 x20 -> (38 + 40) / 2.
    const json h = card(software_vacancy())["peers"]["hours"];
    EXPECT_EQ(h["min"], 32.0);
    EXPECT_EQ(h["max"], 39.0);
    EXPECT_EQ(h["text"], "Vergelijkbare vacatures vragen meestal 32 tot 39 uur per week.");
}

TEST(VacancyCard, higher_education_requirement_than_most_narrows_the_pool) {
    // Others: mbo2 10, mbo4 20, hbo 10; lower than hbo: 30 of 40.
    const json e = card(software_vacancy())["peers"]["education"];
    EXPECT_EQ(e["usual"], "mbo4");
    EXPECT_EQ(e["usual_label"], "MBO-4");
    EXPECT_EQ(e["higher_than_percent"], 75);
    EXPECT_EQ(e["text"],
              "Vergelijkbare vacatures vragen het vaakst MBO-4. Uw eis is hoger dan bij 75% van "
              "vergelijkbare vacatures. Met een hogere eis kunnen minder mensen op uw vacature "
              "reageren.");
}

TEST(VacancyCard, a_level_named_by_a_common_noun_is_lower_case_in_the_sentence) {
    auto in = software_vacancy();
    in.occupation_peers->counts["education"] = {{"basis", 30}, {"hbo", 11}};
    const json e = card(in)["peers"]["education"];
    EXPECT_EQ(e["usual_label"], "Basisonderwijs");
    EXPECT_EQ(e["text"].get<std::string>().rfind("Vergelijkbare vacatures vragen het vaakst basisonderwijs. ", 0), 0u)
        << e["text"];
}

TEST(VacancyCard, equal_rank_is_not_lower_and_missing_level_counts_lowest) {
    auto in = software_vacancy();
    in.result.peer.education = "mbo2";
    // Others: mbo2 10, mbo (same rank) 5, vmbo 6, '' 4, hbo 15 -> lower 10 of 40.
    in.occupation_peers->counts["education"] = {
        {"mbo2", 11}, {"mbo", 5}, {"vmbo", 6}, {"", 4}, {"hbo", 15}};
    const json e = card(in)["peers"]["education"];
    EXPECT_EQ(e["higher_than_percent"], 25);
    EXPECT_EQ(e["usual"], "hbo");
    EXPECT_EQ(e["text"].get<std::string>().find("minder mensen"), std::string::npos);
}

TEST(VacancyCard, lowest_requirement_among_peers_is_said_plainly) {
    auto in = software_vacancy();
    in.result.peer.education = "mbo2";
    in.occupation_peers->counts["education"] = {{"mbo2", 11}, {"hbo", 30}};
    const json e = card(in)["peers"]["education"];
    EXPECT_EQ(e["higher_than_percent"], 0);
    EXPECT_EQ(e["text"],
              "Vergelijkbare vacatures vragen het vaakst HBO/bachelor. Geen enkele vergelijkbare "
              "vacature vraagt een lager niveau dan uw vacature.");
}

// The medians of minimum and maximum hours are of different vacancies.
TEST(VacancyCard, a_usual_minimum_above_the_usual_maximum_is_no_range) {
    auto in = software_vacancy();
    in.occupation_peers->counts["hours_min"] = {{"36", 30}};
    in.occupation_peers->counts["hours_max"] = {{"8", 30}};
    const json h = card(in)["peers"]["hours"];
    EXPECT_EQ(h["min"], 36.0);
    EXPECT_EQ(h["max"], 8.0);
    EXPECT_EQ(h["text"], "Vergelijkbare vacatures noemen heel verschillende aantallen uren per week.");
}

TEST(VacancyCard, a_made_up_occupation_code_has_no_title) {
    auto in = software_vacancy();
    in.result.occupation = "9999";
    EXPECT_EQ(card(in)["occupation"]["code"], "9999");
    EXPECT_EQ(card(in)["occupation"]["title"], "");
}

TEST(VacancyCard, equal_median_hours_are_named_once) {
    auto in = software_vacancy();
    in.occupation_peers->counts["hours_min"] = {{"36", 41}};
    in.occupation_peers->counts["hours_max"] = {{"36", 41}};
    in.result.peer.hours_min = in.result.peer.hours_max = "";
    EXPECT_EQ(card(in)["peers"]["hours"]["text"],
              "Vergelijkbare vacatures vragen meestal 36 uur per week.");
}

TEST(VacancyCard, hours_stated_by_fewer_than_k_others_give_no_median) {
    auto in = software_vacancy();
    in.occupation_peers->counts["hours_min"] = {{"", 31}, {"32", 10}};  // 9 without itself
    in.occupation_peers->counts["hours_max"] = {{"", 41}};
    const json h = card(in)["peers"]["hours"];
    EXPECT_TRUE(h["min"].is_null());
    EXPECT_TRUE(h["max"].is_null());
}

TEST(VacancyCard, pool_table_hides_a_lone_small_cell_and_the_next_smallest) {
    // Every other level is 0: their sum would give them away, so mbo4 goes too.
    const json pool = card(software_vacancy())["pool"];
    EXPECT_EQ(pool["visible"]["count"], 45);
    EXPECT_EQ(pool["area"],
              "in de regio " + std::string(shipped_codes().regions.get("AM21", "name")));
    const json& rows = pool["education"]["rows"];
    for (const auto& row : rows) {
        if (row["key"] == "mbo2") {
            EXPECT_EQ(row["cell"]["count"], 30);
            EXPECT_EQ(row["cell"]["percent"], 66.7);
        } else {
            EXPECT_TRUE(row["cell"]["count"].is_null()) << row["key"];
            // mbo4 (15) is hidden only so the zeros cannot be worked out: "x", not "<10".
            EXPECT_EQ(row["cell"]["text"], row["key"] == "mbo4" ? "x" : "<10") << row["key"];
        }
    }
    EXPECT_EQ(pool["education"]["total"]["count"], 45);
}

// The regional pool beside the occupation card's national column: a level
// with a rest of the country under k is hidden, as on the occupation card.
TEST(VacancyCard, pool_hides_a_level_whose_rest_of_the_country_is_under_k) {
    auto in = software_vacancy();
    in.pool["visible"][""] = 60;
    in.pool["education"] = {{"mbo2", 30}, {"mbo4", 15}, {"hbo", 15}};
    in.national_pool.emplace();
    (*in.national_pool)["education"] = {{"mbo2", 80}, {"mbo4", 40}, {"hbo", 18}};
    const json with_national = card(in);
    for (const auto& row : with_national["pool"]["education"]["rows"]) {
        if (row["key"] == "hbo") {
            EXPECT_EQ(row["cell"]["text"], "x") << "18 - 15 = 3 outside the region";
        } else if (row["key"] == "mbo2") {
            EXPECT_EQ(row["cell"]["count"], 30);
        }
    }
    in.national_pool.reset();  // without the national cells only the column's own rules
    const json regional_only = card(in);
    for (const auto& row : regional_only["pool"]["education"]["rows"]) {
        if (row["key"] == "hbo") {
            EXPECT_EQ(row["cell"]["count"], 15);
        }
    }
}

TEST(VacancyCard, pool_under_k_hides_the_whole_table) {
    auto in = software_vacancy();
    in.pool["visible"][""] = 9;
    in.pool["education"] = {{"mbo2", 9}};
    const json pool = card(in)["pool"];
    EXPECT_TRUE(pool["visible"]["count"].is_null());
    EXPECT_TRUE(pool["education"]["total"]["count"].is_null());
    for (const auto& row : pool["education"]["rows"]) {
        EXPECT_TRUE(row["cell"]["count"].is_null());
    }
}

TEST(VacancyCard, vacancy_without_region_shows_the_national_pool) {
    auto in = software_vacancy();
    in.result.region.clear();
    const json pool = card(in)["pool"];
    EXPECT_EQ(pool["area"], "in heel Nederland");
    EXPECT_EQ(pool["visible"]["sentence"],
              "Er zijn 45 werkzoekenden met een zichtbaar cv die dit beroep zoeken in heel "
              "Nederland.");
}

TEST(VacancyCard, banenafspraak_count_is_suppressed_under_k) {
    auto in = software_vacancy();
    json b = card(in)["pool"]["banenafspraak"];
    EXPECT_TRUE(b["count"].is_null());
    // The same text and sentence as a figure hidden for its complement:
    // "<10" beside "x" would tell "x" means at least 10 (review finding).
    EXPECT_EQ(b["text"], "x");
    EXPECT_EQ(b["sentence"], "Hoeveel van deze werkzoekenden bij de doelgroep banenafspraak horen, laten we "
                             "niet zien: het zou iets zeggen over te weinig mensen.");
    in.pool["target_group"]["banenafspraak"] = 10;
    b = card(in)["pool"]["banenafspraak"];
    EXPECT_EQ(b["count"], 10);
    EXPECT_EQ(b["sentence"], "10 van deze werkzoekenden horen bij de doelgroep banenafspraak.");
    // 45 of 45, or 40 of 45: the few (or none) outside the group would say
    // of everyone else that they have a work disability. Hidden as "x".
    for (const std::int64_t n : {45, 40, 36}) {
        in.pool["target_group"]["banenafspraak"] = n;
        b = card(in)["pool"]["banenafspraak"];
        EXPECT_TRUE(b["count"].is_null()) << n;
        EXPECT_EQ(b["text"], "x") << n;
        EXPECT_EQ(b["sentence"], "Hoeveel van deze werkzoekenden bij de doelgroep banenafspraak horen, laten we "
                                 "niet zien: het zou iets zeggen over te weinig mensen.")
            << n;
    }
    in.pool["target_group"]["banenafspraak"] = 35;  // 10 outside the group
    EXPECT_EQ(card(in)["pool"]["banenafspraak"]["count"], 35);
    // 10 visible, all 10 in the group, and 10 visible, none: the same text.
    in.pool["visible"][""] = 10;
    in.pool["education"] = {{"mbo2", 10}};
    for (const std::int64_t n : {10, 0, 5}) {
        in.pool["target_group"]["banenafspraak"] = n;
        b = card(in)["pool"]["banenafspraak"];
        EXPECT_EQ(b["text"], "x") << n;
        EXPECT_TRUE(b["count"].is_null()) << n;
    }
}

// Found by a privacy review: a second vacancy without region shows the
// national pool, so the regional figure must not differ from it by a few.
TEST(VacancyCard, a_regional_banenafspraak_figure_is_held_to_the_rest_of_the_country) {
    auto in = software_vacancy();
    in.pool["visible"][""] = 25;
    in.pool["education"] = {{"mbo2", 25}};
    in.pool["target_group"]["banenafspraak"] = 12;
    in.national_pool.emplace();
    (*in.national_pool)["visible"][""] = 28;
    (*in.national_pool)["education"] = {{"mbo2", 28}};
    (*in.national_pool)["target_group"]["banenafspraak"] = 15;  // the 3 outside the region: all in the group
    json b = card(in)["pool"]["banenafspraak"];
    EXPECT_TRUE(b["count"].is_null());
    EXPECT_EQ(b["text"], "x");
    (*in.national_pool)["visible"][""] = 60;
    (*in.national_pool)["education"] = {{"mbo2", 60}};
    (*in.national_pool)["target_group"]["banenafspraak"] = 30;  // 18 in, 17 out of the group outside the region
    b = card(in)["pool"]["banenafspraak"];
    EXPECT_EQ(b["count"], 12);
    in.national_pool.reset();  // a national pool itself has no rest of the country
    in.result.region.clear();
    in.pool["target_group"]["banenafspraak"] = 12;
    EXPECT_EQ(card(in)["pool"]["banenafspraak"]["count"], 12);
}

TEST(VacancyCard, carries_no_contact_title_or_description) {
    const json j = card(software_vacancy());
    for (const char* key : {"contact", "title", "description", "contact_email"}) {
        EXPECT_FALSE(j.contains(key)) << key;
    }
}

}  // namespace
}  // namespace spiegel::testing
