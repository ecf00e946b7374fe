#pragma once
// Helpers for rule tests written in the input language: a test is a few YAML
// rules (plus code-list or lexicon files) and JSON records.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "daemon/rules/lexicon.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {

inline constexpr const char* k_as_of = "2026-10-01T12:00:00Z";

inline std::int64_t as_of_seconds(const char* text = k_as_of) { return *util::parse_timestamp(text); }

// A rules directory in a temp dir: cv.yaml (or another file) plus extra files.
class RuleDir {
public:
    RuleDir& file(const std::string& name, const std::string& content) {
        write_file(m_dir.file("rules/" + name), content);
        return *this;
    }
    std::string path() const { return m_dir.file("rules"); }
    rules::LoadResult load() const { return rules::load_rule_set(path()); }

private:
    TempDir m_dir;
};

// The shipped discrimination lexicon (rules/lexicons/discrimination.yaml),
// loaded once; fails the test on diagnostics.
inline const rules::Lexicon& shipped() {
    static const auto lex = [] {
        std::vector<rules::Diagnostic> diags;
        auto l = rules::load_lexicon_file(source_dir() + "/rules/lexicons/discrimination.yaml", diags);
        for (const auto& d : diags) {
            ADD_FAILURE() << d.to_string();
        }
        return l;
    }();
    return *lex;
}

// Loads `yaml` as the only rule file (rules.yaml); fails the test on diagnostics.
inline std::unique_ptr<rules::RuleSet> compile(const std::string& yaml,
                                               const std::map<std::string, std::string>& extra = {}) {
    RuleDir dir;
    dir.file("rules.yaml", yaml);
    for (const auto& [name, content] : extra) {
        dir.file(name, content);
    }
    auto result = dir.load();
    for (const auto& d : result.diagnostics) {
        ADD_FAILURE() << d.to_string();
    }
    return std::move(result.rule_set);
}

// Diagnostics of loading `yaml` as rules.yaml (expected to be non-empty).
inline std::vector<rules::Diagnostic> problems(const std::string& yaml,
                                               const std::map<std::string, std::string>& extra = {}) {
    RuleDir dir;
    dir.file("rules.yaml", yaml);
    for (const auto& [name, content] : extra) {
        dir.file(name, content);
    }
    auto result = dir.load();
    EXPECT_EQ(result.rule_set, nullptr) << "a broken rule set must not load";
    return result.diagnostics;
}

// The problems as check prints them, one per line (for EXPECT_NE(find)).
inline std::string messages(const std::vector<rules::Diagnostic>& diags) {
    std::string out;
    for (const auto& d : diags) {
        out += d.to_string() + "\n";
    }
    return out;
}

// One cv rule with the given check (and optional when), as YAML text.
inline std::string one_rule(const std::string& kind, const std::string& check, const std::string& when = "",
                            const std::string& id = "") {
    std::string yaml = "kind: " + kind + "\nrules:\n  - id: " + (id.empty() ? kind + ".t" : id) +
                       "\n    title: T\n    dimension: validity\n    advice: A\n";
    if (!when.empty()) {
        yaml += "    when: " + when + "\n";
    }
    return yaml + "    check: " + check + "\n";
}

// Evaluates every rule on a record given as JSON and returns the outcome.
inline rules::Outcome evaluate(const rules::RuleSet& set, model::Kind kind, const std::string& json,
                               const rules::CrossIndex* cross = nullptr, const char* as_of = k_as_of) {
    model::Arena arena;
    const auto rec = record(kind, json, arena);
    rules::Outcome out;
    set.evaluate(rec, rules::EvalContext{as_of_seconds(as_of), cross}, out);
    return out;
}

// State of the rule `id` on a record given as JSON.
inline rules::RuleState state(const rules::RuleSet& set, const std::string& id, model::Kind kind,
                              const std::string& json, const rules::CrossIndex* cross = nullptr,
                              const char* as_of = k_as_of) {
    const auto out = evaluate(set, kind, json, cross, as_of);
    const auto& list = set.rules(kind);
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].id == id) {
            return out.states[i];
        }
    }
    ADD_FAILURE() << "no rule " << id;
    return rules::RuleState::not_applicable;
}

inline bool passes(const rules::RuleSet& set, const std::string& json, model::Kind kind = model::Kind::cv) {
    return evaluate(set, kind, json).states.at(0) == rules::RuleState::pass;
}

}  // namespace spiegel::testing
