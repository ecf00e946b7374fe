// Acceptance tests of record scores under the default rule set: 100 x passed
// weight / applicable weight, rounded to one decimal, overall and per
// dimension. Each case is checked twice: against the formula over the
// shipped weights, and against the literal figure worked out by hand from
// the weights of default-rules.md (so a mistake shared by the formula here
// and the engine still shows).

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "tests/rules/default_rules_fixture.h"

namespace spiegel::rules::acceptance {
namespace {

double weight(std::string_view id) {
    const RuleInfo* info = default_rules()->find(id);
    EXPECT_NE(info, nullptr) << id;
    return info == nullptr ? 0.0 : info->weight;
}

double round1(double x) { return std::round(x * 10.0) / 10.0; }

// Expected scores when the rules in `failed` fail, those in `excluded` do
// not apply and every other rule of the kind passes.
struct Expectation {
    double score = 100.0;
    std::array<double, k_dimension_count> dimensions{};
};
Expectation expectation(Kind kind, const std::set<std::string>& failed, const std::set<std::string>& excluded) {
    double total = 0;
    double passed = 0;
    std::array<double, k_dimension_count> dim_total{};
    std::array<double, k_dimension_count> dim_passed{};
    for (const RuleInfo& r : default_rules()->rules(kind)) {
        if (excluded.count(r.id) != 0) {
            continue;
        }
        const auto d = static_cast<std::size_t>(r.dimension);
        const double w = weight(r.id);
        total += w;
        dim_total[d] += w;
        if (failed.count(r.id) == 0) {
            passed += w;
            dim_passed[d] += w;
        }
    }
    Expectation out;
    out.score = total == 0 ? 100.0 : round1(100.0 * passed / total);
    for (std::size_t d = 0; d < k_dimension_count; ++d) {
        out.dimensions[d] = dim_total[d] == 0 ? -1.0 : round1(100.0 * dim_passed[d] / dim_total[d]);
    }
    return out;
}

void expect_scores(const Evaluation& e, const Expectation& want) {
    EXPECT_NEAR(e.outcome().score, want.score, 1e-9);
    for (std::size_t d = 0; d < k_dimension_count; ++d) {
        const double got = e.outcome().dimension_scores[d];
        if (want.dimensions[d] < 0) {
            EXPECT_LT(got, 0.0) << dimension_name(Dimension(d));
        } else {
            EXPECT_NEAR(got, want.dimensions[d], 1e-9) << dimension_name(Dimension(d));
        }
    }
}

// failed must list exactly the failing indices, in rule order.
void expect_failed_indices(const Evaluation& e) {
    std::vector<std::uint16_t> want;
    for (std::size_t i = 0; i < e.outcome().states.size(); ++i) {
        if (e.outcome().states[i] == RuleState::fail) {
            want.push_back(static_cast<std::uint16_t>(i));
        }
    }
    EXPECT_EQ(e.outcome().failed, want);
}

TEST(DefaultScores, cv_failing_three_rules_scores_by_weight) {
    ASSERT_NE(default_rules(), nullptr);
    Json cv = base_cv();
    cv["email"] = "a@b";
    cv["skills"] = {"Java"};
    cv["updated_at"] = "2025-01-01T00:00:00Z";
    const Evaluation e = evaluate(Kind::cv, cv);
    ASSERT_TRUE(fails_exactly(e, {"cv.email.valid", "cv.skills.min", "cv.freshness"}));
    ASSERT_TRUE(not_applicable(e, "cv.banenafspraak.complete"));
    expect_scores(e, expectation(Kind::cv, {"cv.email.valid", "cv.skills.min", "cv.freshness"},
                                 {"cv.banenafspraak.complete"}));
    // Applicable weight 33 (35 less banenafspraak 2); failed 2 + 2 + 2: 27 / 33.
    EXPECT_DOUBLE_EQ(e.outcome().score, 81.8);
    // Validity 9 / 11 (email fails), completeness 14 / 16 (skills fails).
    EXPECT_DOUBLE_EQ(e.outcome().dimension_scores[static_cast<std::size_t>(Dimension::validity)], 81.8);
    EXPECT_DOUBLE_EQ(e.outcome().dimension_scores[static_cast<std::size_t>(Dimension::completeness)], 87.5);
    EXPECT_NEAR(e.outcome().dimension_scores[static_cast<std::size_t>(Dimension::timeliness)], 0.0, 1e-9);
    expect_failed_indices(e);
}

TEST(DefaultScores, banenafspraak_rule_counts_only_inside_the_target_group) {
    ASSERT_NE(default_rules(), nullptr);
    Json cv = base_cv();
    cv["interests"] = Json::array();
    cv["phone"] = "12345";
    const Evaluation outside = evaluate(Kind::cv, cv);
    ASSERT_TRUE(fails_exactly(outside, {"cv.phone.valid"}));
    expect_scores(outside, expectation(Kind::cv, {"cv.phone.valid"}, {"cv.banenafspraak.complete"}));
    EXPECT_DOUBLE_EQ(outside.outcome().score, 93.9);  // 31 / 33

    cv["target_groups"] = {"banenafspraak"};
    const Evaluation inside = evaluate(Kind::cv, cv);
    ASSERT_TRUE(fails_exactly(inside, {"cv.phone.valid", "cv.banenafspraak.complete"}));
    expect_scores(inside, expectation(Kind::cv, {"cv.phone.valid", "cv.banenafspraak.complete"}, {}));
    EXPECT_DOUBLE_EQ(inside.outcome().score, 88.6);  // 31 / 35
    EXPECT_LT(inside.outcome().score, outside.outcome().score);
    expect_failed_indices(inside);
}

TEST(DefaultScores, vacancy_scores_exclude_the_discrimination_rule_for_target_group_vacancies) {
    ASSERT_NE(default_rules(), nullptr);
    Json v = base_vacancy();
    v["target_groups"] = {"jongeren"};
    v["salary_min"] = nullptr;
    v["positions"] = 4;
    const Evaluation e = evaluate_vacancy(v);
    ASSERT_TRUE(fails_exactly(e, {"vacancy.salary.present", "vacancy.positions.single"}));
    ASSERT_TRUE(not_applicable(e, "vacancy.text.no_discrimination"));
    expect_scores(e, expectation(Kind::vacancy, {"vacancy.salary.present", "vacancy.positions.single"},
                                 {"vacancy.text.no_discrimination"}));
    EXPECT_DOUBLE_EQ(e.outcome().score, 90.0);  // 18 / 20: weight 23 less discrimination 3
    expect_failed_indices(e);

    v["target_groups"] = Json::array();
    const Evaluation counted = evaluate_vacancy(v);
    expect_scores(counted, expectation(Kind::vacancy, {"vacancy.salary.present", "vacancy.positions.single"}, {}));
    EXPECT_DOUBLE_EQ(counted.outcome().score, 91.3);  // 21 / 23
}

TEST(DefaultScores, employer_scores_by_weight_with_cross_rules) {
    ASSERT_NE(default_rules(), nullptr);
    Json late = base_employer();
    late["id"] = "emp-late";
    late["name"] = "Voorbeeld Techniek";
    late["created_at"] = "2016-01-01T00:00:00Z";
    late["sector"] = "it";
    const Evaluation e = evaluate(Kind::employer, late, {{Kind::employer, base_employer()}});
    ASSERT_TRUE(fails_exactly(e, {"employer.duplicate", "employer.sector.known"}));
    expect_scores(e, expectation(Kind::employer, {"employer.duplicate", "employer.sector.known"}, {}));
    EXPECT_DOUBLE_EQ(e.outcome().score, 55.6);  // 5 / 9: duplicate 3 and sector 1 fail
    EXPECT_DOUBLE_EQ(e.outcome().dimension_scores[static_cast<std::size_t>(Dimension::validity)], 66.7);  // 2 / 3
    EXPECT_NEAR(e.outcome().dimension_scores[static_cast<std::size_t>(Dimension::uniqueness)], 0.0, 1e-9);
    expect_failed_indices(e);
}

// Whatever states a bare record gets, its scores follow from those states
// and the weights; the rules whose condition is plain absence must fail.
TEST(DefaultScores, bare_records_score_from_their_states) {
    ASSERT_NE(default_rules(), nullptr);
    const std::map<Kind, std::vector<const char*>> must_fail = {
        {Kind::cv, {"cv.contact.reachable", "cv.postcode.valid", "cv.region.known", "cv.birth_year.plausible",
                    "cv.occupation.present", "cv.education.present", "cv.experience.present", "cv.skills.min",
                    "cv.summary.length", "cv.availability.present", "cv.travel.present", "cv.freshness"}},
        {Kind::vacancy, {"vacancy.registered_timely", "vacancy.status.known", "vacancy.description.length",
                         "vacancy.hours.valid", "vacancy.salary.present", "vacancy.education.known",
                         "vacancy.occupation.known", "vacancy.postcode.valid", "vacancy.employer.known"}},
        {Kind::employer, {"employer.postcode.valid", "employer.sector.known"}},
    };
    for (const auto& [kind, ids] : must_fail) {
        const Evaluation e = evaluate(kind, Json{{"id", "bare-1"}});
        for (const char* id : ids) {
            EXPECT_TRUE(fails(e, id));
        }
        EXPECT_NEAR(e.outcome().score, expected_score(e), 1e-9) << model::kind_name(kind);
        for (std::size_t d = 0; d < k_dimension_count; ++d) {
            const double want = expected_score(e, static_cast<int>(d));
            if (want < 0) {
                EXPECT_LT(e.outcome().dimension_scores[d], 0.0) << dimension_name(Dimension(d));
            } else {
                EXPECT_NEAR(e.outcome().dimension_scores[d], want, 1e-9) << dimension_name(Dimension(d));
            }
        }
        EXPECT_GE(e.outcome().score, 0.0);
        EXPECT_LT(e.outcome().score, 100.0);
        expect_failed_indices(e);
    }
}

TEST(DefaultScores, score_is_rounded_to_one_decimal) {
    ASSERT_NE(default_rules(), nullptr);
    Json cv = base_cv();
    cv["region"] = "AM99";
    const Evaluation e = evaluate(Kind::cv, cv);
    const double s = e.outcome().score;
    EXPECT_NEAR(s * 10.0, std::round(s * 10.0), 1e-6);
    for (double d : e.outcome().dimension_scores) {
        EXPECT_NEAR(d * 10.0, std::round(d * 10.0), 1e-6);
    }
}

// Completeness weights of a cv may sum to a power of two; a half at the
// second decimal must still give a one-decimal score consistent with the formula.
TEST(DefaultScores, dimension_scores_follow_the_formula_for_every_single_failure) {
    ASSERT_NE(default_rules(), nullptr);
    const std::pair<const char*, Json> mutations[] = {
        {"summary", "kort"}, {"skills", Json::array()}, {"hours_per_week", 0}, {"region", "AM04"},
        {"email", "a@b"}, {"updated_at", "2020-01-01T00:00:00Z"}, {"birth_year", 1900}};
    Json cv = base_cv();
    std::set<std::string> failed;
    const char* ids[] = {"cv.summary.length", "cv.skills.min", "cv.availability.present", "cv.region.known",
                         "cv.email.valid", "cv.freshness", "cv.birth_year.plausible"};
    for (std::size_t i = 0; i < std::size(mutations); ++i) {
        cv[mutations[i].first] = mutations[i].second;
        failed.insert(ids[i]);
        const Evaluation e = evaluate(Kind::cv, cv);
        EXPECT_EQ(e.failed_ids(), failed);
        expect_scores(e, expectation(Kind::cv, failed, {"cv.banenafspraak.complete"}));
    }
}

// Users re-weight and disable rules in the YAML without recompiling: a
// disabled rule is not applicable and counts for no score; weights are used.
TEST(DefaultScores, disabled_and_reweighted_rules_change_the_score) {
    ASSERT_NE(default_rules(), nullptr);
    spiegel::testing::TempDir dir;
    std::filesystem::copy(spiegel::testing::source_dir() + "/rules", dir.path() + "/rules",
                          std::filesystem::copy_options::recursive);
    const std::string cv_yaml = dir.path() + "/rules/cv.yaml";
    std::string text = spiegel::testing::read_text(cv_yaml);
    // Disable cv.phone.valid; give cv.email.valid weight 10.
    const std::regex phone_id(R"((\n([ \t]*)- id: cv\.phone\.valid[ \t]*\n))");
    ASSERT_TRUE(std::regex_search(text, phone_id)) << "rule files are expected to list `- id: ...` items";
    text = std::regex_replace(text, phone_id, "$1$2  enabled: false\n");
    const std::regex email_weight(R"((- id: cv\.email\.valid[\s\S]*?\n[ \t]*weight:)[ \t]*[0-9.]+)");
    ASSERT_TRUE(std::regex_search(text, email_weight));
    text = std::regex_replace(text, email_weight, "$1 10", std::regex_constants::format_first_only);
    spiegel::testing::write_file(cv_yaml, text);

    LoadResult loaded = load_rule_set(dir.path() + "/rules");
    for (const Diagnostic& d : loaded.diagnostics) {
        ADD_FAILURE() << d.to_string();
    }
    ASSERT_NE(loaded.rule_set, nullptr);
    const RuleSet& rs = *loaded.rule_set;
    ASSERT_NE(rs.find("cv.phone.valid"), nullptr);
    EXPECT_FALSE(rs.find("cv.phone.valid")->enabled);
    EXPECT_DOUBLE_EQ(rs.find("cv.email.valid")->weight, 10.0);
    EXPECT_EQ(rs.enabled_count(), default_rules()->enabled_count() - 1);

    Json cv = base_cv();
    cv["email"] = "a@@b.nl";
    cv["phone"] = "12";
    model::Arena arena;
    const model::Record rec = spiegel::testing::record(Kind::cv, cv.dump(), arena);
    CrossIndexBuilder builder(rs);
    const auto cross = builder.finish();
    Outcome outcome;
    rs.evaluate(rec, EvalContext{as_of(), cross.get()}, outcome);
    double total = 0;
    std::size_t phone = 0;
    std::size_t email = 0;
    const auto& rules = rs.rules(Kind::cv);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        phone = rules[i].id == "cv.phone.valid" ? i : phone;
        email = rules[i].id == "cv.email.valid" ? i : email;
        if (rules[i].enabled && rules[i].id != "cv.banenafspraak.complete") {
            total += rules[i].weight;
        }
    }
    ASSERT_EQ(outcome.states.size(), rules.size());
    EXPECT_EQ(outcome.states[phone], RuleState::not_applicable);
    EXPECT_EQ(outcome.states[email], RuleState::fail);
    EXPECT_EQ(outcome.failed, std::vector<std::uint16_t>{static_cast<std::uint16_t>(email)});
    EXPECT_NEAR(outcome.score, round1(100.0 * (total - 10.0) / total), 1e-9);
}

}  // namespace
}  // namespace spiegel::rules::acceptance
