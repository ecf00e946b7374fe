// Each check primitive of the rule language on passing and failing records.

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

using model::Kind;
using rules::RuleState;

TEST(RulePrimitives, present_passes_when_filled_and_fails_when_missing_null_empty_or_empty_array) {
    const auto set = compile(one_rule("cv", "{present: skills}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","skills":["a"]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","skills":null})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","skills":[]})"));
    const auto email = compile(one_rule("cv", "{present: email}"));
    EXPECT_FALSE(passes(*email, R"({"id":"c1","email":""})"));
}

TEST(RulePrimitives, missing_is_the_negation_of_present) {
    const auto set = compile(one_rule("cv", "{missing: email}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","email":""})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","email":"a@b.nl"})"));
}

TEST(RulePrimitives, matches_is_a_full_match_by_default_and_honours_trim_and_remove) {
    const auto full = compile(one_rule("cv", "{matches: {field: postcode, pattern: '[0-9]{4}'}}"));
    EXPECT_TRUE(passes(*full, R"({"id":"c1","postcode":"1234"})"));
    EXPECT_FALSE(passes(*full, R"({"id":"c1","postcode":"12345"})"));
    EXPECT_FALSE(passes(*full, R"({"id":"c1"})"));
    const auto trimmed = compile(one_rule("cv", "{matches: {field: postcode, pattern: '[0-9]{4}', trim: true}}"));
    EXPECT_TRUE(passes(*trimmed, R"({"id":"c1","postcode":" 1234 "})"));
    const auto removed = compile(one_rule("cv", "{matches: {field: phone, pattern: '0[0-9]{9}', remove: ' -'}}"));
    EXPECT_TRUE(passes(*removed, R"({"id":"c1","phone":"06 - 1234 5678"})"));
    const auto partial = compile(one_rule("cv", "{matches: {field: summary, pattern: 'x+', full: false}}"));
    EXPECT_TRUE(passes(*partial, R"({"id":"c1","summary":"abxc"})"));
}

TEST(RulePrimitives, if_missing_pass_makes_a_leaf_pass_on_missing_values) {
    const auto set = compile(one_rule("cv", "{matches: {field: email, pattern: 'x', if_missing: pass}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","email":"y"})"));
}

TEST(RulePrimitives, in_matches_inline_values_and_code_list_columns_exactly) {
    const auto inline_set = compile(one_rule("vacancy", "{in: {field: status, values: [open, geen]}}"));
    EXPECT_TRUE(passes(*inline_set, R"({"id":"v1","status":"open"})", Kind::vacancy));
    EXPECT_FALSE(passes(*inline_set, R"({"id":"v1","status":"Open"})", Kind::vacancy));
    const auto listed = compile(one_rule("vacancy", "{in: {field: occupation_code, list: codes/x.csv, where: {level: 4}}}"),
                                {{"codes/x.csv", "code,level\n12,2\n1234,4\n"}});
    EXPECT_TRUE(passes(*listed, R"({"id":"v1","occupation_code":"1234"})", Kind::vacancy));
    EXPECT_FALSE(passes(*listed, R"({"id":"v1","occupation_code":"12"})", Kind::vacancy));
    EXPECT_FALSE(passes(*listed, R"({"id":"v1","occupation_code":"1234 "})", Kind::vacancy));
}

TEST(RulePrimitives, contains_looks_for_an_exact_array_element) {
    const auto set = compile(one_rule("cv", "{contains: {field: target_groups, value: wajong}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","target_groups":["ww","wajong"]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","target_groups":["ww"]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1"})"));
}

TEST(RulePrimitives, numeric_range_is_inclusive_and_as_of_year_is_relative) {
    const auto set = compile(one_rule("cv", "{range: {field: birth_year, min: 1940, max: as_of_year - 15}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","birth_year":1940})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","birth_year":1939})"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","birth_year":2011})"));   // as-of 2026
    EXPECT_FALSE(passes(*set, R"({"id":"c1","birth_year":2012})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1"})"));
}

TEST(RulePrimitives, timestamp_range_supports_as_of_minus_days) {
    const auto set = compile(one_rule("cv", "{range: {field: updated_at, min: as_of - 180d}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","updated_at":"2026-04-04T12:00:00Z"})"));   // exactly 180 days
    EXPECT_FALSE(passes(*set, R"({"id":"c1","updated_at":"2026-04-04T11:59:59Z"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","updated_at":"not a time"})"));
}

TEST(RulePrimitives, date_range_against_the_as_of_date) {
    const auto set = compile(one_rule("vacancy", "{range: {field: closing_date, min: as_of}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"v1","closing_date":"2026-10-01"})", Kind::vacancy));
    EXPECT_FALSE(passes(*set, R"({"id":"v1","closing_date":"2026-09-30"})", Kind::vacancy));
}

TEST(RulePrimitives, compare_between_fields_with_offset_and_default) {
    const auto timely = compile(one_rule("vacancy",
                                         "{compare: {field: registered_at, op: '<=', other: received_at, offset: 24h}}"));
    EXPECT_TRUE(passes(*timely, R"({"id":"v","received_at":"2026-01-01T10:00:00Z","registered_at":"2026-01-02T10:00:00Z"})",
                       Kind::vacancy));
    EXPECT_FALSE(passes(*timely, R"({"id":"v","received_at":"2026-01-01T10:00:00Z","registered_at":"2026-01-02T10:00:01Z"})",
                        Kind::vacancy));
    EXPECT_FALSE(passes(*timely, R"({"id":"v","received_at":"2026-01-01T10:00:00Z"})", Kind::vacancy));
    const auto positions = compile(one_rule(
        "vacancy", "{compare: {field: positions, op: '<=', other: placements, offset: 1, other_default: 0}}"));
    EXPECT_TRUE(passes(*positions, R"({"id":"v","positions":1})", Kind::vacancy));
    EXPECT_FALSE(passes(*positions, R"({"id":"v","positions":2})", Kind::vacancy));
    EXPECT_TRUE(passes(*positions, R"({"id":"v","positions":3,"placements":2})", Kind::vacancy));
}

TEST(RulePrimitives, words_counts_unicode_words) {
    const auto set = compile(one_rule("cv", "{words: {field: summary, min: 3}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","summary":"één cliënt, blij"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","summary":"één cliënt"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1"})"));
    const auto most = compile(one_rule("cv", "{words: {field: summary, max: 2}}"));
    EXPECT_TRUE(passes(*most, R"({"id":"c1","summary":"a b"})"));
    EXPECT_FALSE(passes(*most, R"({"id":"c1","summary":"a b c"})"));
}

TEST(RulePrimitives, words_counts_decomposed_accents_as_part_of_the_word) {
    const auto set = compile(one_rule("cv", "{words: {field: summary, max: 2}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","summary":"e\u0301e\u0301n clie\u0308nt"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","summary":"e\u0301e\u0301n clie\u0308nt, blij"})"));
}

TEST(RulePrimitives, count_counts_non_empty_items) {
    const auto set = compile(one_rule("cv", "{count: {field: skills, min: 3}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c1","skills":["a","b","c"]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c1","skills":["a","b",""]})"));
    // default-rules.md: "Missing" means absent, null, "" or an empty array;
    // a skill of spaces is none of those (found by a black-box review).
    EXPECT_TRUE(passes(*set, R"({"id":"c1","skills":["a","b","  "]})"));
}

TEST(RulePrimitives, every_and_some_check_repeated_items) {
    const auto every = compile(one_rule("cv", "{every: {field: education, check: {present: level}}}"));
    EXPECT_TRUE(passes(*every, R"({"id":"c1"})"));
    EXPECT_TRUE(passes(*every, R"({"id":"c1","education":[{"level":"hbo"},{"level":"mbo2"}]})"));
    EXPECT_FALSE(passes(*every, R"({"id":"c1","education":[{"level":"hbo"},{"name":"x"}]})"));
    const auto some = compile(one_rule("cv", "{some: {field: education, check: {present: level}}}"));
    EXPECT_FALSE(passes(*some, R"({"id":"c1"})"));
    EXPECT_TRUE(passes(*some, R"({"id":"c1","education":[{"name":"x"},{"level":"hbo"}]})"));
    const auto self = compile(one_rule("cv", "{every: {field: skills, check: {words: {field: ., max: 3}}}}"));
    EXPECT_FALSE(passes(*self, R"({"id":"c1","skills":["a b c d"]})"));
}

TEST(RulePrimitives, month_comparison_inside_items) {
    const auto set = compile(one_rule(
        "cv", "{every: {field: experience, check: {all: [{range: {field: start, max: as_of}}, "
              "{compare: {field: end, op: '>=', other: start, if_missing: pass}}]}}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c","experience":[{"start":"2026-10"}]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","experience":[{"start":"2026-11"}]})"));
    EXPECT_TRUE(passes(*set, R"({"id":"c","experience":[{"start":"2020-05","end":"2020-05"}]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","experience":[{"start":"2020-05","end":"2020-04"}]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","experience":[{"start":"2020-13"}]})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","experience":[{"start":"2020-05","end":"2020-5"}]})"));
}

TEST(RulePrimitives, mentions_inline_phrases_are_whole_word_and_case_insensitive) {
    const auto set = compile(one_rule("vacancy", "{mentions: {fields: [title, description], phrases: [wajong]}}"));
    EXPECT_TRUE(passes(*set, R"({"id":"v","description":"Geschikt voor WAJONG."})", Kind::vacancy));
    EXPECT_FALSE(passes(*set, R"({"id":"v","description":"wajongers"})", Kind::vacancy));
    EXPECT_TRUE(passes(*set, R"({"id":"v","title":"Ｗａｊｏｎｇ"})", Kind::vacancy));
}

TEST(RulePrimitives, contains_bsn_applies_the_eleven_test_to_nine_digit_runs) {
    const auto set = compile(one_rule("cv", "{contains_bsn: summary}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c","summary":"mijn bsn is 111222333."})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","summary":"111222334"})"));       // fails the 11-test
    EXPECT_FALSE(passes(*set, R"({"id":"c","summary":"1112223330"})"));      // ten digits
    EXPECT_FALSE(passes(*set, R"({"id":"c","summary":"111.222.333"})"));     // not joined
    EXPECT_FALSE(passes(*set, R"({"id":"c","summary":"000000000"})"));
    EXPECT_TRUE(passes(*set, R"({"id":"c","summary":"nr123456782x"})"));
}

TEST(RulePrimitives, all_any_not_combine) {
    const auto set = compile(one_rule("cv", "{all: [{present: email}, {not: {any: [{present: phone}, {present: summary}]}}]}"));
    EXPECT_TRUE(passes(*set, R"({"id":"c","email":"e"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c","email":"e","phone":"p"})"));
    EXPECT_FALSE(passes(*set, R"({"id":"c"})"));
}

TEST(RuleConditions, when_false_makes_the_rule_not_applicable) {
    const auto set = compile(one_rule("cv", "{present: interests}", "{contains: {field: target_groups, value: banenafspraak}}"));
    EXPECT_EQ(evaluate(*set, Kind::cv, R"({"id":"c"})").states[0], RuleState::not_applicable);
    EXPECT_EQ(evaluate(*set, Kind::cv, R"({"id":"c","target_groups":["banenafspraak"]})").states[0], RuleState::fail);
    EXPECT_EQ(evaluate(*set, Kind::cv, R"({"id":"c","target_groups":["banenafspraak"],"interests":["zorg"]})").states[0],
              RuleState::pass);
}

TEST(RuleConditions, disabled_rules_are_not_applicable_and_not_counted) {
    const auto set = compile("kind: cv\nrules:\n  - {id: cv.a, title: A, dimension: validity, advice: A, enabled: false, "
                             "check: {present: email}}\n",
                             {{"vacancy.yaml", one_rule("vacancy", "{present: employer_id}")}});  // one enabled rule
    ASSERT_TRUE(set);
    const auto out = evaluate(*set, Kind::cv, R"({"id":"c"})");
    EXPECT_EQ(out.states[0], RuleState::not_applicable);
    EXPECT_EQ(set->enabled_count(), 1U);
    EXPECT_DOUBLE_EQ(out.score, 100.0);
}

}  // namespace
}  // namespace spiegel::testing
