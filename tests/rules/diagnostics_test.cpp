// Every kind of rule-file problem is reported at the right file, line and
// column, all problems are reported, and a broken set never loads partly.

#include <algorithm>

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

// A valid rule with `line` (already indented by 4) inserted after the title.
std::string rule_with(const std::string& extra, const std::string& check = "{present: email}") {
    return "kind: cv\n"                 // 1
           "rules:\n"                   // 2
           "  - id: cv.t\n"             // 3
           "    title: T\n"             // 4
           "    dimension: validity\n"  // 5
           "    advice: A\n"            // 6
           + extra +                    // 7
           "    check: " + check + "\n";
}

::testing::AssertionResult has_problem(const std::vector<rules::Diagnostic>& diags, int line, int column,
                                       const std::string& text) {
    std::string all;
    for (const auto& d : diags) {
        if (d.line == line && d.column == column && d.message.find(text) != std::string::npos &&
            d.file.size() >= 10 && d.file.substr(d.file.size() - 10) == "rules.yaml") {
            return ::testing::AssertionSuccess();
        }
        all += "\n  " + d.to_string();
    }
    return ::testing::AssertionFailure() << "no problem at " << line << ":" << column << " containing '" << text
                                         << "'; got:" << all;
}

TEST(RuleDiagnostics, yaml_syntax_error_is_reported_with_position) {
    const auto diags = problems("kind: cv\nrules:\n  - id: cv.t\n    title: [unclosed\n");
    ASSERT_EQ(diags.size(), 1U);
    EXPECT_NE(diags[0].message.find("YAML syntax error"), std::string::npos);
    EXPECT_GE(diags[0].line, 4);
    EXPECT_NE(diags[0].to_string().find("rules.yaml:"), std::string::npos);
}

TEST(RuleDiagnostics, unknown_key_in_a_rule_is_an_error_not_ignored) {
    EXPECT_TRUE(has_problem(problems(rule_with("    wieght: 2\n")), 7, 5, "unknown key 'wieght'"));
}

TEST(RuleDiagnostics, unknown_key_inside_a_check_is_an_error) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{words: {field: summary, minimum: 3}}")), 7, 37,
                            "unknown key 'minimum'"));
}

TEST(RuleDiagnostics, wrong_type_is_reported_at_the_value) {
    EXPECT_TRUE(has_problem(problems(rule_with("    weight: heavy\n")), 7, 13, "expected a number"));
    EXPECT_TRUE(has_problem(problems(rule_with("    enabled: maybe\n")), 7, 14, "expected true or false"));
}

TEST(RuleDiagnostics, unknown_check_name_is_reported_at_the_name) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{presentt: email}")), 7, 13, "unknown check 'presentt'"));
}

TEST(RuleDiagnostics, invalid_regex_is_reported_at_the_pattern) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{matches: {field: email, pattern: '[a-'}}")), 7, 46,
                            "invalid regular expression"));
}

TEST(RuleDiagnostics, missing_code_list_file_is_reported_at_the_path) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{in: {field: region, list: codes/nope.csv}}")), 7, 39,
                            "code list 'codes/nope.csv' not found"));
}

TEST(RuleDiagnostics, data_files_outside_the_rules_directory_are_refused) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{in: {field: region, list: ../x.csv}}")), 7, 39,
                            "expected a path relative to the rules directory"));
    EXPECT_TRUE(has_problem(problems(rule_with("", "{in: {field: region, list: /etc/passwd}}")), 7, 39,
                            "expected a path relative to the rules directory"));
}

TEST(RuleDiagnostics, duplicate_rule_id_is_reported_at_the_second_id) {
    const std::string yaml = rule_with("") +
                             "  - id: cv.t\n"  // 8
                             "    title: T\n    dimension: validity\n    advice: A\n    check: {present: phone}\n";
    EXPECT_TRUE(has_problem(problems(yaml), 8, 9, "duplicate rule id 'cv.t'"));
}

TEST(RuleDiagnostics, unknown_field_for_the_kind_is_reported) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{present: emial}")), 7, 22, "unknown field 'emial' for kind cv"));
    EXPECT_TRUE(has_problem(problems(rule_with("", "{every: {field: education, check: {present: levl}}}")), 7, 56,
                            "unknown field 'levl' for items of 'education'"));
}

TEST(RuleDiagnostics, missing_required_key_is_reported_at_the_rule) {
    const auto diags = problems("kind: cv\nrules:\n  - id: cv.t\n    title: T\n    advice: A\n    check: {present: email}\n");
    EXPECT_TRUE(has_problem(diags, 3, 5, "missing key 'dimension'"));
}

TEST(RuleDiagnostics, bad_enum_values_are_reported) {
    EXPECT_TRUE(has_problem(problems(rule_with("    severity: fatal\n")), 7, 15, "severity"));
    const auto diags = problems("kind: cvs\nrules: []\n");
    EXPECT_TRUE(has_problem(diags, 1, 7, "kind"));
}

TEST(RuleDiagnostics, every_problem_is_reported_not_just_the_first) {
    const auto diags = problems(rule_with("    wieght: 2\n    severity: fatal\n", "{present: emial}"));
    EXPECT_EQ(diags.size(), 3U);
}

TEST(RuleDiagnostics, a_broken_file_never_yields_a_partial_rule_set) {
    RuleDir dir;
    dir.file("a.yaml", one_rule("cv", "{present: email}", "", "cv.good"));
    dir.file("b.yaml", one_rule("vacancy", "{present: nope}", "", "vacancy.bad"));
    const auto result = dir.load();
    EXPECT_EQ(result.rule_set, nullptr);
    ASSERT_EQ(result.diagnostics.size(), 1U);
    EXPECT_NE(result.diagnostics[0].file.find("b.yaml"), std::string::npos);
}

TEST(RuleDiagnostics, problems_in_a_lexicon_file_name_the_lexicon_file_and_line) {
    RuleDir dir;
    dir.file("rules.yaml", one_rule("vacancy", "{mentions: {fields: [title], lexicon: lex.yaml}}"));
    dir.file("lex.yaml", "phrases:\n  - goed\n  - phrase: \"{open\"\n");
    const auto result = dir.load();
    EXPECT_EQ(result.rule_set, nullptr);
    bool found = false;
    for (const auto& d : result.diagnostics) {
        found = found || (d.file.find("lex.yaml") != std::string::npos && d.line == 3 &&
                          d.message.find("unterminated") != std::string::npos);
    }
    EXPECT_TRUE(found);
}

TEST(RuleDiagnostics, compare_of_incompatible_fields_is_rejected) {
    EXPECT_TRUE(has_problem(problems(rule_with("", "{compare: {field: birth_year, op: '<', other: updated_at}}")), 7,
                            58, "not comparable"));
}

// Titles and advice are shown to people on pages and in JSON: text, not
// bytes (a double-quoted "\xff" or "\a" escape), and never empty.
TEST(RuleDiagnostics, a_title_or_advice_that_is_no_text_or_empty_is_refused) {
    std::string bytes = rule_with("", "{present: email}");
    bytes.replace(bytes.find("title: T"), 8, "title: Bij\xffgewerkt");  // a raw byte that is no UTF-8
    const std::string invalid = messages(problems(bytes));
    EXPECT_NE(invalid.find("title: not valid UTF-8 text"), std::string::npos) << invalid;
    const std::string bell = "kind: cv\nrules:\n  - id: cv.t\n    title: \"Cv\\a\"\n    dimension: validity\n"
                             "    advice: \"  \"\n    check: {present: email}\n";
    const std::string both = messages(problems(bell));
    EXPECT_NE(both.find("title: contains a control character"), std::string::npos) << both;
    EXPECT_NE(both.find("advice: must not be empty"), std::string::npos) << both;
}

// Checks that could never pass, or that would silently mean something else,
// are refused by check rather than left to judge every record.
TEST(RuleDiagnostics, checks_that_cannot_mean_what_they_say_are_refused) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{range: {field: birth_year, min: 2000, max: 1900}}", "max is below min"},
        {"{range: {field: updated_at, min: as_of - 10d, max: as_of - 30d}}", "max is below min"},
        {"{words: {field: summary, min: 10, max: 2}}", "max is below min"},
        {"{words: {field: summary, min: -1}}", "must not be negative"},
        {"{in: {field: region, values: []}}", "values: must not be empty"},
        {"{contains: {field: postcode, value: AB}}", "an array of strings"},
    };
    for (const auto& [check, reason] : cases) {
        const std::string found = messages(problems(rule_with("", check)));
        EXPECT_NE(found.find(reason), std::string::npos) << check << ":\n" << found;
    }
    // A relative and a literal bound cannot be compared at load.
    EXPECT_NE(compile(rule_with("", "{range: {field: updated_at, min: as_of - 30d, max: 2030-01-01T00:00:00Z}}")),
              nullptr);
}

// docs/rules.md: `where` cannot use the as-of instant (the cross-record
// index is built once per scan, without one); unique orders by a timestamp.
TEST(RuleDiagnostics, where_with_the_as_of_and_unique_ordered_by_text_are_refused) {
    const std::string where =
        "kind: vacancy\nrules:\n  - id: vacancy.t\n    title: T\n    dimension: validity\n    advice: A\n"
        "    check:\n      exists: {field: employer_id, kind: employer, "
        "where: {range: {field: last_contact_at, min: as_of - 30d}}}\n";
    const std::string w = messages(problems(where));
    EXPECT_NE(w.find("rules.yaml:8:"), std::string::npos) << w;
    EXPECT_NE(w.find("cannot use the as-of instant"), std::string::npos) << w;
    const std::string unique =
        "kind: employer\nrules:\n  - id: employer.t\n    title: T\n    dimension: uniqueness\n    advice: A\n"
        "    check:\n      unique: {key: [{field: name}], order_by: name}\n";
    const std::string u = messages(problems(unique));
    EXPECT_NE(u.find("order_by: needs a timestamp field"), std::string::npos) << u;
}

TEST(RuleDiagnostics, an_empty_or_comment_only_file_defines_nothing) {
    RuleDir dir;
    dir.file("empty.yaml", "# nothing yet\n");
    dir.file("rules.yaml", one_rule("cv", "{present: email}"));
    const auto result = dir.load();
    ASSERT_TRUE(result.rule_set);
    EXPECT_EQ(result.rule_set->enabled_count(), 1U);
}

TEST(RuleDiagnostics, a_top_level_list_is_not_a_rule_file) {
    const auto diags = problems("- id: cv.x\n");
    ASSERT_EQ(diags.size(), 1U);
    EXPECT_EQ(diags[0].line, 1);
    EXPECT_NE(diags[0].message.find("expected a mapping"), std::string::npos);
}

TEST(RuleDiagnostics, a_wrongly_typed_field_is_reported_once) {
    const auto diags = problems(rule_with("", "{compare: {field: email, op: '<', other: phone, offset: 1}}"));
    ASSERT_EQ(diags.size(), 1U) << diags[0].to_string();
    EXPECT_TRUE(has_problem(diags, 7, 30, "'compare' needs a number, date, month or timestamp field"));
}

TEST(RuleDiagnostics, names_from_the_file_are_echoed_escaped_on_one_line) {
    const auto diags = problems("kind: cv\nrules:\n  - id: \"cv.t\\nforged: 1\"\n    title: T\n"
                                "    dimension: validity\n    advice: A\n    \"wie\\eght\": 2\n"
                                "    check: {present: \"em\\x9Bail\"}\n");
    const std::string all = messages(diags);
    EXPECT_NE(all.find("id 'cv.t\\nforged: 1': expected dotted words"), std::string::npos) << all;
    EXPECT_NE(all.find("unknown key 'wie\\x1bght'"), std::string::npos) << all;
    EXPECT_NE(all.find("unknown field 'em\\u009bail' for kind cv"), std::string::npos) << all;
    EXPECT_EQ(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')), diags.size()) << all;
}

TEST(RuleDiagnostics, a_missing_rules_directory_is_a_problem) {
    const auto result = rules::load_rule_set("/nonexistent/spiegel-rules");
    EXPECT_EQ(result.rule_set, nullptr);
    ASSERT_EQ(result.diagnostics.size(), 1U);
}

}  // namespace
}  // namespace spiegel::testing
