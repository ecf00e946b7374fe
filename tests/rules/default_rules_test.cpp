// Acceptance tests of the shipped default rule set: the catalogue of rule
// ids, the perfect base records and the score formula.

#include <map>
#include <thread>

#include "tests/rules/default_rules_fixture.h"

namespace spiegel::rules::acceptance {
namespace {

using D = Dimension;

struct Expected {
    std::string_view id;
    Kind kind;
    D dimension;
};

constexpr Expected k_catalogue[] = {
    {"cv.contact.reachable", Kind::cv, D::completeness},
    {"cv.email.valid", Kind::cv, D::validity},
    {"cv.phone.valid", Kind::cv, D::validity},
    {"cv.postcode.valid", Kind::cv, D::validity},
    {"cv.region.known", Kind::cv, D::validity},
    {"cv.birth_year.plausible", Kind::cv, D::validity},
    {"cv.occupation.present", Kind::cv, D::completeness},
    {"cv.occupation.known", Kind::cv, D::validity},
    {"cv.education.present", Kind::cv, D::completeness},
    {"cv.education.level_known", Kind::cv, D::validity},
    {"cv.experience.present", Kind::cv, D::completeness},
    {"cv.experience.dates", Kind::cv, D::consistency},
    {"cv.experience.described", Kind::cv, D::completeness},
    {"cv.skills.min", Kind::cv, D::completeness},
    {"cv.summary.length", Kind::cv, D::completeness},
    {"cv.availability.present", Kind::cv, D::completeness},
    {"cv.travel.present", Kind::cv, D::completeness},
    {"cv.freshness", Kind::cv, D::timeliness},
    {"cv.privacy.no_bsn", Kind::cv, D::privacy},
    {"cv.banenafspraak.complete", Kind::cv, D::completeness},
    {"vacancy.registered_timely", Kind::vacancy, D::timeliness},
    {"vacancy.status.known", Kind::vacancy, D::validity},
    {"vacancy.blocked.explained", Kind::vacancy, D::consistency},
    {"vacancy.positions.single", Kind::vacancy, D::consistency},
    {"vacancy.text.no_discrimination", Kind::vacancy, D::validity},
    {"vacancy.target_group.flagged", Kind::vacancy, D::consistency},
    {"vacancy.description.length", Kind::vacancy, D::completeness},
    {"vacancy.hours.valid", Kind::vacancy, D::completeness},
    {"vacancy.salary.present", Kind::vacancy, D::completeness},
    {"vacancy.education.known", Kind::vacancy, D::validity},
    {"vacancy.occupation.known", Kind::vacancy, D::validity},
    {"vacancy.postcode.valid", Kind::vacancy, D::validity},
    {"vacancy.expired_open", Kind::vacancy, D::timeliness},
    {"vacancy.employer.known", Kind::vacancy, D::consistency},
    {"vacancy.contact.present", Kind::vacancy, D::completeness},
    {"employer.duplicate", Kind::employer, D::uniqueness},
    {"employer.postcode.valid", Kind::employer, D::validity},
    {"employer.sector.known", Kind::employer, D::validity},
    {"employer.stale_account", Kind::employer, D::timeliness},
    {"employer.ceased_with_open_vacancies", Kind::employer, D::consistency},
};

TEST(DefaultRules, shipped_rules_load_without_diagnostics) {
    const Loaded& loaded = loaded_default_rules();
    for (const Diagnostic& d : loaded.diagnostics) {
        ADD_FAILURE() << d.to_string();
    }
    ASSERT_NE(loaded.rule_set, nullptr);
}

TEST(DefaultRules, every_contract_rule_id_exists_with_its_kind_and_dimension) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    for (const Expected& want : k_catalogue) {
        const RuleInfo* info = rs->find(want.id);
        ASSERT_NE(info, nullptr) << want.id;
        EXPECT_EQ(info->kind, want.kind) << want.id;
        EXPECT_EQ(dimension_name(info->dimension), dimension_name(want.dimension)) << want.id;
        EXPECT_TRUE(info->enabled) << want.id;
        EXPECT_GT(info->weight, 0.0) << want.id;
        EXPECT_FALSE(info->advice.empty()) << want.id << " has no advice text";
        const auto& of_kind = rs->rules(want.kind);
        EXPECT_EQ(std::count_if(of_kind.begin(), of_kind.end(),
                                [&](const RuleInfo& r) { return r.id == want.id; }),
                  1)
            << want.id << " must appear once in rules(kind)";
    }
}

TEST(DefaultRules, the_default_set_holds_exactly_the_forty_contract_rules) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    std::size_t total = 0;
    for (Kind k : model::k_all_kinds) {
        for (const RuleInfo& r : rs->rules(k)) {
            ++total;
            const bool known = std::any_of(std::begin(k_catalogue), std::end(k_catalogue),
                                           [&](const Expected& e) { return e.id == r.id; });
            EXPECT_TRUE(known) << "unexpected default rule " << r.id;
        }
    }
    EXPECT_EQ(total, std::size(k_catalogue));
    EXPECT_EQ(rs->enabled_count(), std::size(k_catalogue));
}

// Cards name the fields a failed rule is about.
TEST(DefaultRules, rules_name_the_fields_they_read) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    const std::pair<const char*, std::vector<const char*>> cases[] = {
        {"cv.email.valid", {"email"}},
        {"cv.contact.reachable", {"email", "phone"}},
        {"cv.postcode.valid", {"postcode"}},
        {"cv.experience.dates", {"experience"}},
        {"cv.privacy.no_bsn", {"summary", "experience"}},
        {"cv.banenafspraak.complete", {"education", "experience", "hours_per_week", "interests"}},
        {"vacancy.registered_timely", {"registered_at", "received_at"}},
        {"vacancy.hours.valid", {"hours_per_week_min", "hours_per_week_max"}},
        {"vacancy.text.no_discrimination", {"title", "description"}},
        {"vacancy.employer.known", {"employer_id"}},
        {"employer.duplicate", {"name", "postcode"}},
        {"employer.stale_account", {"last_contact_at"}},
    };
    for (const auto& [id, fields] : cases) {
        const RuleInfo* info = rs->find(id);
        ASSERT_NE(info, nullptr) << id;
        for (const char* f : fields) {
            EXPECT_NE(std::find(info->fields.begin(), info->fields.end(), f), info->fields.end())
                << id << " does not name " << f;
        }
    }
}

TEST(DefaultRules, cross_rules_are_declared_for_vacancy_and_employer_only) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    EXPECT_TRUE(rs->has_cross_rules(Kind::vacancy));   // vacancy.employer.known
    EXPECT_TRUE(rs->has_cross_rules(Kind::employer));  // employer.duplicate, ceased_with_open_vacancies
    EXPECT_FALSE(rs->has_cross_rules(Kind::cv));
    const auto inputs = rs->cross_inputs();
    EXPECT_NE(std::find(inputs.begin(), inputs.end(), Kind::employer), inputs.end());
    EXPECT_NE(std::find(inputs.begin(), inputs.end(), Kind::vacancy), inputs.end());
}

void expect_perfect(const Evaluation& e) {
    EXPECT_TRUE(e.outcome().failed.empty());
    EXPECT_TRUE(fails_exactly(e, {}));
    EXPECT_EQ(e.outcome().states.size(), e.rules().size());
    EXPECT_DOUBLE_EQ(e.outcome().score, 100.0);
    EXPECT_FALSE(e.outcome().unreadable);
}

TEST(DefaultRules, base_cv_passes_every_rule) {
    const Evaluation e = evaluate(Kind::cv, base_cv());
    expect_perfect(e);
    EXPECT_TRUE(not_applicable(e, "cv.banenafspraak.complete"));
    for (const Expected& want : k_catalogue) {
        if (want.kind == Kind::cv && want.id != "cv.banenafspraak.complete") {
            EXPECT_TRUE(passes(e, want.id));
        }
    }
}

TEST(DefaultRules, base_cv_in_banenafspraak_target_group_passes_every_rule) {
    Json cv = base_cv();
    cv["target_groups"] = {"ww", "banenafspraak"};
    const Evaluation e = evaluate(Kind::cv, cv);
    expect_perfect(e);
    EXPECT_TRUE(passes(e, "cv.banenafspraak.complete"));
}

TEST(DefaultRules, base_vacancy_passes_every_rule) {
    const Evaluation e = evaluate_vacancy(base_vacancy());
    expect_perfect(e);
    for (const Expected& want : k_catalogue) {
        if (want.kind == Kind::vacancy) {
            EXPECT_TRUE(passes(e, want.id));
        }
    }
}

TEST(DefaultRules, base_employer_passes_every_rule) {
    const Evaluation e = evaluate(Kind::employer, base_employer());
    expect_perfect(e);
    for (const Expected& want : k_catalogue) {
        if (want.kind == Kind::employer) {
            EXPECT_TRUE(passes(e, want.id));
        }
    }
}

// Per-dimension scores of a perfect record: 100 where the kind has rules of
// that dimension, negative where it has none.
TEST(DefaultRules, base_records_score_100_per_dimension_and_negative_without_rules) {
    const std::map<Kind, Json> bases = {
        {Kind::cv, base_cv()}, {Kind::vacancy, base_vacancy()}, {Kind::employer, base_employer()}};
    for (const auto& [kind, json] : bases) {
        const Evaluation e = kind == Kind::vacancy ? evaluate_vacancy(json) : evaluate(kind, json);
        for (std::size_t d = 0; d < k_dimension_count; ++d) {
            const bool has = std::any_of(std::begin(k_catalogue), std::end(k_catalogue), [&, kind = kind](const Expected& x) {
                return x.kind == kind && static_cast<std::size_t>(x.dimension) == d &&
                       x.id != "cv.banenafspraak.complete";
            });
            const double got = e.outcome().dimension_scores[d];
            if (has) {
                EXPECT_DOUBLE_EQ(got, 100.0) << model::kind_name(kind) << " " << dimension_name(Dimension(d));
            } else {
                EXPECT_LT(got, 0.0) << model::kind_name(kind) << " " << dimension_name(Dimension(d));
            }
        }
    }
}

// The shared postcode definition, checked through the postcode rule of every kind.
Evaluation with_postcode(Kind kind, const Json& postcode, bool erase = false) {
    Json j = kind == Kind::cv ? base_cv() : kind == Kind::vacancy ? base_vacancy() : base_employer();
    if (erase) {
        j.erase("postcode");
    } else {
        j["postcode"] = postcode;
    }
    return kind == Kind::vacancy ? evaluate_vacancy(j) : evaluate(kind, j);
}
std::string postcode_rule(Kind kind) { return std::string(model::kind_name(kind)) + ".postcode.valid"; }

TEST(DefaultRules, valid_postcodes_pass_for_every_kind) {
    for (Kind kind : model::k_all_kinds) {
        for (const char* pc : {"1234AB", "1234 ab", " 1234AB ", "1234 AB", "1234aB", "1000AA", "9999ZZ",
                               "\t2511 CV\n", "1234SB", "1234AS", "1234 DS"}) {
            EXPECT_TRUE(fails_exactly(with_postcode(kind, pc), {})) << model::kind_name(kind) << " \"" << pc << '"';
        }
    }
}

TEST(DefaultRules, invalid_postcodes_fail_for_every_kind) {
    for (Kind kind : model::k_all_kinds) {
        const std::string id = postcode_rule(kind);
        for (const char* pc : {"0123AB", "1234 SA", "1234 sd", "1234SS", "1234sa", "1234 Sd", "1234  AB",
                               "12345", "1234A", "1234ABC", "123AB", "12 34AB", "1234-AB", "AB1234",
                               "1234 A B", "0000AA", "   ", "1234\tAB", "1234Ä B"}) {
            const std::initializer_list<std::string_view> want = {id};
            EXPECT_TRUE(fails_exactly(with_postcode(kind, pc), want)) << model::kind_name(kind) << " \"" << pc << '"';
        }
    }
}

TEST(DefaultRules, missing_postcode_fails_for_every_kind) {
    for (Kind kind : model::k_all_kinds) {
        const std::string id = postcode_rule(kind);
        const std::initializer_list<std::string_view> want = {id};
        EXPECT_TRUE(fails_exactly(with_postcode(kind, nullptr, true), want)) << model::kind_name(kind);
        EXPECT_TRUE(fails_exactly(with_postcode(kind, nullptr), want)) << model::kind_name(kind);
        EXPECT_TRUE(fails_exactly(with_postcode(kind, ""), want)) << model::kind_name(kind);
    }
}

struct Scenario {
    const char* name;
    Kind kind;
    Json record;
    std::vector<Input> others;
};

std::vector<Scenario> scenarios() {
    std::vector<Scenario> out;
    out.push_back({"base cv", Kind::cv, base_cv(), {}});
    Json cv = base_cv();
    cv["target_groups"] = {"banenafspraak"};
    cv["interests"] = Json::array();
    cv["email"] = "a@b";
    cv["summary"] = words(12) + " 111222333 " + words(12);
    cv["experience"][1]["start"] = "2027-01";
    cv["experience"][0]["description"] = "kort";
    out.push_back({"defective cv", Kind::cv, cv, {}});
    out.push_back({"bare cv", Kind::cv, Json{{"id", "bare"}}, {}});
    out.push_back({"base vacancy", Kind::vacancy, base_vacancy(), {{Kind::employer, base_employer()}}});
    Json ceased = base_employer();
    ceased["status"] = "gestaakt";
    Json v = base_vacancy();
    v["description"] = words(30) + " maximaal 30 jaar, banenafspraak " + words(20);
    v["closing_date"] = "2026-10-01";
    v["positions"] = 3;
    v["registered_at"] = "2026-10-03T00:00:00Z";
    out.push_back({"defective vacancy", Kind::vacancy, v, {{Kind::employer, ceased}}});
    v["target_groups"] = {"50plus"};
    out.push_back({"target group vacancy", Kind::vacancy, v, {{Kind::employer, base_employer()}}});
    Json twin = base_employer();
    twin["id"] = "emp-aaa";  // sorts before emp-base: only created_at keeps emp-base
    twin["name"] = "voorbeeld-techniek";
    twin["created_at"] = "2016-01-01T00:00:00Z";
    out.push_back({"later twin employer", Kind::employer, twin, {{Kind::employer, base_employer()}}});
    out.push_back({"earlier twin employer", Kind::employer, base_employer(), {{Kind::employer, twin}}});
    Json old = ceased;
    old["last_contact_at"] = "2020-01-01T00:00:00Z";
    Json open = base_vacancy();
    open["employer_id"] = "emp-base";
    out.push_back({"ceased employer with open vacancy", Kind::employer, old, {{Kind::vacancy, open}}});
    Json stale = base_employer();
    stale["last_contact_at"] = "2024-01-01T00:00:00Z";
    out.push_back({"stale employer", Kind::employer, stale, {}});
    return out;
}

// The engine streams only cross_fields(kind) into the cross index and may
// read only used_fields(kind) for evaluation: results must not change.
TEST(DefaultRules, reading_only_declared_fields_gives_the_same_states) {
    ASSERT_NE(default_rules(), nullptr);
    for (const Scenario& sc : scenarios()) {
        const Evaluation whole = evaluate(sc.kind, sc.record, sc.others);
        const Evaluation engine = evaluate(sc.kind, sc.record, sc.others, as_of(), Reading::engine);
        EXPECT_EQ(engine.failed_ids(), whole.failed_ids()) << sc.name;
        EXPECT_EQ(engine.outcome().states, whole.outcome().states) << sc.name;
        EXPECT_DOUBLE_EQ(engine.outcome().score, whole.outcome().score) << sc.name;
    }
}

TEST(DefaultRules, scenario_records_fail_what_the_contract_says) {
    const auto sc = scenarios();
    EXPECT_TRUE(fails_exactly(evaluate(sc[1].kind, sc[1].record, sc[1].others),
                              {"cv.banenafspraak.complete", "cv.email.valid", "cv.privacy.no_bsn",
                               "cv.experience.dates", "cv.experience.described"}));
    EXPECT_TRUE(fails_exactly(evaluate(sc[4].kind, sc[4].record, sc[4].others),
                              {"vacancy.text.no_discrimination", "vacancy.target_group.flagged",
                               "vacancy.expired_open", "vacancy.positions.single", "vacancy.registered_timely",
                               "vacancy.employer.known"}));
    EXPECT_TRUE(fails_exactly(evaluate(sc[6].kind, sc[6].record, sc[6].others), {"employer.duplicate"}));
    EXPECT_TRUE(fails_exactly(evaluate(sc[7].kind, sc[7].record, sc[7].others), {}));
    EXPECT_TRUE(fails_exactly(evaluate(sc[8].kind, sc[8].record, sc[8].others),
                              {"employer.ceased_with_open_vacancies"}));
    EXPECT_TRUE(fails_exactly(evaluate(sc[9].kind, sc[9].record, sc[9].others), {"employer.stale_account"}));
}

// One Outcome reused for records of different kinds and qualities (the
// engine keeps one per thread) gives the same result as a fresh one.
TEST(DefaultRules, a_reused_outcome_is_fully_overwritten) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    model::Arena arena;
    CrossIndexBuilder builder(*rs);
    builder.add(spiegel::testing::record(Kind::employer, base_employer().dump(), arena));
    const auto cross = builder.finish();
    const EvalContext context{as_of(), cross.get()};
    Outcome reused;
    for (const Scenario& sc : scenarios()) {
        if (sc.kind == Kind::employer) {
            continue;
        }
        const model::Record rec = spiegel::testing::record(sc.kind, sc.record.dump(), arena);
        Outcome fresh;
        rs->evaluate(rec, context, fresh);
        rs->evaluate(rec, context, reused);
        EXPECT_EQ(reused.states, fresh.states) << sc.name;
        EXPECT_EQ(reused.failed, fresh.failed) << sc.name;
        EXPECT_DOUBLE_EQ(reused.score, fresh.score) << sc.name;
        for (std::size_t d = 0; d < k_dimension_count; ++d) {
            EXPECT_DOUBLE_EQ(reused.dimension_scores[d], fresh.dimension_scores[d]) << sc.name << " " << d;
        }
        EXPECT_EQ(reused.unreadable, fresh.unreadable) << sc.name;
    }
}

// records.md: a stored value that could not be read reads as null, the rules
// that use it fail (even where null would pass) and the record is unreadable.
TEST(DefaultRules, an_unreadable_field_fails_the_rules_using_it) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    model::Arena arena;
    const model::Record good = spiegel::testing::record(Kind::cv, base_cv().dump(), arena);
    const std::size_t email = *model::schema_for(Kind::cv).slot("email");
    const std::size_t municipality = *model::schema_for(Kind::cv).slot("municipality");
    const auto with_issue = [&](std::size_t slot, std::vector<model::Value>& values,
                                std::vector<model::FieldIssue>& issues) {
        values.assign(good.fields.begin(), good.fields.end());
        values[slot] = model::Value::null();
        issues = {model::FieldIssue{static_cast<std::uint16_t>(slot), "not valid JSON"}};
        model::Record rec = good;
        rec.fields = values;
        rec.issues = issues;
        return rec;
    };
    CrossIndexBuilder builder(*rs);
    const auto cross = builder.finish();
    const EvalContext context{as_of(), cross.get()};
    std::vector<model::Value> values;
    std::vector<model::FieldIssue> issues;
    Outcome outcome;
    rs->evaluate(with_issue(email, values, issues), context, outcome);
    const Evaluation e(Kind::cv, outcome);
    EXPECT_TRUE(fails(e, "cv.email.valid"));
    EXPECT_TRUE(outcome.unreadable);
    rs->evaluate(with_issue(municipality, values, issues), context, outcome);
    EXPECT_TRUE(outcome.failed.empty()) << "no default rule reads municipality";
    EXPECT_FALSE(outcome.unreadable);
}

// default-rules.md: a rule whose condition does not apply counts for
// neither, unreadable values or not. Found by a black-box review: a CV
// outside banenafspraak with an unreadable hours_per_week failed
// cv.banenafspraak.complete, whose `when` reads only target_groups.
TEST(DefaultRules, an_unreadable_field_does_not_make_a_rule_apply_whose_condition_is_false) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    CrossIndexBuilder builder(*rs);
    const auto cross = builder.finish();
    const EvalContext context{as_of(), cross.get()};
    const std::size_t hours = *model::schema_for(Kind::cv).slot("hours_per_week");
    const std::vector<model::FieldIssue> issues{model::FieldIssue{static_cast<std::uint16_t>(hours), "not a number"}};
    for (const char* groups : {R"(["ww"])", R"(["banenafspraak"])"}) {
        Json cv = base_cv();
        cv["target_groups"] = Json::parse(groups);
        model::Arena arena;
        model::Record rec = spiegel::testing::record(Kind::cv, cv.dump(), arena);
        std::vector<model::Value> values(rec.fields.begin(), rec.fields.end());
        values[hours] = model::Value::null();
        rec.fields = values;
        rec.issues = issues;
        Outcome outcome;
        rs->evaluate(rec, context, outcome);
        const Evaluation e(Kind::cv, outcome);
        EXPECT_TRUE(fails(e, "cv.availability.present")) << groups;
        EXPECT_TRUE(outcome.unreadable) << groups;
        // Inside the target group the rule applies and reads the value.
        EXPECT_EQ(fails(e, "cv.banenafspraak.complete"), std::string(groups).find("banenafspraak") != std::string::npos)
            << groups;
    }
}

TEST(DefaultRules, concurrent_evaluation_matches_sequential) {
    const RuleSet* rs = default_rules();
    ASSERT_NE(rs, nullptr);
    model::Arena arena;
    CrossIndexBuilder builder(*rs);
    builder.add(spiegel::testing::record(Kind::employer, base_employer().dump(), arena));
    const auto cross = builder.finish();
    const EvalContext context{as_of(), cross.get()};
    std::vector<model::Record> records;
    std::vector<Outcome> expected;
    for (const Scenario& sc : scenarios()) {
        if (sc.kind != Kind::employer) {
            records.push_back(spiegel::testing::record(sc.kind, sc.record.dump(), arena));
            expected.emplace_back();
            rs->evaluate(records.back(), context, expected.back());
        }
    }
    std::array<int, 2> mismatches{};
    const auto work = [&](int t) {
        Outcome o;
        for (int round = 0; round < 300; ++round) {
            const std::size_t i = static_cast<std::size_t>(round + t) % records.size();
            rs->evaluate(records[i], context, o);
            mismatches[static_cast<std::size_t>(t)] += o.states != expected[i].states || o.score != expected[i].score;
        }
    };
    std::thread a(work, 0);
    std::thread b(work, 1);
    a.join();
    b.join();
    EXPECT_EQ(mismatches[0] + mismatches[1], 0);
}

}  // namespace
}  // namespace spiegel::rules::acceptance
