// Acceptance tests of the shipped default rule set: the catalogue of rule
// ids, the perfect base records and the score formula.

#include <map>

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
            const bool has = std::any_of(std::begin(k_catalogue), std::end(k_catalogue), [&](const Expected& x) {
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

}  // namespace
}  // namespace spiegel::rules::acceptance
