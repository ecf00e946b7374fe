// Acceptance tests of the default employer rules, one mutation of the
// perfect base employer per case; cross rules see the other records given.

#include <map>

#include "tests/rules/default_rules_fixture.h"

namespace spiegel::rules::acceptance {
namespace {

Evaluation employer_with(const char* field, const Json& value) {
    Json e = base_employer();
    e[field] = value;
    return evaluate(Kind::employer, e);
}

Json employer(const char* id, const char* name, const char* postcode, const char* created_at) {
    Json e = base_employer();
    e["id"] = id;
    e["name"] = name;
    e["postcode"] = postcode;
    e["created_at"] = created_at;
    return e;
}

// employer.duplicate state of every member, each evaluated with all the others streamed.
std::map<std::string, RuleState> duplicate_states(const std::vector<Json>& employers) {
    std::map<std::string, RuleState> out;
    for (std::size_t i = 0; i < employers.size(); ++i) {
        std::vector<Input> others;
        for (std::size_t j = 0; j < employers.size(); ++j) {
            if (j != i) {
                others.push_back({Kind::employer, employers[j]});
            }
        }
        const Evaluation e = evaluate(Kind::employer, employers[i], others);
        out[employers[i]["id"].get<std::string>()] = e.state("employer.duplicate");
        EXPECT_TRUE(e.failed_ids().size() <= 1) << "only employer.duplicate may fail for " << employers[i]["id"];
    }
    return out;
}

constexpr RuleState pass = RuleState::pass;
constexpr RuleState fail = RuleState::fail;

TEST(DefaultEmployerRules, same_normalised_name_and_postcode_digits_fails_all_but_the_earliest) {
    const auto states = duplicate_states({
        employer("emp-2", "AlbertHeijn", "1234 XY", "2021-01-01T00:00:00Z"),
        employer("emp-1", "Albert Heijn B.V.", "1234AB", "2020-01-01T00:00:00Z"),
        employer("emp-3", "albert-heijn", "1234zz", "2022-06-01T00:00:00Z"),
        employer("emp-4", "Albert Heijn B.V.", "1235AB", "2019-01-01T00:00:00Z"),  // other digits
    });
    EXPECT_EQ(states.at("emp-1"), pass);
    EXPECT_EQ(states.at("emp-2"), fail);
    EXPECT_EQ(states.at("emp-3"), fail);
    EXPECT_EQ(states.at("emp-4"), pass);
}

TEST(DefaultEmployerRules, created_at_tie_keeps_the_smallest_id) {
    const auto states = duplicate_states({
        employer("emp-b", "Bakkerij Jansen", "3511 AA", "2020-01-01T00:00:00Z"),
        employer("emp-a", "bakkerij jansen", "3511 BB", "2020-01-01T00:00:00Z"),
        employer("emp-c", "BAKKERIJ JANSEN", "3511CC", "2020-01-01T00:00:00Z"),
    });
    EXPECT_EQ(states.at("emp-a"), pass);
    EXPECT_EQ(states.at("emp-b"), fail);
    EXPECT_EQ(states.at("emp-c"), fail);
}

TEST(DefaultEmployerRules, created_at_is_compared_as_an_instant) {
    // 2020-01-01T01:30:00+02:00 is 2019-12-31T23:30:00Z: earlier than emp-a.
    const auto states = duplicate_states({
        employer("emp-a", "Jansen", "3511 AA", "2020-01-01T00:00:00Z"),
        employer("emp-z", "Jansen", "3511 AA", "2020-01-01T01:30:00+02:00"),
    });
    EXPECT_EQ(states.at("emp-z"), pass);
    EXPECT_EQ(states.at("emp-a"), fail);
}

// Found by a black-box review: the fraction of a second was dropped, so
// .9 and .1 of one second tied and the smaller id was kept.
TEST(DefaultEmployerRules, created_at_is_compared_to_the_fraction_of_a_second) {
    const auto states = duplicate_states({
        employer("f-a", "Frac", "8000AA", "2020-01-01T00:00:00.9Z"),
        employer("f-b", "Frac", "8000AB", "2020-01-01T00:00:00.1Z"),
        employer("f-c", "Frac", "8000AC", "2020-01-01T00:00:00.100000001Z"),
    });
    EXPECT_EQ(states.at("f-b"), pass);
    EXPECT_EQ(states.at("f-a"), fail);
    EXPECT_EQ(states.at("f-c"), fail);
    // Equal instants written differently still tie: the smaller id is kept.
    const auto tie = duplicate_states({
        employer("t-b", "Tie", "8000AA", "2020-01-01T00:00:00.5Z"),
        employer("t-a", "Tie", "8000AB", "2020-01-01T02:00:00.500+02:00"),
    });
    EXPECT_EQ(tie.at("t-a"), pass);
    EXPECT_EQ(tie.at("t-b"), fail);
}

TEST(DefaultEmployerRules, different_postcode_digits_are_not_duplicates) {
    const auto states = duplicate_states({
        employer("emp-1", "Albert Heijn B.V.", "1234 AB", "2020-01-01T00:00:00Z"),
        employer("emp-2", "AlbertHeijn", "1243 AB", "2021-01-01T00:00:00Z"),
        employer("emp-3", "albert-heijn", "2234 AB", "2022-01-01T00:00:00Z"),
    });
    for (const auto& [id, state] : states) {
        EXPECT_EQ(state, pass) << id;
    }
}

TEST(DefaultEmployerRules, postcodes_with_fewer_than_four_digits_never_group) {
    const auto states = duplicate_states({
        employer("emp-1", "Albert Heijn B.V.", "12", "2020-01-01T00:00:00Z"),
        employer("emp-2", "AlbertHeijn", "12XY", "2021-01-01T00:00:00Z"),
    });
    for (const auto& [id, state] : states) {
        EXPECT_EQ(state, pass) << id;
    }
}

TEST(DefaultEmployerRules, legal_form_tokens_and_punctuation_are_ignored_in_names) {
    const std::pair<const char*, const char*> same[] = {
        {"Jansen Bouw BV", "jansen bouw"},       {"Jansen Bouw b.v.", "Jansen-Bouw"},
        {"Philips N.V.", "philips"},            {"NV Philips", "Philips nv"},
        {"De Vries V.O.F.", "de vries vof"},    {"De Vries VOF", "De Vries B.V."},
        {"'t Hoekje", "T HOEKJE"},              {"Café de Zon", "CAFÉ DE ZON"},
    };
    for (const auto& [a, b] : same) {
        const auto states = duplicate_states({employer("emp-1", a, "1234 AB", "2020-01-01T00:00:00Z"),
                                              employer("emp-2", b, "1234 CD", "2021-01-01T00:00:00Z")});
        EXPECT_EQ(states.at("emp-1"), pass) << a << " / " << b;
        EXPECT_EQ(states.at("emp-2"), fail) << a << " / " << b;
    }
    const std::pair<const char*, const char*> different[] = {
        {"Albert Heijn", "Albert Heijn 2"}, {"Bvision", "ision"}, {"Nvidia", "idia"}, {"Jansen", "Janssen"},
        {"Café de Zon", "Cafe de Zon"},
    };
    for (const auto& [a, b] : different) {
        const auto states = duplicate_states({employer("emp-1", a, "1234 AB", "2020-01-01T00:00:00Z"),
                                              employer("emp-2", b, "1234 AB", "2021-01-01T00:00:00Z")});
        EXPECT_EQ(states.at("emp-1"), pass) << a << " / " << b;
        EXPECT_EQ(states.at("emp-2"), pass) << a << " / " << b;
    }
}

TEST(DefaultEmployerRules, decomposed_and_full_width_names_duplicate_their_plain_form) {
    const std::pair<const char*, const char*> same[] = {
        {"Café de Zon", "Cafe\u0301 de Zon"},                   // e + COMBINING ACUTE ACCENT
        {"Albert Heijn B.V.", "ＡｌｂｅｒｔＨｅｉｊｎ"},          // full width
        {"albert-heijn", "ＡＬＢＥＲＴ ＨＥＩＪＮ Ｂ．Ｖ．"},    // full-width legal form
        {"Bouwbedrijf Straße", "BOUWBEDRIJF STRASSE"},          // sharp s
        {"Zuivel Ελληνικά", "ZUIVEL ΕΛΛΗΝΙΚΆ"},
    };
    for (const auto& [a, b] : same) {
        const auto states = duplicate_states({employer("emp-1", a, "1234 AB", "2020-01-01T00:00:00Z"),
                                              employer("emp-2", b, "1234 CD", "2021-01-01T00:00:00Z")});
        EXPECT_EQ(states.at("emp-1"), pass) << a << " / " << b;
        EXPECT_EQ(states.at("emp-2"), fail) << a << " / " << b;
    }
}

TEST(DefaultEmployerRules, sector_must_be_a_code_of_sectors_csv) {
    for (const char* sector : {"ict", "detailhandel", "zorg_welzijn_schoonmaak", "land_tuinbouw"}) {
        EXPECT_TRUE(fails_exactly(employer_with("sector", sector), {})) << sector;
    }
    for (const char* sector : {"ICT", "horeca", "Detailhandel", "ict ", "code", "zorg"}) {
        EXPECT_TRUE(fails_exactly(employer_with("sector", sector), {"employer.sector.known"})) << sector;
    }
    Json e = base_employer();
    e.erase("sector");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::employer, e), {"employer.sector.known"}));
    EXPECT_TRUE(fails_exactly(employer_with("sector", nullptr), {"employer.sector.known"}));
    EXPECT_TRUE(fails_exactly(employer_with("sector", ""), {"employer.sector.known"}));
}

TEST(DefaultEmployerRules, active_account_without_contact_for_more_than_365_days_is_stale) {
    const std::int64_t day = util::k_seconds_per_day;
    const char* id = "employer.stale_account";
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", iso(as_of() - 365 * day)), {}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", iso(as_of() - 365 * day - 1)), {id}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", iso(as_of() - 1000 * day)), {id}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", iso(as_of() + day)), {}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", nullptr), {id}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", ""), {id}));
    Json e = base_employer();
    e.erase("last_contact_at");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::employer, e), {id}));
    // 2025-11-01T12:00:00Z is exactly 365 days before the as-of.
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", "2025-11-01T13:00:00+01:00"), {}));
    EXPECT_TRUE(fails_exactly(employer_with("last_contact_at", "2025-11-01T11:59:59Z"), {id}));
}

TEST(DefaultEmployerRules, stale_account_counts_365_days_not_one_calendar_year) {
    // As-of 2024-03-01: 365 days back is 2023-03-02 (2024 is a leap year).
    const std::int64_t leap_as_of = ts("2024-03-01T00:00:00Z");
    Json e = base_employer();
    e["last_contact_at"] = "2023-03-02T00:00:00Z";
    EXPECT_TRUE(passes(evaluate(Kind::employer, e, {}, leap_as_of), "employer.stale_account"));
    e["last_contact_at"] = "2023-03-01T23:59:59Z";
    EXPECT_TRUE(fails(evaluate(Kind::employer, e, {}, leap_as_of), "employer.stale_account"));
}

TEST(DefaultEmployerRules, ceased_account_is_never_stale) {
    Json e = base_employer();
    e["status"] = "gestaakt";
    e["last_contact_at"] = "2015-01-01T00:00:00Z";
    EXPECT_TRUE(fails_exactly(evaluate(Kind::employer, e), {}));
    e.erase("last_contact_at");
    EXPECT_TRUE(fails_exactly(evaluate(Kind::employer, e), {}));
}

Json vacancy_of(const char* id, const char* employer_id, const char* status) {
    Json v = base_vacancy();
    v["id"] = id;
    v["employer_id"] = employer_id;
    v["status"] = status;
    if (std::string_view(status) == "geblokkeerd") {
        v["status_note"] = "Geblokkeerd";
    }
    return v;
}

TEST(DefaultEmployerRules, ceased_employer_with_open_or_anonymous_vacancies_fails) {
    const char* id = "employer.ceased_with_open_vacancies";
    Json ceased = base_employer();
    ceased["status"] = "gestaakt";
    for (const char* status : {"open", "anoniem"}) {
        const Evaluation e = evaluate(Kind::employer, ceased,
                                      {{Kind::vacancy, vacancy_of("v1", "emp-base", "geen")},
                                       {Kind::vacancy, vacancy_of("v2", "emp-base", status)}});
        EXPECT_TRUE(fails_exactly(e, {id})) << status;
    }
    const Evaluation closed = evaluate(Kind::employer, ceased,
                                       {{Kind::vacancy, vacancy_of("v1", "emp-base", "geen")},
                                        {Kind::vacancy, vacancy_of("v2", "emp-base", "geblokkeerd")},
                                        {Kind::vacancy, vacancy_of("v3", "emp-other", "open")},
                                        {Kind::vacancy, vacancy_of("v4", "emp-other", "anoniem")}});
    EXPECT_TRUE(fails_exactly(closed, {}));
    EXPECT_TRUE(fails_exactly(evaluate(Kind::employer, ceased), {}));
}

TEST(DefaultEmployerRules, active_employer_with_open_vacancies_is_fine) {
    const Evaluation e = evaluate(Kind::employer, base_employer(),
                                  {{Kind::vacancy, vacancy_of("v1", "emp-base", "open")},
                                   {Kind::vacancy, vacancy_of("v2", "emp-base", "anoniem")}});
    EXPECT_TRUE(fails_exactly(e, {}));
}

}  // namespace
}  // namespace spiegel::rules::acceptance
