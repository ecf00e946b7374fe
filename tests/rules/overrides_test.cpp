// `overrides:` re-weight, disable or re-word a rule from another file, so
// local changes survive upgrades of the shipped rule files.

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

using model::Kind;

TEST(RuleOverrides, reweight_and_disable_shipped_rules_from_a_local_file) {
    RuleDir dir;
    dir.file("cv.yaml", "kind: cv\nrules:\n"
                        "  - {id: cv.a, title: A, dimension: validity, advice: A, check: {present: email}}\n"
                        "  - {id: cv.b, title: B, dimension: validity, advice: B, check: {present: phone}}\n");
    dir.file("local.yaml", "overrides:\n"
                           "  - {id: cv.a, weight: 3, severity: error, advice: Nieuw}\n"
                           "  - {id: cv.b, enabled: false}\n");
    const auto result = dir.load();
    ASSERT_TRUE(result.rule_set) << (result.diagnostics.empty() ? "" : result.diagnostics[0].to_string());
    const auto& set = *result.rule_set;
    EXPECT_DOUBLE_EQ(set.find("cv.a")->weight, 3.0);
    EXPECT_EQ(set.find("cv.a")->severity, "error");
    EXPECT_EQ(set.find("cv.a")->advice, "Nieuw");
    EXPECT_FALSE(set.find("cv.b")->enabled);
    EXPECT_EQ(set.enabled_count(), 1U);
    EXPECT_DOUBLE_EQ(evaluate(set, Kind::cv, R"({"id":"c","email":"e"})").score, 100.0);
}

TEST(RuleOverrides, disabling_a_cross_rule_removes_its_inputs) {
    RuleDir dir;
    dir.file("vacancy.yaml", "kind: vacancy\nrules:\n"
                             "  - {id: vacancy.e, title: E, dimension: consistency, advice: E,\n"
                             "     check: {exists: {field: employer_id, kind: employer}}}\n"
                             "overrides:\n  - {id: vacancy.e, enabled: false}\n");
    dir.file("cv.yaml", one_rule("cv", "{present: email}"));  // a set needs an enabled rule
    const auto result = dir.load();
    ASSERT_TRUE(result.rule_set);
    EXPECT_TRUE(result.rule_set->cross_inputs().empty());
    EXPECT_FALSE(result.rule_set->has_cross_rules(Kind::vacancy));
}

TEST(RuleOverrides, unknown_id_and_unknown_keys_are_reported) {
    RuleDir dir;
    dir.file("rules.yaml", one_rule("cv", "{present: email}"));
    dir.file("x.yaml", "overrides:\n  - id: cv.nope\n    weight: 2\n  - id: cv.t\n    wieght: 2\n");
    const auto result = dir.load();
    EXPECT_EQ(result.rule_set, nullptr);
    std::vector<std::string> got;
    for (const auto& d : result.diagnostics) {
        got.push_back(d.file.substr(d.file.rfind('/') + 1) + ":" + std::to_string(d.line) + ":" +
                      std::to_string(d.column) + ": " + d.message.substr(0, 30));
    }
    EXPECT_EQ(got, (std::vector<std::string>{"x.yaml:5:5: override: unknown key 'wieght'",
                                             "x.yaml:2:9: override of unknown rule id 'c"}));
}

// Each mistake once: an override without an id is not also "of unknown
// rule id ''" (an empty id that is given still is).
// The problems of a good cv rule file plus x.yaml holding `x_yaml`, one
// per line as check prints them; `count` receives how many.
std::string problems_beside_a_good_file(const std::string& x_yaml, std::size_t& count) {
    RuleDir dir;
    dir.file("rules.yaml", one_rule("cv", "{present: email}"));
    dir.file("x.yaml", x_yaml);
    const auto result = dir.load();
    EXPECT_EQ(result.rule_set, nullptr);
    count = result.diagnostics.size();
    return messages(result.diagnostics);
}

TEST(RuleOverrides, an_override_without_an_id_is_reported_once) {
    std::size_t count = 0;
    const std::string text =
        problems_beside_a_good_file("overrides:\n  - {weight: 2}\n  - {id: '', weight: 2}\n", count);
    EXPECT_EQ(count, 2u) << text;
    EXPECT_NE(text.find("x.yaml:2:5: override: missing key 'id'"), std::string::npos) << text;
    EXPECT_NE(text.find("x.yaml:3:10: override of unknown rule id ''"), std::string::npos) << text;
}

// A misspelt kind does not hide the rest of the file's mistakes: the keys
// and meta data of its rules are still checked (their fields cannot be).
TEST(RuleFileKind, an_unknown_kind_still_has_its_rules_keys_checked) {
    std::size_t count = 0;
    const std::string text = problems_beside_a_good_file(
        "kind: cvv\nrules:\n  - id: cv.x\n    title: T\n    weight: 0\n    chek: {present: email}\n", count);
    for (const char* expected : {"x.yaml:1:7: kind: expected cv, vacancy or employer",
                                 "x.yaml:3:5: rule 'cv.x': missing key 'dimension'",
                                 "x.yaml:3:5: rule 'cv.x': missing key 'advice'",
                                 "x.yaml:3:5: rule 'cv.x': missing key 'check'", "x.yaml:5:13: weight: must be",
                                 "x.yaml:6:5: rule 'cv.x': unknown key 'chek'"}) {
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    }
    EXPECT_EQ(text.find("present"), std::string::npos) << "no field checks without a kind\n" << text;
}

}  // namespace
}  // namespace spiegel::testing
