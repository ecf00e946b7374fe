#pragma once
// Acceptance-test helpers for the shipped default rule set (rules/*.yaml),
// written from the default-rules contract alone: load the set once per
// binary, build records from JSON, stream cross inputs, evaluate at a fixed
// as-of instant and assert on rule states by id. Not thread-safe.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::rules::acceptance {

using Json = nlohmann::ordered_json;
using model::Kind;

inline constexpr std::string_view k_as_of_text = "2026-11-01T12:00:00Z";

inline std::int64_t ts(std::string_view text) {
    const auto t = util::parse_timestamp(text);
    EXPECT_TRUE(t.has_value()) << "bad test timestamp " << text;
    return t.value_or(0);
}
inline std::int64_t as_of() { return ts(k_as_of_text); }
inline std::string iso(std::int64_t seconds) { return util::format_timestamp(seconds); }

// The shipped rule set, loaded once; null (with the diagnostics recorded)
// when it does not load.
struct Loaded {
    std::unique_ptr<RuleSet> rule_set;
    std::vector<Diagnostic> diagnostics;
};
inline const Loaded& loaded_default_rules() {
    static const Loaded loaded = [] {
        LoadResult result = load_rule_set(spiegel::testing::source_dir() + "/rules");
        return Loaded{std::move(result.rule_set), std::move(result.diagnostics)};
    }();
    return loaded;
}
inline const RuleSet* default_rules() { return loaded_default_rules().rule_set.get(); }

// n words from a neutral Dutch vocabulary (no lexicon words, no digits).
inline std::string words(std::size_t n, std::string_view separator = " ") {
    static constexpr std::string_view k_vocabulary[] = {
        "wij",     "zoeken", "een",      "collega", "voor",  "ons",      "bedrijf", "in",
        "Den",     "Haag",   "die",      "graag",   "werkt", "aan",      "mooie",   "projecten",
        "samen",   "met",    "klanten",  "uit",     "de",    "regio",    "goede",   "sfeer"};
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) {
            out += separator;
        }
        out += k_vocabulary[i % std::size(k_vocabulary)];
    }
    return out;
}

// Complete records that pass every default rule at as_of().
inline Json base_cv() {
    Json j = Json::parse(R"({
      "id": "cv-base", "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-10-20T09:00:00Z",
      "birth_year": 1990, "postcode": "2511 AB", "municipality": "Den Haag", "region": "AM21",
      "target_groups": ["ww"], "email": "j.jansen@example.nl", "phone": "06-12345678",
      "desired_occupations": [{"code": "2512", "title": "Softwareontwikkelaar"}],
      "education": [{"level": "hbo", "name": "HBO-ICT", "diploma": true, "year_end": 2012}],
      "experience": [
        {"occupation_code": "2512", "title": "Ontwikkelaar", "employer": "Voorbeeld",
         "start": "2015-03", "end": "2020-06",
         "description": "Ontwikkelde en onderhield webapplicaties voor klanten in de zorg."},
        {"occupation_code": "2512", "title": "Senior ontwikkelaar", "employer": "Ander",
         "start": "2020-07",
         "description": "Leidt een team van vijf ontwikkelaars bij een gemeente."}],
      "skills": ["Java", "SQL", "Scrum"], "languages": [{"code": "nld", "level": "C2"}],
      "driving_licences": ["B"], "interests": ["ict"], "hours_per_week": 36, "hours_per_day": 8,
      "max_travel_minutes": 45, "max_travel_km": 30, "visible": true})");
    j["summary"] = words(30);
    return j;
}

inline Json base_vacancy() {
    Json j = Json::parse(R"({
      "id": "vac-base", "employer_id": "emp-base", "received_at": "2026-10-01T08:00:00Z",
      "registered_at": "2026-10-01T15:00:00Z", "updated_at": "2026-10-02T09:00:00Z",
      "closing_date": "2026-12-31", "status": "open", "title": "Softwareontwikkelaar Java",
      "occupation_code": "2512", "education_level": "hbo", "hours_per_week_min": 32,
      "hours_per_week_max": 40, "contract": "vast", "salary_min": 3500, "salary_max": 5000,
      "postcode": "2511 CV", "municipality": "Den Haag", "region": "AM21", "positions": 1,
      "placements": 0, "target_groups": [], "skills": ["Java"], "driving_licences": [],
      "contact_email": "werving@example.nl", "contact_phone": "070-1234567"})");
    j["description"] = words(60);
    return j;
}

inline Json base_employer() {
    return Json::parse(R"({
      "id": "emp-base", "name": "Voorbeeld Techniek B.V.", "created_at": "2015-01-01T00:00:00Z",
      "postcode": "2511 AB", "municipality": "Den Haag", "region": "AM21", "sector": "ict",
      "employees": 120, "status": "actief", "last_contact_at": "2026-09-01T10:00:00Z",
      "account_holder": "UWV"})");
}

struct Input {
    Kind kind;
    Json json;
};

// One evaluated record: its outcome and the rules of its kind.
class Evaluation {
public:
    Evaluation(Kind kind, Outcome outcome) : m_kind(kind), m_outcome(std::move(outcome)) {}
    const Outcome& outcome() const { return m_outcome; }
    Kind kind() const { return m_kind; }
    const std::vector<RuleInfo>& rules() const {
        static const std::vector<RuleInfo> k_none;
        return default_rules() != nullptr ? default_rules()->rules(m_kind) : k_none;
    }

    std::size_t index_of(std::string_view id) const {
        const auto& r = rules();
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (r[i].id == id) {
                return i;
            }
        }
        ADD_FAILURE() << "no rule " << id << " of kind " << model::kind_name(m_kind);
        return r.size();
    }
    // The state of rule `id`; not_applicable (and a test failure) when unknown.
    RuleState state(std::string_view id) const {
        const std::size_t i = index_of(id);
        if (i >= m_outcome.states.size()) {
            ADD_FAILURE() << "outcome has no state for " << id;
            return RuleState::not_applicable;
        }
        return m_outcome.states[i];
    }
    std::set<std::string> failed_ids() const {
        std::set<std::string> out;
        const auto& r = rules();
        for (std::size_t i = 0; i < m_outcome.states.size() && i < r.size(); ++i) {
            if (m_outcome.states[i] == RuleState::fail) {
                out.insert(r[i].id);
            }
        }
        return out;
    }

private:
    Kind m_kind;
    Outcome m_outcome;
};

inline std::string_view state_name(RuleState s) {
    switch (s) {
        case RuleState::not_applicable:
            return "not_applicable";
        case RuleState::pass:
            return "pass";
        case RuleState::fail:
            return "fail";
    }
    return "?";
}

inline ::testing::AssertionResult has_state(const Evaluation& e, std::string_view id, RuleState want) {
    const RuleState got = e.state(id);
    if (got == want) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << id << " is " << state_name(got) << ", expected " << state_name(want);
}
inline ::testing::AssertionResult fails(const Evaluation& e, std::string_view id) {
    return has_state(e, id, RuleState::fail);
}
inline ::testing::AssertionResult passes(const Evaluation& e, std::string_view id) {
    return has_state(e, id, RuleState::pass);
}
inline ::testing::AssertionResult not_applicable(const Evaluation& e, std::string_view id) {
    return has_state(e, id, RuleState::not_applicable);
}
// Pass or not applicable: the spec only says the rule does not fail.
inline ::testing::AssertionResult does_not_fail(const Evaluation& e, std::string_view id) {
    const RuleState got = e.state(id);
    if (got != RuleState::fail) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << id << " fails, expected it not to";
}
// Exactly the rules `ids` fail (every other rule of the kind passes or does not apply).
inline ::testing::AssertionResult fails_exactly(const Evaluation& e,
                                                std::initializer_list<std::string_view> ids) {
    std::set<std::string> want;
    for (auto id : ids) {
        want.insert(std::string(id));
    }
    const std::set<std::string> got = e.failed_ids();
    if (got == want) {
        return ::testing::AssertionSuccess();
    }
    std::ostringstream msg;
    msg << "failed rules {";
    for (const auto& id : got) {
        msg << ' ' << id;
    }
    msg << " }, expected {";
    for (const auto& id : want) {
        msg << ' ' << id;
    }
    msg << " }";
    return ::testing::AssertionFailure() << msg.str();
}

// Keeps only the top-level fields whose slot is flagged (and the id), as an
// engine reader that skips unused columns would.
inline Json only_fields(Kind kind, const Json& record, const std::vector<bool>& slots) {
    const auto& fields = model::schema_for(kind).fields;
    Json out = Json::object();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name(fields[i].name);
        if ((i == 0 || (i < slots.size() && slots[i])) && record.contains(name)) {
            out[name] = record[name];
        }
    }
    return out;
}

// How records reach the rules: whole, or as the engine reads them (cross
// inputs with cross_fields(kind) only, the evaluated record with used_fields(kind) only).
enum class Reading { whole, engine };

// Evaluates `record` of `kind` at `as_of_seconds`, after streaming `others`
// and the record itself (those of a kind in cross_inputs()) into a cross index.
inline Evaluation evaluate(Kind kind, const Json& record, const std::vector<Input>& others = {},
                           std::int64_t as_of_seconds = as_of(), Reading reading = Reading::whole) {
    const RuleSet* rs = default_rules();
    if (rs == nullptr) {
        ADD_FAILURE() << "the default rule set did not load";
        return Evaluation(kind, Outcome{});
    }
    model::Arena arena;
    const auto inputs = rs->cross_inputs();
    const auto is_input = [&](Kind k) { return std::find(inputs.begin(), inputs.end(), k) != inputs.end(); };
    CrossIndexBuilder builder(*rs);
    const bool engine = reading == Reading::engine;
    const auto cross_json = [&](Kind k, const Json& j) {
        return engine ? only_fields(k, j, rs->cross_fields(k)) : j;
    };
    for (const Input& in : others) {
        if (is_input(in.kind)) {
            builder.add(spiegel::testing::record(in.kind, cross_json(in.kind, in.json).dump(), arena));
        }
    }
    if (is_input(kind)) {
        builder.add(spiegel::testing::record(kind, cross_json(kind, record).dump(), arena));
    }
    const Json evaluated = engine ? only_fields(kind, record, rs->used_fields(kind)) : record;
    const model::Record rec = spiegel::testing::record(kind, evaluated.dump(), arena);
    const std::unique_ptr<CrossIndex> cross = builder.finish();
    EvalContext context;
    context.as_of = as_of_seconds;
    context.cross = cross.get();
    Outcome outcome;
    rs->evaluate(rec, context, outcome);
    return Evaluation(kind, std::move(outcome));
}

// A vacancy evaluated with the base employer known.
inline Evaluation evaluate_vacancy(const Json& vacancy, std::int64_t as_of_seconds = as_of()) {
    return evaluate(Kind::vacancy, vacancy, {{Kind::employer, base_employer()}}, as_of_seconds);
}

// 100 * passed weight / applicable weight, rounded to one decimal, from the
// rule weights and the outcome's states; negative when nothing applies
// (100 for the overall score). `dimension` < 0: all dimensions.
inline double expected_score(const Evaluation& e, int dimension = -1) {
    double applicable = 0;
    double passed = 0;
    const auto& r = e.rules();
    for (std::size_t i = 0; i < r.size() && i < e.outcome().states.size(); ++i) {
        if (dimension >= 0 && static_cast<int>(r[i].dimension) != dimension) {
            continue;
        }
        const RuleState s = e.outcome().states[i];
        if (s == RuleState::not_applicable) {
            continue;
        }
        applicable += r[i].weight;
        passed += s == RuleState::pass ? r[i].weight : 0.0;
    }
    if (applicable == 0) {
        return dimension < 0 ? 100.0 : -1.0;
    }
    return std::round(1000.0 * passed / applicable) / 10.0;
}

}  // namespace spiegel::rules::acceptance
