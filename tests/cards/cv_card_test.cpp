#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "daemon/cards/personal_card.h"
#include "daemon/cards/record_summary.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

using nlohmann::json;

// A visible CV seeking 2512 (Softwareontwikkelaars) that fails cv.skills,
// cv.phone and cv.email: passed 3 of applicable 8 -> 37.5.
cards::CvCardInput software_cv() {
    cards::CvCardInput in;
    in.result.kind = model::Kind::cv;
    in.result.id = "cv-17";
    in.result.score = 37.5;
    in.result.failed = {"cv.skills", "cv.phone", "cv.email"};
    in.result.not_applicable = {"cv.na"};
    in.result.rated = true;
    in.result.dimensions = {50.0, 0.0, -1.0, -1.0, -1.0, -1.0};
    in.result.region = "AM21";
    in.result.occupation = "2512";
    in.result.peer.visible = true;
    in.scan_as_of = "2026-11-20T06:00:00Z";
    in.trend = {{"2026-10-01T06:00:00Z", 62.5}, {"2026-11-20T06:00:00Z", 37.5}};
    return in;
}

json card(const cards::CvCardInput& in, bool contact = false, int k = 10) {
    return cards::build_cv_card(in, test_catalog(), {k, contact});
}

cards::CvCardInput with_peers(std::int64_t members, std::int64_t below = 0) {
    auto in = software_cv();
    in.occupation_peers = peer_group("2512", members, below);
    in.group_peers = peer_group("251", members + 100, below);
    return in;
}

TEST(GradeFor, boundaries_fall_on_the_higher_grade) {
    EXPECT_EQ(cards::grade_for(100).letter, "A");
    EXPECT_EQ(cards::grade_for(90).letter, "A");
    EXPECT_EQ(cards::grade_for(89.9).letter, "B");
    EXPECT_EQ(cards::grade_for(75).letter, "B");
    EXPECT_EQ(cards::grade_for(74.9).letter, "C");
    EXPECT_EQ(cards::grade_for(60).letter, "C");
    EXPECT_EQ(cards::grade_for(59.9).letter, "D");
    EXPECT_EQ(cards::grade_for(40).letter, "D");
    EXPECT_EQ(cards::grade_for(39.9).letter, "E");
    EXPECT_EQ(cards::grade_for(39.9).label, "onvoldoende");
}

TEST(CvCard, score_grade_and_dimensions_with_dutch_labels) {
    auto in = software_cv();
    in.result.score = 90;
    in.result.failed.clear();
    const json j = card(in);
    EXPECT_EQ(j["type"], "cv");
    EXPECT_EQ(j["id"], "cv-17");
    EXPECT_EQ(j["score"], 90.0);
    EXPECT_EQ(j["score_text"], "90,0");
    EXPECT_EQ(j["grade"], "A");
    EXPECT_EQ(j["grade_label"], "uitstekend");
    ASSERT_EQ(j["dimensions"].size(), 6u);
    EXPECT_EQ(j["dimensions"][0]["id"], "completeness");
    EXPECT_EQ(j["dimensions"][0]["label"], "Volledigheid");
    EXPECT_EQ(j["dimensions"][0]["score"], 50.0);
    EXPECT_EQ(j["dimensions"][1]["label"], "Juistheid");
    EXPECT_EQ(j["dimensions"][1]["score"], 0.0);
    EXPECT_TRUE(j["dimensions"][2]["score"].is_null());
    EXPECT_EQ(j["dimensions"][2]["label"], "Samenhang");
    EXPECT_EQ(j["dimensions"][2]["text"], "niet van toepassing");
}

TEST(CvCard, trend_that_fell_names_both_scores_and_the_first_date) {
    const json t = card(software_cv())["trend"];
    ASSERT_EQ(t["points"].size(), 2u);
    EXPECT_EQ(t["points"][0]["as_of"], "2026-10-01");
    EXPECT_EQ(t["direction"], "down");
    EXPECT_EQ(t["text"], "Uw score is gedaald van 62,5 naar 37,5 sinds 1 oktober 2026.");
}

TEST(CvCard, trend_that_rose_or_stayed_or_has_one_point) {
    auto in = software_cv();
    in.trend = {{"2026-10-01T06:00:00Z", 62.5}, {"2026-10-08T06:00:00Z", 70}, {"2026-11-20", 80}};
    EXPECT_EQ(card(in)["trend"]["text"],
              "Uw score is gestegen van 62,5 naar 80,0 sinds 1 oktober 2026.");
    in.trend = {{"2026-03-05T06:00:00Z", 80}, {"2026-11-20T06:00:00Z", 80}};
    EXPECT_EQ(card(in)["trend"]["direction"], "same");
    EXPECT_EQ(card(in)["trend"]["text"], "Uw score is gelijk gebleven sinds 5 maart 2026.");
    in.trend = {{"2026-11-20T06:00:00Z", 80}};
    EXPECT_TRUE(card(in)["trend"]["direction"].is_null());
    EXPECT_EQ(card(in)["trend"]["text"], "Er is nog geen eerdere score om mee te vergelijken.");
}

TEST(CvCard, failing_rules_ordered_by_weight_ties_in_stored_order) {
    const json rules = card(software_cv())["failing_rules"];
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0]["id"], "cv.phone");   // 2, stored before cv.email
    EXPECT_EQ(rules[1]["id"], "cv.email");   // 2
    EXPECT_EQ(rules[2]["id"], "cv.skills");  // 1
    EXPECT_EQ(rules[1]["advice"], "Advies cv.email");
    EXPECT_EQ(rules[1]["dimension"], "validity");
    EXPECT_EQ(rules[1]["dimension_label"], "Juistheid");
    EXPECT_EQ(rules[1]["weight"], 2.0);
    EXPECT_EQ(rules[1]["fields"][0]["field"], "email");
    EXPECT_EQ(rules[1]["fields"][0]["label"], "e-mailadres");
}

TEST(CvCard, score_if_fixed_adds_the_rules_weight_to_the_passed_weight) {
    const json rules = card(software_cv())["failing_rules"];
    EXPECT_EQ(rules[0]["score_if_fixed"], 62.5);  // (3 + 2) / 8
    EXPECT_EQ(rules[0]["score_if_fixed_text"], "62,5");
    EXPECT_EQ(rules[2]["score_if_fixed"], 50.0);  // (3 + 1) / 8
}

TEST(CvCard, unknown_rule_id_is_skipped_and_no_score_if_fixed_is_guessed) {
    auto in = software_cv();
    in.result.failed.push_back("cv.removed_since_the_scan");
    const json rules = card(in)["failing_rules"];
    ASSERT_EQ(rules.size(), 3u);
    for (const auto& r : rules) {
        EXPECT_NE(r["id"], "cv.removed_since_the_scan");
        EXPECT_TRUE(r["score_if_fixed"].is_null());
    }
}

TEST(CvCard, score_if_fixed_omitted_when_catalog_weights_do_not_match_the_score) {
    auto in = software_cv();
    in.result.score = 40;  // the catalog gives 37.5: weights changed since the scan
    EXPECT_TRUE(card(in)["failing_rules"][0]["score_if_fixed"].is_null());
    in = software_cv();
    in.result.rated = false;
    EXPECT_TRUE(card(in)["failing_rules"][0]["score_if_fixed"].is_null());
}

TEST(CvCard, exactly_k_others_compare_with_the_occupation) {
    const json p = card(with_peers(11, 7))["peers"];  // visible: 11 members = 10 others
    EXPECT_EQ(p["basis"], "occupation");
    EXPECT_EQ(p["code"], "2512");
    EXPECT_EQ(p["peers"], 10);
    EXPECT_EQ(p["better_than_percent"], 70);
}

TEST(CvCard, k_minus_one_others_widen_to_the_minor_group) {
    auto in = with_peers(10);
    in.group_peers = peer_group("251", 31, 10);
    const json p = card(in)["peers"];
    EXPECT_EQ(p["basis"], "minor_group");
    EXPECT_EQ(p["code"], "251");
    EXPECT_EQ(p["peers"], 30);
    EXPECT_EQ(p["text"],
              "Uw cv scoort beter dan 33% van 30 werkzoekenden die ook werk zoeken in de "
              "beroepsgroep software- en applicatieontwikkelaars en -analisten.");
}

TEST(CvCard, group_with_k_minus_one_others_gives_no_peers_and_no_suggestions) {
    auto in = with_peers(5);
    in.group_peers = peer_group("251", 10);
    in.group_peers->counts["skill"]["lassen"] = 10;
    in.group_peers->counts["licence"]["B"] = 10;
    in.group_peers->counts["co_occupation"]["2514"] = 10;
    const json j = card(in);
    EXPECT_EQ(j["peers"]["basis"], "none");
    EXPECT_TRUE(j["peers"]["peers"].is_null());
    EXPECT_TRUE(j["peers"]["better_than_percent"].is_null());
    EXPECT_EQ(j["peers"]["text"],
              "Er zijn te weinig vergelijkbare werkzoekenden om uw cv mee te vergelijken.");
    EXPECT_TRUE(j["suggestions"]["skills"].empty());
    EXPECT_TRUE(j["suggestions"]["licence"].is_null());
    EXPECT_TRUE(j["suggestions"]["alternative_occupations"].empty());
}

TEST(CvCard, invisible_cv_is_not_among_its_peers_so_all_members_are_others) {
    auto in = with_peers(10, 5);
    in.result.peer.visible = false;
    const json p = card(in)["peers"];
    EXPECT_EQ(p["basis"], "occupation");
    EXPECT_EQ(p["peers"], 10);
    EXPECT_EQ(p["better_than_percent"], 50);
}

TEST(CvCard, better_than_percent_is_rounded_to_a_whole_percent) {
    const json p = card(with_peers(231, 147))["peers"];  // 147 / 230 = 63.9%
    EXPECT_EQ(p["better_than_percent"], 64);
    EXPECT_EQ(p["text"],
              "Uw cv scoort beter dan 64% van 230 werkzoekenden die ook werk zoeken als "
              "softwareontwikkelaars.");
}

TEST(CvCard, peers_with_the_same_score_are_named_and_the_cv_itself_is_not_one_of_them) {
    auto in = with_peers(41, 0);  // visible: 40 others, none lower
    in.occupation_peers->equal = 11;  // the CV and 10 others
    const json p = card(in)["peers"];
    EXPECT_EQ(p["same_percent"], 25);
    EXPECT_EQ(p["text"],
              "Uw cv scoort beter dan 0% van 40 werkzoekenden die ook werk zoeken als "
              "softwareontwikkelaars; 25% scoort even hoog.");
    in.occupation_peers->equal = 41;
    EXPECT_NE(card(in)["peers"]["text"].get<std::string>().find("; alle anderen scoren even hoog."), std::string::npos);
    in.occupation_peers->equal = 2;  // one other of 40: 2.5% rounds to 3
    EXPECT_EQ(card(in)["peers"]["same_percent"], 3);
    in.occupation_peers->equal = 1;  // only the CV itself
    EXPECT_EQ(card(in)["peers"]["same_percent"], 0);
    EXPECT_EQ(card(in)["peers"]["text"].get<std::string>().find("even hoog"), std::string::npos);
}

TEST(CvCard, cv_without_occupation_says_why_it_is_not_compared) {
    auto in = software_cv();
    in.result.occupation.clear();
    const json p = card(in)["peers"];
    EXPECT_EQ(p["basis"], "none");
    EXPECT_NE(p["text"].get<std::string>().find("geen gewenst beroep"), std::string::npos);
}

// A code that is no ISCO unit group has no peers, even when others made the
// same mistake: "9999" is 4 digits, and its minor group "999" does not exist.
TEST(CvCard, cv_with_an_unknown_occupation_code_has_no_peers_and_shows_no_code) {
    for (const std::string code : {"99999", "magazijn", "9999", "251"}) {
        SCOPED_TRACE(code);
        auto in = with_peers(1001);
        in.result.occupation = code;
        in.occupation_peers = peer_group(code, 1001);
        in.occupation_peers->counts["skill"] = {{"lassen", 900}};
        in.group_peers = peer_group(code.substr(0, 3), 2000);
        in.open_vacancies_in_region = 40;
        const json c = card(in);
        EXPECT_EQ(c["peers"]["basis"], "none");
        EXPECT_EQ(c["peers"]["code"], "");
        EXPECT_EQ(c["peers"]["title"], "");
        EXPECT_TRUE(c["peers"]["peers"].is_null());
        EXPECT_EQ(c["peers"]["text"], "Uw gewenste beroep heeft geen bekende beroepscode. Daarom kunnen we uw "
                                      "cv niet vergelijken met andere cv's.");
        EXPECT_TRUE(c["suggestions"]["skills"].empty());
        EXPECT_TRUE(c["suggestions"]["open_vacancies"].is_null());
    }
}

// 1000 others (the CV is visible): percentages are count / 10.
cards::CvCardInput thousand_peers() {
    return with_peers(1001);
}

json suggestions(const cards::CvCardInput& in) {
    return card(in)["suggestions"];
}

TEST(CvCardSuggestions, skill_at_exactly_40_percent_is_suggested_and_39_9_is_not) {
    auto in = thousand_peers();
    in.occupation_peers->counts["skill"] = {{"lassen", 400}, {"plannen", 399}};
    const json skills = suggestions(in)["skills"];
    ASSERT_EQ(skills.size(), 1u);
    EXPECT_EQ(skills[0]["skill"], "lassen");
    EXPECT_EQ(skills[0]["percent"], 40);
    EXPECT_EQ(skills[0]["text"],
              "40% van de vergelijkbare werkzoekenden noemt 'lassen'. Kunt u dit ook? Zet het "
              "dan op uw cv.");
}

TEST(CvCardSuggestions, skill_held_by_fewer_than_k_peers_is_not_suggested) {
    auto in = with_peers(21);                                                 // 20 others
    in.occupation_peers->counts["skill"] = {{"lassen", 9}, {"plannen", 10}};  // 45% and 50%
    const json skills = suggestions(in)["skills"];
    ASSERT_EQ(skills.size(), 1u);
    EXPECT_EQ(skills[0]["skill"], "plannen");
}

TEST(CvCardSuggestions, skill_the_cv_already_lists_is_not_suggested) {
    auto in = thousand_peers();
    in.occupation_peers->counts["skill"] = {{"lassen", 900}, {"plannen", 500}};
    in.result.peer.skills = {"lassen"};
    const json skills = suggestions(in)["skills"];
    ASSERT_EQ(skills.size(), 1u);
    EXPECT_EQ(skills[0]["skill"], "plannen");
}

TEST(CvCardSuggestions, at_most_five_skills_most_common_first) {
    auto in = thousand_peers();
    in.occupation_peers->counts["skill"] = {{"a", 410}, {"b", 900}, {"c", 700}, {"d", 800},
                                            {"e", 600}, {"f", 500}, {"g", 450}};
    const json skills = suggestions(in)["skills"];
    ASSERT_EQ(skills.size(), 5u);
    EXPECT_EQ(skills[0]["skill"], "b");
    EXPECT_EQ(skills[1]["skill"], "d");
    EXPECT_EQ(skills[4]["skill"], "f");
}

// The reader ranks a cached group's values once (store::rank_attributes,
// kept in SharedAttributeCounts); a card from that ranking shows what one
// ranking the values itself shows: the largest counts first, ties in value
// order, the empty value, the CV's own values and unknown codes skipped.
TEST(CvCardSuggestions, values_ranked_by_the_reader_give_the_same_suggestions) {
    auto in = thousand_peers();
    store::AttributeCounts counts;
    counts["skill"] = {{"", 990}, {"a", 410}, {"b", 900}, {"c", 700}, {"d", 700}, {"e", 700},
                       {"f", 700}, {"g", 450}, {"h", 9}, {"lassen", 950}};
    counts["co_occupation"] = {{"9999", 300}, {"2511", 200}, {"2513", 200}, {"2512", 500}, {"", 400},
                               {"2514", 150}, {"2519", 150}, {"2521", 100}, {"2522", 100}, {"2523", 100}};
    in.result.peer.skills = {"lassen"};
    in.result.peer.co_occupations = {"2513"};
    auto shared = std::make_shared<const store::AttributeCounts>(counts);
    in.occupation_peers->counts = store::SharedAttributeCounts(shared);
    ASSERT_EQ(in.occupation_peers->counts.ranked(), nullptr);
    const json per_card = suggestions(in);
    in.occupation_peers->counts = store::SharedAttributeCounts(
        shared, std::make_shared<const store::RankedAttributes>(store::rank_attributes(*shared)));
    ASSERT_NE(in.occupation_peers->counts.ranked(), nullptr);
    EXPECT_EQ(suggestions(in), per_card);
    std::vector<std::string> skills;
    for (const auto& s : per_card["skills"]) {
        skills.push_back(s["skill"]);
    }
    EXPECT_EQ(skills, (std::vector<std::string>{"b", "c", "d", "e", "f"}));  // 700 four times: value order
    std::vector<std::string> alternatives;
    for (const auto& a : per_card["alternative_occupations"]) {
        alternatives.push_back(a["code"]);
    }
    // 2512 is the CV's occupation, 2513 its own other one, 9999 no code.
    EXPECT_EQ(alternatives, (std::vector<std::string>{"2511", "2514", "2519", "2521", "2522"}));
    // A change to the counts drops the ranking, which would be stale.
    in.occupation_peers->counts["skill"]["zz"] = 999;
    EXPECT_EQ(in.occupation_peers->counts.ranked(), nullptr);
    EXPECT_EQ(suggestions(in)["skills"][0]["skill"], "zz");
}

TEST(CvCardSuggestions, licence_held_by_half_the_peers_is_not_suggested) {
    auto in = thousand_peers();
    in.occupation_peers->counts["licence"] = {{"B", 500}, {"C", 100}};
    EXPECT_TRUE(suggestions(in)["licence"].is_null());
}

TEST(CvCardSuggestions, licence_held_by_51_percent_is_suggested_unless_the_cv_has_it) {
    auto in = thousand_peers();
    in.occupation_peers->counts["licence"] = {{"B", 510}, {"C", 100}};
    const json licence = suggestions(in)["licence"];
    ASSERT_FALSE(licence.is_null());
    EXPECT_EQ(licence["licence"], "B");
    EXPECT_EQ(licence["percent"], 51);
    in.result.peer.licences = {"B"};
    EXPECT_TRUE(suggestions(in)["licence"].is_null());
}

TEST(CvCardSuggestions, alternative_occupations_exclude_the_cvs_own_codes) {
    auto in = thousand_peers();
    in.result.peer.co_occupations = {"2513"};
    in.occupation_peers->counts["co_occupation"] = {
        {"2512", 500}, {"2513", 400}, {"2514", 300}, {"2519", 9}};
    const json alt = suggestions(in)["alternative_occupations"];
    ASSERT_EQ(alt.size(), 1u);  // 2512 own, 2513 listed, 2519 under k
    EXPECT_EQ(alt[0]["code"], "2514");
    EXPECT_EQ(alt[0]["title"], "Applicatieprogrammeurs");
    EXPECT_EQ(alt[0]["percent"], 30);
}

TEST(CvCardSuggestions, alternative_occupations_skip_codes_that_are_no_unit_group) {
    auto in = thousand_peers();
    in.occupation_peers->counts["co_occupation"] = {
        {"99999", 900}, {"magazijn", 800}, {"9999", 700}, {"251", 600}, {"2514", 300}};
    const json alt = suggestions(in)["alternative_occupations"];
    ASSERT_EQ(alt.size(), 1u);
    EXPECT_EQ(alt[0]["code"], "2514");
}

TEST(CvCardSuggestions, open_vacancies_under_k_are_suppressed) {
    auto in = software_cv();
    in.open_vacancies_in_region = 9;
    json open = suggestions(in)["open_vacancies"];
    EXPECT_TRUE(open["count"].is_null());
    EXPECT_EQ(open["suppressed"], true);
    EXPECT_EQ(open["text"], "<10");
    EXPECT_EQ(open["sentence"],
              "In uw regio zijn nu minder dan 10 open vacatures voor softwareontwikkelaars.");
    in.open_vacancies_in_region = 1234;
    open = suggestions(in)["open_vacancies"];
    EXPECT_EQ(open["count"], 1234);
    EXPECT_EQ(open["text"], "1.234");
    in.open_vacancies_in_region.reset();
    EXPECT_TRUE(suggestions(in)["open_vacancies"].is_null());
}

TEST(CvCard, contact_only_for_advisers_who_ask_for_it) {
    auto in = software_cv();
    in.contact = cards::CvContact{"a@b.nl", "0612345678"};
    EXPECT_TRUE(card(in, false)["contact"].is_null());
    EXPECT_EQ(card(in, true)["contact"]["email"], "a@b.nl");
    EXPECT_EQ(card(in, true)["contact"]["phone"], "0612345678");
    in.contact.reset();
    EXPECT_TRUE(card(in, true)["contact"].is_null());
    in.contact = cards::CvContact{"", ""};  // a CV without either: no empty block
    EXPECT_TRUE(card(in, true)["contact"].is_null());
    in.contact = cards::CvContact{"", "0612345678"};
    EXPECT_EQ(card(in, true)["contact"]["phone"], "0612345678");
}

// Both shares are rounded: together they never say more than everyone.
TEST(CvCard, the_share_scoring_lower_and_the_share_scoring_the_same_add_up_to_at_most_100) {
    auto in = with_peers(101, 52);  // 100 others, 52 lower
    in.occupation_peers->equal = 49;  // the CV and 48 others: 48% ties
    EXPECT_EQ(card(in)["peers"]["same_percent"], 48);
    for (std::int64_t below = 0; below <= 101; ++below) {
        auto many = with_peers(101, below);
        many.result.peer.visible = false;
        many.occupation_peers->equal = 101 - below;
        const json p = card(many)["peers"];
        EXPECT_LE(p["better_than_percent"].get<int>() + p["same_percent"].get<int>(), 100) << below << p;
    }
}

std::size_t occurrences(const std::string& text, const std::string& marker) {
    std::size_t n = 0;
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
        ++n;
    }
    return n;
}

TEST(CvCard, personal_strings_appear_only_in_the_contact_block) {
    auto in = thousand_peers();
    in.contact = cards::CvContact{"zqx-marker@b.nl", "zqx-marker-phone"};
    in.result.peer.skills = {"zqx-marker eigen vaardigheid"};
    in.result.peer.licences = {"zqx-marker"};
    in.occupation_peers->counts["skill"] = {{"zqx-marker eigen vaardigheid", 900},
                                            {"zqx-marker zeldzaam", 9}};
    in.occupation_peers->counts["licence"] = {{"zqx-marker", 900}};
    const std::string without = card(in, false).dump();
    EXPECT_EQ(occurrences(without, "zqx-marker"), 0u) << without;
    const json with = card(in, true);
    EXPECT_EQ(occurrences(with.dump(), "zqx-marker"), 2u);
    EXPECT_EQ(occurrences(with["contact"].dump(), "zqx-marker"), 2u);
}

}  // namespace
}  // namespace spiegel::testing
