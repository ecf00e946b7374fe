// Cross-record primitives through CrossIndexBuilder, field-usage queries,
// weights and scores, and unreadable fields.

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

using model::Kind;
using rules::RuleState;

const std::string k_cross_rules =
    "kind: vacancy\nrules:\n"
    "  - id: vacancy.emp\n    title: T\n    dimension: consistency\n    advice: A\n"
    "    check: {exists: {field: employer_id, kind: employer, where: {not: {in: {field: status, values: [gestaakt]}}}}}\n";
const std::string k_employer_rules =
    "kind: employer\nrules:\n"
    "  - id: employer.open\n    title: T\n    dimension: consistency\n    advice: A\n"
    "    check: {referenced_by: {kind: vacancy, field: employer_id, where: {in: {field: status, values: [open]}}}}\n"
    "  - id: employer.dup\n    title: T\n    dimension: uniqueness\n    advice: A\n"
    "    check:\n      unique:\n        key:\n          - {field: name, normalise: [lower, {remove_tokens: [b.v., bv]}, letters_digits]}\n"
    "          - {field: postcode, normalise: [digits, {first: 4}]}\n        keep: earliest\n        order_by: created_at\n";

struct World {
    std::unique_ptr<rules::RuleSet> set;
    model::Arena arena;
    std::vector<model::Record> records;
    std::unique_ptr<rules::CrossIndex> index;

    World() {
        RuleDir dir;
        dir.file("vacancy.yaml", k_cross_rules).file("employer.yaml", k_employer_rules);
        auto result = dir.load();
        for (const auto& d : result.diagnostics) {
            ADD_FAILURE() << d.to_string();
        }
        set = std::move(result.rule_set);
    }
    void add(Kind kind, const std::string& json) { records.push_back(record(kind, json, arena)); }
    void build() {
        rules::CrossIndexBuilder builder(*set);
        for (const auto& r : records) {
            builder.add(r);
        }
        index = builder.finish();
    }
    RuleState state(Kind kind, const std::string& json, std::size_t rule = 0) {
        return testing::evaluate(*set, kind, json, index.get()).states.at(rule);
    }
};

TEST(CrossRules, exists_requires_a_referenced_record_passing_its_condition) {
    World w;
    w.add(Kind::employer, R"({"id":"e1","status":"actief"})");
    w.add(Kind::employer, R"({"id":"e2","status":"gestaakt"})");
    w.build();
    EXPECT_EQ(w.state(Kind::vacancy, R"({"id":"v","employer_id":"e1"})"), RuleState::pass);
    EXPECT_EQ(w.state(Kind::vacancy, R"({"id":"v","employer_id":"e2"})"), RuleState::fail);
    EXPECT_EQ(w.state(Kind::vacancy, R"({"id":"v","employer_id":"e3"})"), RuleState::fail);
    EXPECT_EQ(w.state(Kind::vacancy, R"({"id":"v"})"), RuleState::fail);
}

TEST(CrossRules, referenced_by_finds_referring_records_passing_their_condition) {
    World w;
    w.add(Kind::vacancy, R"({"id":"v1","employer_id":"e1","status":"open"})");
    w.add(Kind::vacancy, R"({"id":"v2","employer_id":"e2","status":"geen"})");
    w.build();
    EXPECT_EQ(w.state(Kind::employer, R"({"id":"e1"})"), RuleState::pass);
    EXPECT_EQ(w.state(Kind::employer, R"({"id":"e2"})"), RuleState::fail);
}

TEST(CrossRules, unique_fails_every_group_member_except_the_earliest_ties_by_smallest_id) {
    World w;
    const std::string a = R"({"id":"b","name":"Albert Heijn B.V.","postcode":"1234 AB","created_at":"2020-01-01T00:00:00Z"})";
    const std::string b = R"({"id":"a","name":"albert-heijn","postcode":"1234XY","created_at":"2020-01-01T00:00:00Z"})";
    const std::string c = R"({"id":"0","name":"AlbertHeijn","postcode":"1234 AB","created_at":"2021-01-01T00:00:00Z"})";
    const std::string other = R"({"id":"z","name":"AlbertHeijn","postcode":"1235 AB","created_at":"2019-01-01T00:00:00Z"})";
    for (const auto& j : {a, b, c, other}) {
        w.add(Kind::employer, j);
    }
    w.build();
    EXPECT_EQ(w.state(Kind::employer, a, 1), RuleState::fail);
    EXPECT_EQ(w.state(Kind::employer, b, 1), RuleState::pass);  // same time, smallest id
    EXPECT_EQ(w.state(Kind::employer, c, 1), RuleState::fail);
    EXPECT_EQ(w.state(Kind::employer, other, 1), RuleState::pass);
}

TEST(CrossRules, legal_form_tokens_match_with_or_without_dots_and_only_as_whole_tokens) {
    World w;
    const std::string a = R"({"id":"a","name":"Jansen Bouw BV.","postcode":"2511CV","created_at":"2020-01-01T00:00:00Z"})";
    const std::string b = R"({"id":"b","name":"jansen (b.v) bouw","postcode":"2511 XX","created_at":"2021-01-01T00:00:00Z"})";
    const std::string c = R"({"id":"c","name":"Jansen Bouwbv","postcode":"2511CV","created_at":"2022-01-01T00:00:00Z"})";
    const std::string d = R"({"id":"d","name":"B.V.","postcode":"2511CV","created_at":"2022-01-01T00:00:00Z"})";
    const std::string e = R"({"id":"e","name":"BV","postcode":"2511CV","created_at":"2023-01-01T00:00:00Z"})";
    for (const auto& j : {a, b, c, d, e}) {
        w.add(Kind::employer, j);
    }
    w.build();
    EXPECT_EQ(w.state(Kind::employer, a, 1), RuleState::pass);
    EXPECT_EQ(w.state(Kind::employer, b, 1), RuleState::fail);
    EXPECT_EQ(w.state(Kind::employer, c, 1), RuleState::pass);
    EXPECT_EQ(w.state(Kind::employer, e, 1), RuleState::pass);  // nothing left of the name: no key
}

TEST(CrossRules, usage_queries_name_the_inputs_and_fields) {
    World w;
    const auto inputs = w.set->cross_inputs();
    EXPECT_EQ(inputs, (std::vector<Kind>{Kind::vacancy, Kind::employer}));
    const auto& emp = model::schema_for(Kind::employer);
    const auto fields = w.set->cross_fields(Kind::employer);
    EXPECT_TRUE(fields[*emp.slot("id")]);
    EXPECT_TRUE(fields[*emp.slot("status")]);
    EXPECT_TRUE(fields[*emp.slot("name")]);
    EXPECT_FALSE(fields[*emp.slot("sector")]);
    const auto used = w.set->used_fields(Kind::vacancy);
    EXPECT_TRUE(used[*model::schema_for(Kind::vacancy).slot("employer_id")]);
    EXPECT_FALSE(used[*model::schema_for(Kind::vacancy).slot("title")]);
    EXPECT_TRUE(w.set->has_cross_rules(Kind::vacancy));
    EXPECT_FALSE(w.set->has_cross_rules(Kind::cv));
    EXPECT_EQ(w.set->find("employer.dup")->fields, (std::vector<std::string>{"name", "created_at", "postcode"}));
}

const std::string k_scored =
    "kind: cv\nrules:\n"
    "  - {id: cv.a, title: A, dimension: completeness, weight: 3, advice: A, check: {present: email}}\n"
    "  - {id: cv.b, title: B, dimension: completeness, weight: 1, advice: B, check: {present: phone}}\n"
    "  - {id: cv.c, title: C, dimension: validity, weight: 2, advice: C, check: {present: summary}}\n"
    "  - {id: cv.d, title: D, dimension: privacy, weight: 5, advice: D, check: {present: region},\n"
    "     when: {present: postcode}}\n";

TEST(RuleScores, score_is_passed_weight_over_applicable_weight_rounded_to_one_decimal) {
    const auto set = compile(k_scored);
    const auto out = evaluate(*set, Kind::cv, R"({"id":"c","email":"e","summary":"s"})");
    EXPECT_DOUBLE_EQ(out.score, 83.3);  // 5 of 6; cv.d not applicable
    EXPECT_EQ(out.failed, (std::vector<std::uint16_t>{1}));
    EXPECT_DOUBLE_EQ(out.dimension_scores[static_cast<std::size_t>(rules::Dimension::completeness)], 75.0);
    EXPECT_DOUBLE_EQ(out.dimension_scores[static_cast<std::size_t>(rules::Dimension::validity)], 100.0);
    EXPECT_LT(out.dimension_scores[static_cast<std::size_t>(rules::Dimension::privacy)], 0.0);
    EXPECT_LT(out.dimension_scores[static_cast<std::size_t>(rules::Dimension::timeliness)], 0.0);
}

TEST(RuleScores, applicable_conditional_rules_count_with_their_weight) {
    const auto set = compile(k_scored);
    const auto out = evaluate(*set, Kind::cv, R"({"id":"c","postcode":"1234AB"})");
    EXPECT_DOUBLE_EQ(out.score, 0.0);
    EXPECT_EQ(out.failed.size(), 4U);
}

TEST(RuleScores, no_applicable_rule_scores_100) {
    const auto set = compile("kind: cv\nrules:\n  - {id: cv.a, title: A, dimension: validity, advice: A, "
                             "when: {present: email}, check: {present: phone}}\n");
    EXPECT_DOUBLE_EQ(evaluate(*set, Kind::cv, R"({"id":"c"})").score, 100.0);
}

TEST(UnreadableFields, fail_the_rules_that_read_them_and_mark_the_outcome) {
    const auto set = compile(k_scored);
    model::Arena arena;
    auto rec = record(Kind::cv, R"({"id":"c","email":"e","phone":"p","summary":"s"})", arena);
    const model::FieldIssue issue{static_cast<std::uint16_t>(*model::schema_for(Kind::cv).slot("summary")), "bad"};
    rec.issues = std::span<const model::FieldIssue>(&issue, 1);
    rules::Outcome out;
    set->evaluate(rec, rules::EvalContext{as_of_seconds(), nullptr}, out);
    EXPECT_TRUE(out.unreadable);
    EXPECT_EQ(out.states[0], RuleState::pass);
    EXPECT_EQ(out.states[2], RuleState::fail);
    const model::FieldIssue other{static_cast<std::uint16_t>(*model::schema_for(Kind::cv).slot("skills")), "bad"};
    rec.issues = std::span<const model::FieldIssue>(&other, 1);
    set->evaluate(rec, rules::EvalContext{as_of_seconds(), nullptr}, out);
    EXPECT_FALSE(out.unreadable);
    EXPECT_DOUBLE_EQ(out.score, 100.0);
}

TEST(RuleSetQueries, rules_keep_file_order_and_metadata) {
    const auto set = compile(k_scored);
    const auto& list = set->rules(Kind::cv);
    ASSERT_EQ(list.size(), 4U);
    EXPECT_EQ(list[0].id, "cv.a");
    EXPECT_DOUBLE_EQ(list[0].weight, 3.0);
    EXPECT_EQ(list[0].severity, "warning");
    EXPECT_EQ(list[3].fields, (std::vector<std::string>{"postcode", "region"}));
    EXPECT_EQ(list[1].line, 4);
    EXPECT_EQ(set->find("cv.zzz"), nullptr);
}

}  // namespace
}  // namespace spiegel::testing
