// Acceptance tests of the default vacancy rules, one mutation of the perfect
// base vacancy per case.

#include "tests/rules/default_rules_fixture.h"

namespace spiegel::rules::acceptance {
namespace {

Evaluation vacancy_with(const char* field, const Json& value) {
    Json v = base_vacancy();
    v[field] = value;
    return evaluate_vacancy(v);
}
Evaluation vacancy_without(const char* field) {
    Json v = base_vacancy();
    v.erase(field);
    return evaluate_vacancy(v);
}

TEST(DefaultVacancyRules, registration_within_24_hours_of_receipt_is_timely) {
    for (const char* registered : {"2026-10-01T08:00:00Z", "2026-10-02T08:00:00Z", "2026-10-01T07:00:00Z",
                                   "2026-09-20T00:00:00Z", "2026-10-02T10:00:00+02:00"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("registered_at", registered), {})) << registered;
    }
    for (const char* registered : {"2026-10-02T08:00:01Z", "2026-10-05T08:00:00Z", "2026-10-02T10:00:01+02:00"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("registered_at", registered), {"vacancy.registered_timely"}))
            << registered;
    }
    Json v = base_vacancy();
    v["received_at"] = "2026-10-01T10:00:00+02:00";  // 08:00Z
    v["registered_at"] = "2026-10-02T08:00:00Z";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {}));
    v["registered_at"] = "2026-10-02T08:00:01Z";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.registered_timely"}));
    // "More than 24 hours after": to the millisecond.
    v["registered_at"] = "2026-10-02T08:00:00.001Z";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.registered_timely"}));
    v["received_at"] = "2026-10-01T08:00:00.5Z";
    v["registered_at"] = "2026-10-02T08:00:00.5Z";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {}));
    v["registered_at"] = "2026-10-02T10:00:00.500001+02:00";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.registered_timely"}));
}

TEST(DefaultVacancyRules, missing_registration_or_receipt_time_is_not_timely) {
    for (const char* field : {"registered_at", "received_at"}) {
        EXPECT_TRUE(fails_exactly(vacancy_without(field), {"vacancy.registered_timely"})) << field;
        EXPECT_TRUE(fails_exactly(vacancy_with(field, nullptr), {"vacancy.registered_timely"})) << field;
        EXPECT_TRUE(fails_exactly(vacancy_with(field, ""), {"vacancy.registered_timely"})) << field;
    }
}

TEST(DefaultVacancyRules, status_must_be_one_of_the_four_codes) {
    for (const char* status : {"open", "anoniem", "geen"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("status", status), {})) << status;
    }
    Json v = base_vacancy();
    v["status"] = "geblokkeerd";
    v["status_note"] = "Tekst in strijd met de huisregels";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {}));
    for (const char* status : {"gesloten", "Open", "OPEN", " open", "vervuld", "blocked"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("status", status), {"vacancy.status.known"})) << status;
    }
    for (const Evaluation& e : {vacancy_without("status"), vacancy_with("status", nullptr), vacancy_with("status", "")}) {
        EXPECT_TRUE(fails(e, "vacancy.status.known"));
        EXPECT_TRUE(does_not_fail(e, "vacancy.blocked.explained"));
        EXPECT_TRUE(does_not_fail(e, "vacancy.expired_open"));
        EXPECT_TRUE(does_not_fail(e, "vacancy.contact.present"));
    }
}

TEST(DefaultVacancyRules, blocked_vacancy_needs_a_status_note) {
    Json v = base_vacancy();
    v["status"] = "geblokkeerd";
    for (const Json& note : {Json(nullptr), Json("")}) {
        v["status_note"] = note;
        EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.blocked.explained"})) << note;
    }
    v.erase("status_note");
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.blocked.explained"}));
    for (const char* status : {"open", "anoniem", "geen"}) {
        v["status"] = status;
        EXPECT_TRUE(does_not_fail(evaluate_vacancy(v), "vacancy.blocked.explained")) << status;
    }
}

TEST(DefaultVacancyRules, at_most_one_position_more_than_placements) {
    const std::pair<Json, Json> ok[] = {{1, 0}, {0, 0}, {2, 1}, {5, 4}, {3, 7}, {1, nullptr}, {1, "<absent>"}};
    const std::pair<Json, Json> bad[] = {{2, 0}, {3, 1}, {10, 8}, {2, nullptr}, {2, "<absent>"}};
    const auto with = [](const Json& positions, const Json& placements) {
        Json v = base_vacancy();
        v["positions"] = positions;
        if (placements.is_string()) {
            v.erase("placements");
        } else {
            v["placements"] = placements;
        }
        return evaluate_vacancy(v);
    };
    for (const auto& [positions, placements] : ok) {
        EXPECT_TRUE(fails_exactly(with(positions, placements), {})) << positions << " " << placements;
    }
    for (const auto& [positions, placements] : bad) {
        EXPECT_TRUE(fails_exactly(with(positions, placements), {"vacancy.positions.single"}))
            << positions << " " << placements;
    }
}

std::string description_with(const std::string& phrase) { return words(30) + " " + phrase + " " + words(25); }

const char* const k_discriminating[] = {
    "maximaal 30 jaar", "max. 25 jaar", "max 25 jaar", "tot 30 jaar", "niet ouder dan 40 jaar",
    "tussen 18 en 25 jaar", "jong en dynamisch", "jonge collega", "jong team", "schoolverlater",
    "pas afgestudeerd", "scholier", "alleen mannen", "uitsluitend vrouwen", "alleen dames",
    "uitsluitend heren", "Nederlands als moedertaal", "moedertaal Nederlands", "accentloos Nederlands",
    "Nederlandse afkomst", "native speaker",
    // boundaries and spelling variants
    "maximaal 15 jaar", "tot 70 jaar", "MAXIMAAL 30 JAAR", "Max. 25 Jaar", "maximaal   30 \t jaar",
    "niet\nouder\ndan\n40\njaar", "Tussen 18  en\n25 jaar", "Jong En Dynamisch", "ALLEEN  MANNEN",
    "Uitsluitend\nHeren", "NATIVE SPEAKER", "native\n speaker", "Nederlands  als\tmoedertaal",
    "(scholier)", "jong team!", "tussen 15 en 70 jaar", "maximaal\u00a030\u00a0jaar",
    "Leeftijd: max. 25 jaar.", "jonge collega", "Native speaker Nederlands",
};

TEST(DefaultVacancyRules, discriminating_wording_in_description_fails) {
    for (const char* phrase : k_discriminating) {
        EXPECT_TRUE(fails_exactly(vacancy_with("description", description_with(phrase)),
                                  {"vacancy.text.no_discrimination"}))
            << '"' << phrase << '"';
    }
}

TEST(DefaultVacancyRules, discriminating_wording_in_title_fails) {
    for (const char* phrase : k_discriminating) {
        EXPECT_TRUE(fails_exactly(vacancy_with("title", std::string("Verkoper ") + phrase),
                                  {"vacancy.text.no_discrimination"}))
            << '"' << phrase << '"';
    }
}

TEST(DefaultVacancyRules, harmless_wording_passes_the_discrimination_check) {
    for (const char* phrase : {"minimaal 5 jaar werkervaring", "juniorfunctie", "jongerenwerker",
                               "Jongbloed B.V.", "tot 38 uur per week", "jaarcontract",
                               "de opleiding duurt maximaal 2 jaar", "tussen 2 en 5 jaar werkervaring",
                               "maximaal 3 jaar ervaring", "maximaal 14 jaar", "tot 71 jaar",
                               "maximaal 30 jaar werkervaring", "tot 30 jaar ervaring",
                               "tussen 18 en 25 jaar werkervaring", "tussen 20 en 30 jaar ervaring",
                               "max 2 jaar", "Nederlands en Engels",
                               "mannen en vrouwen", "dames en heren", "jong teamlid",
                               "schoolverlaterstraject", "afgestudeerd", "jonge", "totaal 30 jaarlijks",
                               "maximaal 300 jaar", "tot 30 jaartallen"}) {
        EXPECT_TRUE(passes(vacancy_with("description", description_with(phrase)), "vacancy.text.no_discrimination"))
            << '"' << phrase << '"';
        EXPECT_TRUE(passes(vacancy_with("title", phrase), "vacancy.text.no_discrimination"))
            << '"' << phrase << '"';
    }
}

TEST(DefaultVacancyRules, discrimination_check_does_not_apply_to_target_group_vacancies) {
    for (const Json& groups : {Json{"jongeren"}, Json{"50plus"}, Json{"banenafspraak", "jongeren"}}) {
        Json v = base_vacancy();
        v["target_groups"] = groups;
        v["description"] = description_with("schoolverlater maximaal 25 jaar");
        if (groups.size() == 2) {
            v["description"] = description_with("schoolverlater maximaal 25 jaar banenafspraak");
        }
        const Evaluation e = evaluate_vacancy(v);
        EXPECT_TRUE(not_applicable(e, "vacancy.text.no_discrimination")) << groups;
        EXPECT_TRUE(fails_exactly(e, {})) << groups;
        EXPECT_DOUBLE_EQ(e.outcome().score, 100.0) << groups;
    }
    Json v = base_vacancy();
    v["target_groups"] = {"wajong"};
    v["description"] = description_with("schoolverlater wajong");
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.text.no_discrimination"}));
}

TEST(DefaultVacancyRules, banenafspraak_or_wajong_in_text_needs_the_target_group) {
    const char* id = "vacancy.target_group.flagged";
    const std::tuple<const char*, const char*, Json, bool> cases[] = {
        {"description", "een baan via de banenafspraak", Json::array(), true},
        {"description", "BANENAFSPRAAK", Json{"wajong"}, true},
        {"description", "Banenafspraak.", Json{"banenafspraak"}, false},
        {"title", "Medewerker banenafspraak", Json::array(), true},
        {"title", "Medewerker banenafspraak", Json{"banenafspraak"}, false},
        {"description", "met een Wajong uitkering", Json::array(), true},
        {"description", "wajong-uitkering", Json{"banenafspraak"}, true},
        {"description", "wajong", Json{"wajong"}, false},
        {"description", "banenafspraak en wajong", Json{"banenafspraak"}, true},
        {"description", "banenafspraak en wajong", Json{"wajong"}, true},
        {"description", "banenafspraak en wajong", Json{"wajong", "banenafspraak"}, false},
        {"description", "Wajongeren welkom", Json::array(), false},
        {"description", "banenafspraakbaan", Json::array(), false},
        {"description", "wajonger", Json::array(), false},
        {"description", "niets bijzonders", Json::array(), false},
        {"description", "banenafspraak-kandidaat", Json::array(), true},
        {"description", "wajong2", Json::array(), false},
        {"description", "#Wajong", Json{"wajong"}, false},
    };
    for (const auto& [field, text, groups, should_fail] : cases) {
        Json v = base_vacancy();
        v["target_groups"] = groups;
        v[field] = std::string(field) == "title" ? std::string(text) : description_with(text);
        const Evaluation e = evaluate_vacancy(v);
        EXPECT_TRUE(should_fail ? fails_exactly(e, {id}) : fails_exactly(e, {})) << field << " \"" << text << "\" " << groups;
    }
}

TEST(DefaultVacancyRules, description_needs_fifty_words) {
    EXPECT_TRUE(fails_exactly(vacancy_with("description", words(50)), {}));
    EXPECT_TRUE(fails_exactly(vacancy_with("description", words(49)), {"vacancy.description.length"}));
    EXPECT_TRUE(fails_exactly(vacancy_with("description", words(50, "\n\n- ")), {}));
    EXPECT_TRUE(fails_exactly(vacancy_with("description", words(49, " / ")), {"vacancy.description.length"}));
    std::string clients;
    for (int i = 0; i < 49; ++i) {
        clients += "cliënt ";
    }
    EXPECT_TRUE(fails_exactly(vacancy_with("description", clients), {"vacancy.description.length"}));
    EXPECT_TRUE(fails_exactly(vacancy_with("description", clients + "één"), {}));
    for (const Evaluation& e : {vacancy_without("description"), vacancy_with("description", nullptr),
                                vacancy_with("description", "")}) {
        EXPECT_TRUE(fails_exactly(e, {"vacancy.description.length"}));
    }
}

TEST(DefaultVacancyRules, hours_need_1_le_min_le_max_le_60) {
    const auto with = [](const Json& min, const Json& max) {
        Json v = base_vacancy();
        v["hours_per_week_min"] = min;
        v["hours_per_week_max"] = max;
        return evaluate_vacancy(v);
    };
    for (const auto& [min, max] : {std::pair{1, 1}, {1, 60}, {60, 60}, {24, 36}, {40, 40}}) {
        EXPECT_TRUE(fails_exactly(with(min, max), {})) << min << "-" << max;
    }
    for (const auto& [min, max] : {std::pair{0, 10}, {0, 0}, {1, 61}, {61, 61}, {40, 32}, {-1, 8}}) {
        EXPECT_TRUE(fails_exactly(with(min, max), {"vacancy.hours.valid"})) << min << "-" << max;
    }
    EXPECT_TRUE(fails_exactly(with(nullptr, 40), {"vacancy.hours.valid"}));
    EXPECT_TRUE(fails_exactly(with(32, nullptr), {"vacancy.hours.valid"}));
    EXPECT_TRUE(fails_exactly(vacancy_without("hours_per_week_min"), {"vacancy.hours.valid"}));
    EXPECT_TRUE(fails_exactly(vacancy_without("hours_per_week_max"), {"vacancy.hours.valid"}));
}

TEST(DefaultVacancyRules, salary_min_required_and_max_not_below_it) {
    const auto with = [](const Json& min, const Json& max) {
        Json v = base_vacancy();
        v["salary_min"] = min;
        if (max.is_string()) {
            v.erase("salary_max");
        } else {
            v["salary_max"] = max;
        }
        return evaluate_vacancy(v);
    };
    for (const auto& [min, max] : {std::pair<Json, Json>{3000, 3000}, {3000, 3000.5}, {3000, nullptr},
                                   {3000, "<absent>"}, {2999.99, 3000}, {0, 0}}) {
        EXPECT_TRUE(fails_exactly(with(min, max), {})) << min << " " << max;
    }
    for (const auto& [min, max] : {std::pair<Json, Json>{3000, 2999.99}, {3000, 2000}, {nullptr, 4000},
                                   {nullptr, nullptr}, {nullptr, "<absent>"}}) {
        EXPECT_TRUE(fails_exactly(with(min, max), {"vacancy.salary.present"})) << min << " " << max;
    }
    Json v = base_vacancy();
    v.erase("salary_min");
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {"vacancy.salary.present"}));
}

TEST(DefaultVacancyRules, education_level_must_be_a_known_code) {
    for (const char* level : {"basis", "mbo2", "havo_vwo", "wo", "onbekend"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("education_level", level), {})) << level;
    }
    for (const char* level : {"MBO2", "HBO", "hbo ", "bachelor", "code", "rank"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("education_level", level), {"vacancy.education.known"})) << level;
    }
    for (const Evaluation& e : {vacancy_without("education_level"), vacancy_with("education_level", nullptr),
                                vacancy_with("education_level", "")}) {
        EXPECT_TRUE(fails_exactly(e, {"vacancy.education.known"}));
    }
}

TEST(DefaultVacancyRules, occupation_code_must_be_an_isco_unit_group) {
    for (const char* code : {"9321", "0110", "2512"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("occupation_code", code), {})) << code;
    }
    for (const char* code : {"932", "93", "9", "9999", "25120", "2512.1"}) {
        EXPECT_TRUE(fails_exactly(vacancy_with("occupation_code", code), {"vacancy.occupation.known"})) << code;
    }
    for (const Evaluation& e : {vacancy_without("occupation_code"), vacancy_with("occupation_code", nullptr),
                                vacancy_with("occupation_code", "")}) {
        EXPECT_TRUE(fails_exactly(e, {"vacancy.occupation.known"}));
    }
}

TEST(DefaultVacancyRules, open_or_anonymous_vacancy_past_its_closing_date_is_expired) {
    const auto with = [](const char* status, const Json& closing) {
        Json v = base_vacancy();
        v["status"] = status;
        v["closing_date"] = closing;
        return evaluate_vacancy(v);
    };
    for (const char* status : {"open", "anoniem"}) {
        EXPECT_TRUE(fails_exactly(with(status, "2026-10-31"), {"vacancy.expired_open"})) << status;
        EXPECT_TRUE(fails_exactly(with(status, "2025-01-01"), {"vacancy.expired_open"})) << status;
        EXPECT_TRUE(fails_exactly(with(status, "2026-11-01"), {})) << status;  // the as-of date itself
        EXPECT_TRUE(fails_exactly(with(status, "2026-11-02"), {})) << status;
        EXPECT_TRUE(does_not_fail(with(status, nullptr), "vacancy.expired_open")) << status;
    }
    EXPECT_TRUE(fails_exactly(with("geen", "2020-01-01"), {}));
    Json v = base_vacancy();
    v["status"] = "geblokkeerd";
    v["status_note"] = "Geblokkeerd na klacht";
    v["closing_date"] = "2020-01-01";
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {}));
}

TEST(DefaultVacancyRules, expiry_compares_with_the_as_of_date_not_the_clock) {
    Json v = base_vacancy();
    v["closing_date"] = "2026-11-01";
    EXPECT_TRUE(passes(evaluate_vacancy(v, ts("2026-11-01T23:59:59Z")), "vacancy.expired_open"));
    EXPECT_TRUE(fails(evaluate_vacancy(v, ts("2026-11-02T00:00:00Z")), "vacancy.expired_open"));
    v["closing_date"] = "2026-10-15";
    EXPECT_TRUE(passes(evaluate_vacancy(v, ts("2026-10-15T12:00:00Z")), "vacancy.expired_open"));
}

TEST(DefaultVacancyRules, employer_must_exist_and_not_be_ceased) {
    const char* id = "vacancy.employer.known";
    EXPECT_TRUE(fails_exactly(vacancy_without("employer_id"), {id}));
    EXPECT_TRUE(fails_exactly(vacancy_with("employer_id", nullptr), {id}));
    EXPECT_TRUE(fails_exactly(vacancy_with("employer_id", ""), {id}));
    EXPECT_TRUE(fails_exactly(vacancy_with("employer_id", "emp-unknown"), {id}));
    EXPECT_TRUE(fails_exactly(vacancy_with("employer_id", "EMP-BASE"), {id}));
    EXPECT_TRUE(fails_exactly(evaluate(Kind::vacancy, base_vacancy()), {id}));  // no employers at all

    Json ceased = base_employer();
    ceased["status"] = "gestaakt";
    EXPECT_TRUE(fails_exactly(evaluate(Kind::vacancy, base_vacancy(), {{Kind::employer, ceased}}), {id}));

    Json other = base_employer();
    other["id"] = "emp-other";
    other["status"] = "gestaakt";
    EXPECT_TRUE(fails_exactly(
        evaluate(Kind::vacancy, base_vacancy(), {{Kind::employer, other}, {Kind::employer, base_employer()}}), {}));
}

TEST(DefaultVacancyRules, open_vacancy_needs_a_contact) {
    const char* id = "vacancy.contact.present";
    const auto with = [](const char* status, const Json& email, const Json& phone) {
        Json v = base_vacancy();
        v["status"] = status;
        v["contact_email"] = email;
        v["contact_phone"] = phone;
        return evaluate_vacancy(v);
    };
    EXPECT_TRUE(fails_exactly(with("open", nullptr, nullptr), {id}));
    EXPECT_TRUE(fails_exactly(with("open", "", ""), {id}));
    EXPECT_TRUE(fails_exactly(with("open", "werving@example.nl", nullptr), {}));
    EXPECT_TRUE(fails_exactly(with("open", "", "070-1234567"), {}));
    EXPECT_TRUE(fails_exactly(with("open", "geen e-mail", ""), {}));  // presence only
    EXPECT_TRUE(fails_exactly(with("anoniem", nullptr, nullptr), {}));
    EXPECT_TRUE(fails_exactly(with("geen", "", ""), {}));
    Json v = base_vacancy();
    v.erase("contact_email");
    v.erase("contact_phone");
    EXPECT_TRUE(fails_exactly(evaluate_vacancy(v), {id}));
}

}  // namespace
}  // namespace spiegel::rules::acceptance
