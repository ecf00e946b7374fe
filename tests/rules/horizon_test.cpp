// Outcome::valid_until: the first instant at which a later as-of could
// judge the same record differently. A full rescan keeps a stored result
// unevaluated until then (docs/scan.md), so it must never be late; these
// tests also check that it is exact for a single bound (not needlessly
// early), and, over many random records and rule shapes, that evaluating at
// any instant between the as-of and the horizon gives the same outcome.

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "daemon/util/time.h"
#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

using model::Kind;
using rules::Outcome;

constexpr std::int64_t k_never = std::numeric_limits<std::int64_t>::max();

Outcome at(const rules::RuleSet& set, Kind kind, const std::string& json, std::int64_t as_of) {
    model::Arena arena;
    const auto rec = record(kind, json, arena);
    Outcome out;
    set.evaluate(rec, rules::EvalContext{as_of, nullptr}, out);
    return out;
}

bool same(const Outcome& a, const Outcome& b) {
    return a.states == b.states && a.score == b.score && a.dimension_scores == b.dimension_scores &&
           a.unreadable == b.unreadable;
}

std::int64_t ts(const char* text) { return *util::parse_timestamp(text); }

// Evaluated at `as_of`, the single rule's horizon is `expected`; the
// judgement holds one second before it and flips at it.
void expect_flip_at(const rules::RuleSet& set, Kind kind, const std::string& json, const char* as_of,
                    const char* expected) {
    const std::int64_t now = ts(as_of);
    const Outcome first = at(set, kind, json, now);
    ASSERT_EQ(first.valid_until, ts(expected)) << json << " at " << as_of << ": "
                                               << util::format_timestamp(first.valid_until);
    EXPECT_TRUE(same(first, at(set, kind, json, first.valid_until - 1)));
    EXPECT_NE(first.states, at(set, kind, json, first.valid_until).states) << json;
}

// A CV updated at `updated` under the single rule `check`, as of 2026-10-01:
// the judgement flips at `flips`, or never (nullptr).
void expect_update_flip(const char* check, const char* updated, const char* flips) {
    const auto set = compile(one_rule("cv", check));
    const std::string json = std::string(R"({"id":"c","updated_at":")") + updated + "\"}";
    if (flips != nullptr) {
        expect_flip_at(*set, Kind::cv, json, "2026-10-01T12:00:00Z", flips);
    } else {
        EXPECT_EQ(at(*set, Kind::cv, json, ts("2026-10-01T12:00:00Z")).valid_until, k_never) << check << " " << json;
    }
}

TEST(Horizon, a_relative_lower_bound_on_a_timestamp_holds_until_the_value_falls_behind) {
    // 2026-09-01 + 180 days = 2027-02-28; the bound passes it one second later.
    expect_update_flip("{range: {field: updated_at, min: as_of - 180d}}", "2026-09-01T00:00:00Z", "2027-02-28T00:00:01Z");
    // Already too old: the bound only moves further away.
    expect_update_flip("{range: {field: updated_at, min: as_of - 180d}}", "2020-01-01T00:00:00Z", nullptr);
}

TEST(Horizon, a_relative_upper_bound_that_is_exceeded_is_met_once_the_as_of_catches_up) {
    expect_update_flip("{range: {field: updated_at, max: as_of - 1d}}", "2026-10-01T10:00:00Z", "2026-10-02T10:00:00Z");
    // Met: it stays met.
    expect_update_flip("{range: {field: updated_at, max: as_of - 1d}}", "2026-01-01T00:00:00Z", nullptr);
}

TEST(Horizon, dates_months_and_years_flip_at_the_start_of_their_unit) {
    const auto dates = compile(one_rule("vacancy", "{range: {field: closing_date, min: as_of}}"));
    expect_flip_at(*dates, Kind::vacancy, R"({"id":"v","closing_date":"2026-10-05"})", "2026-10-01T12:00:00Z",
                   "2026-10-06T00:00:00Z");
    const auto months = compile(one_rule("cv", "{every: {field: experience, check: {range: {field: start, max: as_of}}}}"));
    expect_flip_at(*months, Kind::cv, R"({"id":"c","experience":[{"start":"2027-02"}]})", "2026-10-01T12:00:00Z",
                   "2027-02-01T00:00:00Z");
    const auto months_back = compile(one_rule("cv", "{every: {field: experience, check: {range: {field: start, min: as_of - 6mo}}}}"));
    expect_flip_at(*months_back, Kind::cv, R"({"id":"c","experience":[{"start":"2026-08"}]})", "2026-10-01T12:00:00Z",
                   "2027-03-01T00:00:00Z");
    const auto years = compile(one_rule("cv", "{range: {field: birth_year, min: 1940, max: as_of_year - 15}}"));
    expect_flip_at(*years, Kind::cv, R"({"id":"c","birth_year":2012})", "2026-10-01T12:00:00Z",
                   "2027-01-01T00:00:00Z");
}

TEST(Horizon, absolute_bounds_and_rules_without_bounds_never_expire) {
    const auto set = compile(
        "kind: cv\nrules:\n"
        "  - {id: cv.a, title: T, dimension: validity, advice: A, check: {range: {field: birth_year, min: 1940, max: 2010}}}\n"
        "  - {id: cv.b, title: T, dimension: validity, advice: A, check: {present: email}}\n"
        "  - {id: cv.c, title: T, dimension: validity, advice: A, check: {range: {field: updated_at, min: '2026-01-01T00:00:00Z'}}}\n");
    EXPECT_EQ(at(*set, Kind::cv, R"({"id":"c","birth_year":1980,"updated_at":"2026-05-01T00:00:00Z"})",
                 ts("2026-10-01T12:00:00Z"))
                  .valid_until,
              k_never);
}

TEST(Horizon, the_earliest_bound_of_all_rules_and_their_conditions_counts) {
    const auto set = compile(
        "kind: cv\nrules:\n"
        "  - id: cv.fresh\n    title: T\n    dimension: timeliness\n    advice: A\n"
        "    check: {range: {field: updated_at, min: as_of - 180d}}\n"
        "  - id: cv.young\n    title: T\n    dimension: validity\n    advice: A\n"
        "    when: {range: {field: created_at, min: as_of - 30d}}\n"
        "    check: {present: email}\n");
    const std::string json =
        R"({"id":"c","updated_at":"2026-09-01T00:00:00Z","created_at":"2026-09-20T00:00:00Z"})";
    // created_at + 30 days, one second later, comes before updated_at + 180 days.
    const Outcome o = at(*set, Kind::cv, json, ts("2026-10-01T12:00:00Z"));
    EXPECT_EQ(o.valid_until, ts("2026-10-20T00:00:01Z"));
    EXPECT_NE(o.states, at(*set, Kind::cv, json, o.valid_until).states) << "the condition stops holding";
}

// Random records and as-ofs over rules that combine relative bounds of
// every unit with all/any/not/every/when: between the as-of and the
// horizon the outcome never changes.
TEST(Horizon, the_outcome_never_changes_before_the_horizon) {
    const auto set = compile(
        "kind: cv\nrules:\n"
        "  - id: cv.r1\n    title: T\n    dimension: timeliness\n    advice: A\n"
        "    check: {any: [{range: {field: updated_at, min: as_of - 180d}}, {not: {range: {field: created_at, max: as_of - 400d}}}]}\n"
        "  - id: cv.r2\n    title: T\n    dimension: validity\n    advice: A\n"
        "    when: {range: {field: updated_at, max: as_of - 7d}}\n"
        "    check: {range: {field: birth_year, min: as_of_year - 70, max: as_of_year - 15}}\n"
        "  - id: cv.r3\n    title: T\n    dimension: consistency\n    advice: A\n"
        "    check: {every: {field: experience, check: {all: [{range: {field: start, max: as_of}}, "
        "{range: {field: start, min: as_of - 120mo}}]}}}\n"
        "  - id: cv.r4\n    title: T\n    dimension: validity\n    advice: A\n"
        "    check: {all: [{range: {field: created_at, min: '2020-01-01T00:00:00Z'}}, "
        "{range: {field: created_at, max: as_of + 2h}}]}\n");
    std::mt19937_64 rng(20261206);
    const std::int64_t base = ts("2026-10-01T12:00:00Z");
    auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const std::int64_t day = 86400;
    int finite = 0;
    for (int n = 0; n < 400; ++n) {
        const std::int64_t now = base + pick(-400 * day, 400 * day);
        const std::string json =
            R"({"id":"c","updated_at":")" + util::format_timestamp(now + pick(-300 * day, 30 * day)) +
            R"(","created_at":")" + util::format_timestamp(now + pick(-800 * day, 1 * day)) +
            R"(","birth_year":)" + std::to_string(pick(1950, 2014)) + R"(,"experience":[{"start":")" +
            util::format_timestamp(now + pick(-4000 * day, 200 * day)).substr(0, 7) + R"("}]})";
        const Outcome first = at(*set, Kind::cv, json, now);
        ASSERT_GT(first.valid_until, now) << json;
        const std::int64_t end = first.valid_until == k_never ? now + 1200 * day : first.valid_until;
        finite += first.valid_until != k_never ? 1 : 0;
        std::vector<std::int64_t> probes{now + 1, end - 1, end - 2, end - 3600};
        for (int i = 0; i < 40; ++i) {
            probes.push_back(pick(now, end - 1));
        }
        for (std::int64_t t : probes) {
            if (t < now || t >= end) {
                continue;
            }
            ASSERT_TRUE(same(first, at(*set, Kind::cv, json, t)))
                << json << " as of " << util::format_timestamp(now) << ", horizon "
                << util::format_timestamp(first.valid_until) << ", differs at " << util::format_timestamp(t);
        }
    }
    EXPECT_GT(finite, 300) << "most random records have a bound ahead";
}

}  // namespace
}  // namespace spiegel::testing
