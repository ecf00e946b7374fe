// Acceptance tests of the default cv rules, one mutation of the perfect base
// CV per case.

#include "tests/rules/default_rules_fixture.h"

namespace spiegel::rules::acceptance {
namespace {

Evaluation cv_with(const char* field, const Json& value) {
    Json cv = base_cv();
    cv[field] = value;
    return evaluate(Kind::cv, cv);
}
Evaluation cv_without(const char* field) {
    Json cv = base_cv();
    cv.erase(field);
    return evaluate(Kind::cv, cv);
}
// The missing forms of a field: absent, null, "" or [] (as the type allows).
std::vector<Evaluation> cv_missing(const char* field, bool array) {
    std::vector<Evaluation> out;
    out.push_back(cv_without(field));
    out.push_back(cv_with(field, nullptr));
    out.push_back(array ? cv_with(field, Json::array()) : cv_with(field, ""));
    return out;
}

TEST(DefaultCvRules, contact_unreachable_when_email_and_phone_both_missing) {
    for (const Json& missing : {Json(nullptr), Json("")}) {
        Json cv = base_cv();
        cv["email"] = missing;
        cv["phone"] = missing;
        EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.contact.reachable"})) << missing;
    }
    Json cv = base_cv();
    cv.erase("email");
    cv.erase("phone");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.contact.reachable"}));
}

TEST(DefaultCvRules, contact_reachable_with_email_or_phone_alone_even_if_invalid) {
    EXPECT_TRUE(fails_exactly(cv_without("email"), {}));
    EXPECT_TRUE(fails_exactly(cv_without("phone"), {}));
    Json cv = base_cv();
    cv.erase("phone");
    cv["email"] = "geen-email";
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.email.valid"}));
}

TEST(DefaultCvRules, valid_emails_pass) {
    for (const char* email : {"a@b.nl", "j.jansen@example.nl", "a.b-c+d_e@sub.example.co.uk", "A@B.NL",
                              "info@werk.nederland", "x1@d-2.com"}) {
        EXPECT_TRUE(fails_exactly(cv_with("email", email), {})) << email;
    }
}

TEST(DefaultCvRules, invalid_emails_fail) {
    for (const char* email : {"a@@b.nl", "@b.nl", "a@b", "a@b.n", "a@b.1x", "a b@c.nl", "ab.nl", "a@b@c.nl",
                              "a@b.c1", "a@b.nl.", " a@b.nl", "a@b.nl ", "a@b .nl", "a@b.nl\t", "a\n@b.nl",
                              "a@b.nl!", "<a@b.nl>", "a@b.nl,c@d.nl", "a@b.nl\u00a0", " ", "@",
                              // every Unicode White_Space character, NEL (U+0085) included
                              "a\u0085x@b.nl", "a@b\u0085.nl", "a\u2003@b.nl", "a\u2028@b.nl", "a\u3000@b.nl",
                              "a\v@b.nl", "a\f@b.nl"}) {
        EXPECT_TRUE(fails_exactly(cv_with("email", email), {"cv.email.valid"})) << '"' << email << '"';
    }
}

TEST(DefaultCvRules, missing_email_is_not_an_invalid_email) {
    for (const Evaluation& e : cv_missing("email", false)) {
        EXPECT_TRUE(does_not_fail(e, "cv.email.valid"));
        EXPECT_TRUE(fails_exactly(e, {}));
    }
}

TEST(DefaultCvRules, valid_dutch_phones_pass) {
    for (const char* phone : {"06-12345678", "+31 6 12345678", "0031612345678", "(010) 123 4567", "0612345678",
                              "+31612345678", "0031 6 1234 5678", "070-1234567", "+31 (6) 1234-5678"}) {
        EXPECT_TRUE(fails_exactly(cv_with("phone", phone), {})) << phone;
    }
}

TEST(DefaultCvRules, invalid_dutch_phones_fail) {
    for (const char* phone : {"06123456789",     // 0 + 10 digits
                              "061234567",       // 0 + 8 digits
                              "+3161234567",     // +31 + 8 digits
                              "+316123456789",   // +31 + 10 digits
                              "00316123456789",  // 0031 + 10 digits
                              "06-1234567a", "06-abcdefgh", "O612345678", "612345678", "+32612345678",
                              "0612.345.678", "06/12345678", "+310612345678", "31612345678", " ", "-", "+31"}) {
        EXPECT_TRUE(fails_exactly(cv_with("phone", phone), {"cv.phone.valid"})) << phone;
    }
}

TEST(DefaultCvRules, missing_phone_is_not_an_invalid_phone) {
    for (const Evaluation& e : cv_missing("phone", false)) {
        EXPECT_TRUE(fails_exactly(e, {}));
    }
}

TEST(DefaultCvRules, region_must_be_an_exact_code_of_regions_csv) {
    for (const char* region : {"AM01", "AM21", "AM38"}) {
        EXPECT_TRUE(fails_exactly(cv_with("region", region), {})) << region;
    }
    for (const char* region : {"AM04", "AM16", "AM31", "AM39", "am21", "AM21 ", "Haaglanden", "code"}) {
        EXPECT_TRUE(fails_exactly(cv_with("region", region), {"cv.region.known"})) << region;
    }
    for (const Evaluation& e : cv_missing("region", false)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.region.known"}));
    }
}

TEST(DefaultCvRules, birth_year_between_1940_and_as_of_year_minus_15) {
    for (int year : {1940, 1941, 2000, 2011}) {  // as-of year 2026 - 15 = 2011
        EXPECT_TRUE(fails_exactly(cv_with("birth_year", year), {})) << year;
    }
    for (int year : {1939, 1900, 2012, 2026, 0}) {
        EXPECT_TRUE(fails_exactly(cv_with("birth_year", year), {"cv.birth_year.plausible"})) << year;
    }
    EXPECT_TRUE(fails_exactly(cv_without("birth_year"), {"cv.birth_year.plausible"}));
    EXPECT_TRUE(fails_exactly(cv_with("birth_year", nullptr), {"cv.birth_year.plausible"}));
}

TEST(DefaultCvRules, birth_year_upper_bound_follows_the_as_of_year_not_the_clock) {
    Json cv = base_cv();
    cv["birth_year"] = 2012;
    cv["updated_at"] = "2026-12-30T00:00:00Z";
    EXPECT_TRUE(passes(evaluate(Kind::cv, cv, {}, ts("2027-01-01T00:00:00Z")), "cv.birth_year.plausible"));
    EXPECT_TRUE(fails(evaluate(Kind::cv, cv, {}, ts("2026-12-31T23:59:59Z")), "cv.birth_year.plausible"));
}

TEST(DefaultCvRules, desired_occupations_missing_fails_present) {
    for (const Evaluation& e : cv_missing("desired_occupations", true)) {
        EXPECT_TRUE(fails(e, "cv.occupation.present"));
        EXPECT_TRUE(does_not_fail(e, "cv.occupation.known"));
        EXPECT_TRUE(fails_exactly(e, {"cv.occupation.present"}));
    }
}

TEST(DefaultCvRules, occupation_codes_must_be_isco_level_4_unit_groups) {
    const auto with_codes = [](std::initializer_list<Json> codes) {
        Json occupations = Json::array();
        for (const Json& c : codes) {
            occupations.push_back(c.is_string() && c == "<absent>" ? Json{{"title", "x"}}
                                                                   : Json{{"code", c}, {"title", "x"}});
        }
        return cv_with("desired_occupations", occupations);
    };
    for (const char* code : {"9321", "0110", "2512", "1111"}) {
        EXPECT_TRUE(fails_exactly(with_codes({code}), {})) << code;
    }
    // 932 is the level-3 minor group, 93 level 2, 9 level 1: not unit groups.
    for (const char* code : {"932", "93", "9", "011", "9999", "93210", " 9321", "9321 ", "Inpakkers"}) {
        EXPECT_TRUE(fails_exactly(with_codes({code}), {"cv.occupation.known"})) << code;
    }
    EXPECT_TRUE(fails_exactly(with_codes({"2512", "932"}), {"cv.occupation.known"}));
    EXPECT_TRUE(fails_exactly(with_codes({"2512", ""}), {"cv.occupation.known"}));
    EXPECT_TRUE(fails_exactly(with_codes({"2512", nullptr}), {"cv.occupation.known"}));
    EXPECT_TRUE(fails_exactly(with_codes({"2512", "<absent>"}), {"cv.occupation.known"}));
}

TEST(DefaultCvRules, education_missing_fails_present) {
    for (const Evaluation& e : cv_missing("education", true)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.education.present"}));
        EXPECT_TRUE(does_not_fail(e, "cv.education.level_known"));
    }
}

TEST(DefaultCvRules, education_levels_must_be_codes_of_education_levels_csv) {
    const auto with_levels = [](std::initializer_list<Json> levels) {
        Json education = Json::array();
        for (const Json& l : levels) {
            education.push_back(l.is_string() && l == "<absent>" ? Json{{"name", "x"}}
                                                                 : Json{{"level", l}, {"name", "x"}});
        }
        return cv_with("education", education);
    };
    for (const char* level : {"onbekend", "basis", "vmbo", "mbo1", "mbo", "mbo4", "havo_vwo", "hbo", "wo"}) {
        EXPECT_TRUE(fails_exactly(with_levels({level}), {})) << level;
    }
    for (const char* level : {"MBO4", "mbo5", "MBO-4", "HBO/bachelor", "Basisonderwijs", "code", "4", " hbo"}) {
        EXPECT_TRUE(fails_exactly(with_levels({level}), {"cv.education.level_known"})) << level;
    }
    EXPECT_TRUE(fails_exactly(with_levels({"hbo", "mbo5"}), {"cv.education.level_known"}));
    EXPECT_TRUE(fails_exactly(with_levels({"hbo", ""}), {"cv.education.level_known"}));
    EXPECT_TRUE(fails_exactly(with_levels({"hbo", nullptr}), {"cv.education.level_known"}));
    EXPECT_TRUE(fails_exactly(with_levels({"hbo", "<absent>"}), {"cv.education.level_known"}));
}

TEST(DefaultCvRules, experience_missing_fails_present_only) {
    for (const Evaluation& e : cv_missing("experience", true)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.experience.present"}));
    }
}

Json experience(const Json& start, const Json& end, const std::string& description = "Werkte vijf jaar als ontwikkelaar.") {
    Json item = {{"title", "Ontwikkelaar"}, {"description", description}};
    if (!(start.is_string() && start == "<absent>")) {
        item["start"] = start;
    }
    if (!(end.is_string() && end == "<absent>")) {
        item["end"] = end;
    }
    return item;
}
Evaluation cv_with_second_experience(const Json& item) {
    Json cv = base_cv();
    cv["experience"].push_back(item);
    return evaluate(Kind::cv, cv);
}

TEST(DefaultCvRules, experience_dates_that_are_consistent_pass) {
    const std::pair<Json, Json> ok[] = {
        {"2020-01", "2020-01"},    // end equal to start
        {"2020-01", "2020-02"},    {"2019-12", "2020-01"},
        {"2020-01", "<absent>"},   // no end: current job
        {"2020-01", nullptr},      {"2020-01", ""},
        {"2026-11", "<absent>"},   // start in the as-of month
        {"2026-10", "2027-06"},    // an end after the as-of month is not a failure
    };
    for (const auto& [start, end] : ok) {
        EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience(start, end)), {})) << start << " " << end;
    }
}

TEST(DefaultCvRules, experience_dates_that_are_missing_malformed_or_inconsistent_fail) {
    const std::pair<Json, Json> bad[] = {
        {"<absent>", "2020-01"}, {nullptr, "<absent>"}, {"", "2020-01"},  // missing start
        {"2020-13", "<absent>"}, {"2020-1", "<absent>"}, {"2020-00", "<absent>"}, {"2020/01", "<absent>"},
        {"20-01", "<absent>"},   {"2020-01-15", "<absent>"}, {"januari 2020", "<absent>"},
        {"2020-01", "2021-13"},  {"2020-01", "2021-1"},  {"2020-01", "2021"},  // malformed end
        {"2020-05", "2020-04"},  {"2020-01", "2019-12"},                      // end before start
        {"2026-12", "<absent>"}, {"2027-01", "2027-02"},                      // start after the as-of month
        {" 2020-01", "<absent>"}, {"2020-01 ", "<absent>"}, {"2020-01", "2021-01 "},
    };
    for (const auto& [start, end] : bad) {
        EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience(start, end)), {"cv.experience.dates"}))
            << start << " " << end;
    }
}

TEST(DefaultCvRules, experience_start_bound_follows_the_as_of_month) {
    Json cv = base_cv();
    cv["experience"].push_back(experience("2026-12", "<absent>"));
    cv["updated_at"] = "2026-11-30T00:00:00Z";
    EXPECT_TRUE(passes(evaluate(Kind::cv, cv, {}, ts("2026-12-01T00:00:00Z")), "cv.experience.dates"));
    EXPECT_TRUE(fails(evaluate(Kind::cv, cv, {}, ts("2026-11-30T23:59:59Z")), "cv.experience.dates"));
}

TEST(DefaultCvRules, experience_descriptions_need_five_unicode_words) {
    const char* ok[] = {
        "Verzorgde een cliënt in thuiszorg",       // 5 words, cliënt is one word
        "één twee drie vier vijf",                 // 5
        "Café-medewerker in 5 jaar",               // Café, medewerker, in, 5, jaar
        "één, twee; drie... vier! vijf?",          // punctuation is not a word
    };
    for (const char* text : ok) {
        EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience("2020-01", "2021-01", text)), {})) << text;
    }
    const char* bad[] = {
        "cliënt cliënt cliënt cliënt",  // 4 words (8 if ë split words)
        "één twee drie vier",           // 4
        "a - b - c",                     // 3 words, 5 space-separated tokens
        "Werkte als ontwikkelaar",      "", "   ",
    };
    for (const char* text : bad) {
        EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience("2020-01", "2021-01", text)),
                                  {"cv.experience.described"}))
            << text;
    }
    Json item = experience("2020-01", "2021-01");
    item.erase("description");
    EXPECT_TRUE(fails_exactly(cv_with_second_experience(item), {"cv.experience.described"}));
    item["description"] = nullptr;
    EXPECT_TRUE(fails_exactly(cv_with_second_experience(item), {"cv.experience.described"}));
}

TEST(DefaultCvRules, skills_need_three_non_empty_entries) {
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"a", "b", "c"}), {}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"a", "b", "c", ""}), {}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"Java", "SQL", "Scrum", "Git"}), {}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"a", "b"}), {"cv.skills.min"}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"a", "b", ""}), {"cv.skills.min"}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"", "a", "", "b", ""}), {"cv.skills.min"}));
    EXPECT_TRUE(fails_exactly(cv_with("skills", {"", "", ""}), {"cv.skills.min"}));
    for (const Evaluation& e : cv_missing("skills", true)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.skills.min"}));
    }
}

TEST(DefaultCvRules, summary_needs_twenty_five_words) {
    EXPECT_TRUE(fails_exactly(cv_with("summary", words(25)), {}));
    EXPECT_TRUE(fails_exactly(cv_with("summary", words(24)), {"cv.summary.length"}));
    EXPECT_TRUE(fails_exactly(cv_with("summary", words(25, ",\n")), {}));
    EXPECT_TRUE(fails_exactly(cv_with("summary", words(24, " - ")), {"cv.summary.length"}));
    // 24 words where each cliënt is one word; a byte-wise splitter would count 48.
    std::string clients;
    for (int i = 0; i < 24; ++i) {
        clients += "cliënt ";
    }
    EXPECT_TRUE(fails_exactly(cv_with("summary", clients), {"cv.summary.length"}));
    EXPECT_TRUE(fails_exactly(cv_with("summary", clients + "één"), {}));
    for (const Evaluation& e : cv_missing("summary", false)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.summary.length"}));
    }
}

TEST(DefaultCvRules, hours_per_week_must_be_present_and_within_1_to_60) {
    for (int hours : {1, 2, 36, 59, 60}) {
        EXPECT_TRUE(fails_exactly(cv_with("hours_per_week", hours), {})) << hours;
    }
    for (int hours : {0, 61, -1, 168}) {
        EXPECT_TRUE(fails_exactly(cv_with("hours_per_week", hours), {"cv.availability.present"})) << hours;
    }
    EXPECT_TRUE(fails_exactly(cv_without("hours_per_week"), {"cv.availability.present"}));
    EXPECT_TRUE(fails_exactly(cv_with("hours_per_week", nullptr), {"cv.availability.present"}));
}

TEST(DefaultCvRules, travel_needs_minutes_or_km) {
    Json cv = base_cv();
    cv.erase("max_travel_minutes");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {}));
    cv = base_cv();
    cv["max_travel_km"] = nullptr;
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {}));
    cv.erase("max_travel_minutes");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.travel.present"}));
    cv["max_travel_minutes"] = nullptr;
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.travel.present"}));
    cv["max_travel_minutes"] = 0;  // zero is filled in, not missing
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {}));
}

TEST(DefaultCvRules, freshness_allows_exactly_180_days) {
    const std::int64_t day = util::k_seconds_per_day;
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", iso(as_of() - 180 * day)), {}));
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", iso(as_of() - 180 * day - 1)), {"cv.freshness"}));
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", iso(as_of() - 400 * day)), {"cv.freshness"}));
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", iso(as_of())), {}));
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", iso(as_of() + day)), {}));
    // 2026-05-05T12:00:00Z is 180 days before the as-of; written with an offset.
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", "2026-05-05T14:00:00+02:00"), {}));
    EXPECT_TRUE(fails_exactly(cv_with("updated_at", "2026-05-05T13:59:59+02:00"), {"cv.freshness"}));
    for (const Evaluation& e : cv_missing("updated_at", false)) {
        EXPECT_TRUE(fails_exactly(e, {"cv.freshness"}));
    }
}

// 11-test (9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11):
//   111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6*11        -> BSN
//   123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14*11 -> BSN
//   012345672: 0+8+14+18+20+20+18+14-2 = 110 = 10*11  -> BSN (leading zero)
//   123456789: 156-9 = 147 = 13*11+4                   -> not a BSN
//   000000000: passes the sum but is all zeros         -> not a BSN
std::string summary_with(const std::string& text) { return words(12) + " " + text + " " + words(13); }

TEST(DefaultCvRules, bsn_in_summary_fails_privacy) {
    for (const char* text : {"111222333", "123456782", "012345672", "BSN:111222333.", "bsn111222333",
                             "(123456782)", "nummer 111222333\n",
                             "111222333.5", "1.111222333", "111 222 333 en 111222333", "0-111222333-0"}) {
        EXPECT_TRUE(fails_exactly(cv_with("summary", summary_with(text)), {"cv.privacy.no_bsn"})) << text;
    }
}

TEST(DefaultCvRules, bsn_in_any_experience_description_fails_privacy) {
    EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience("2020-01", "2021-01", "Mijn nummer is 123456782 echt")),
                              {"cv.privacy.no_bsn"}));
    Json cv = base_cv();
    cv["experience"][0]["description"] = "Ontwikkelde webapplicaties, bsn 111222333, voor klanten.";
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.privacy.no_bsn"}));
}

TEST(DefaultCvRules, digit_runs_that_are_not_a_bsn_pass_privacy) {
    for (const char* text : {"123456789",       // fails the 11-test
                             "000000000",       // all zeros
                             "111.222.333",     // separators are not joined
                             "111 222 333", "1112-22333",
                             "1111222333",      // 10-digit run containing 111222333
                             "1112223330", "0111222333", "12345678", "11122233",
                             "0612345678",      // a phone number
                             "Postcode 2511 AB, 36 uur, sinds 2015."}) {
        EXPECT_TRUE(fails_exactly(cv_with("summary", summary_with(text)), {})) << text;
    }
    EXPECT_TRUE(fails_exactly(cv_with_second_experience(experience("2020-01", "2021-01", "Klantnummer 1234567820 beheerd bij gemeente")),
                              {}));
}

TEST(DefaultCvRules, banenafspraak_completeness_does_not_apply_outside_the_target_group) {
    for (const Json& groups : {Json::array(), Json{"ww"}, Json{"wajong", "bijstand"}, Json{"Banenafspraak"}}) {
        Json cv = base_cv();
        cv["target_groups"] = groups;
        cv.erase("interests");
        const Evaluation e = evaluate(Kind::cv, cv);
        EXPECT_TRUE(not_applicable(e, "cv.banenafspraak.complete")) << groups;
        EXPECT_TRUE(fails_exactly(e, {})) << groups;
        EXPECT_DOUBLE_EQ(e.outcome().score, 100.0) << groups;
    }
    Json cv = base_cv();
    cv.erase("target_groups");
    cv.erase("interests");
    EXPECT_TRUE(not_applicable(evaluate(Kind::cv, cv), "cv.banenafspraak.complete"));
}

Json banenafspraak_cv() {
    Json cv = base_cv();
    cv["target_groups"] = {"banenafspraak"};
    return cv;
}

TEST(DefaultCvRules, banenafspraak_profile_fails_for_each_missing_part) {
    const char* id = "cv.banenafspraak.complete";
    // interests: read by no other rule, so this rule fails alone.
    for (const Json& missing : {Json(nullptr), Json::array()}) {
        Json cv = banenafspraak_cv();
        cv["interests"] = missing;
        EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id})) << missing;
    }
    Json cv = banenafspraak_cv();
    cv.erase("interests");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id}));

    cv = banenafspraak_cv();
    cv["education"] = Json::array();
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id, "cv.education.present"}));
    cv["education"] = Json::array({Json{{"name", "Praktijkonderwijs"}}});
    EXPECT_TRUE(fails(evaluate(Kind::cv, cv), id)) << "education without a level";

    cv = banenafspraak_cv();
    cv.erase("experience");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id, "cv.experience.present"}));

    cv = banenafspraak_cv();
    cv.erase("max_travel_minutes");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {}));  // km alone is enough
    cv["max_travel_km"] = nullptr;
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id, "cv.travel.present"}));

    cv = banenafspraak_cv();
    cv.erase("hours_per_week");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {id, "cv.availability.present"}));
}

TEST(DefaultCvRules, banenafspraak_applies_among_other_target_groups) {
    Json cv = base_cv();
    cv["target_groups"] = {"ww", "wajong", "banenafspraak"};
    EXPECT_TRUE(passes(evaluate(Kind::cv, cv), "cv.banenafspraak.complete"));
    cv["interests"] = Json::array();
    EXPECT_TRUE(fails_exactly(evaluate(Kind::cv, cv), {"cv.banenafspraak.complete"}));
}

}  // namespace
}  // namespace spiegel::rules::acceptance
