#pragma once
// The result of scanning one record: its score, failed rule ids and the few
// non-personal attributes that aggregates and peer statistics need
// (docs/state-schema.md). Pure; a ResultRow owns its strings so it outlives
// the chunk arena it was computed from.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/model/record.h"
#include "daemon/rules/rule_set.h"

namespace spiegel::engine {

// Education level code -> rank (education_levels.csv); used to pick a CV's
// highest level. Unknown codes rank below every known one.
using EducationRanks = std::unordered_map<std::string, int>;

// Attributes for the peer statistics of the mirror cards. CV fields are
// empty for vacancies and the other way round.
struct PeerAttrs {
    bool visible = false;                     // cv: published to employers
    std::string education;                    // cv: highest level; vacancy: required level
    std::string birth_bucket;                 // cv: "1948-1960" .. "1991-", "onbekend" (also before 1948)
    std::string hours_bucket;                 // cv: "<2", "2 tot 4", .., "8", "nvt"
    std::vector<std::string> skills;          // cv: lower-case, trimmed, unique, sorted
    std::vector<std::string> licences;        // cv: trimmed, upper case (ASCII), unique, sorted
    std::vector<std::string> co_occupations;  // cv: other desired codes, unique, sorted
    bool open = false;                        // vacancy: status open or anoniem
    bool salary = false;                      // vacancy: salary_min or salary_max stated
    std::string hours_min;                    // vacancy: hours_per_week_min as text, "" missing
    std::string hours_max;                    // vacancy: hours_per_week_max as text, "" missing
};

struct ResultRow {
    model::Kind kind = model::Kind::cv;
    std::string id;
    std::int64_t source_row = 0;  // the record's row id in the source (model::Record::row), 0 unknown
    double score = 100.0;
    std::vector<std::string> failed;  // ids of failed applicable rules, in rule order
    // Ids of enabled rules that do not apply (their `when` is false), in rule
    // order; meaningful only when `rated` (the evaluation filled it in).
    // Applicable records of a rule = rated records - not applicable.
    std::vector<std::string> not_applicable;
    bool rated = false;
    std::array<double, rules::k_dimension_count> dimensions{};  // < 0: no rule applies
    bool unreadable = false;          // some read value could not be decoded
    std::string region;               // labour-market region code, "" missing
    std::vector<std::string> target_groups;  // unique, sorted
    std::string occupation;           // cv: first desired code; vacancy: occupation_code
    PeerAttrs peer;
    // The record's model::Record::content_hash when evaluated; 0 unknown.
    std::uint64_t content_hash = 0;
    // rules::Outcome::valid_until of the evaluation: until then the same
    // content gives the same result. 0: not known, or not to be kept
    // (unreadable values).
    std::int64_t valid_until = 0;
    // result_digest() of the fields above, set by the scan after the
    // evaluation; 0 when not computed (or, read back, not stored).
    std::uint64_t digest = 0;
    // The stored result still holds and was kept without evaluating
    // (model::Record::reused): only kind and source_row are meaningful
    // (unreadable is false); the other fields are not reset.
    bool reused = false;

    // First digit of the occupation code, "" when missing.
    std::string_view isco_major() const {
        return occupation.empty() ? std::string_view{} : std::string_view(occupation).substr(0, 1);
    }
    void clear();
};

// Top-level slots of `kind` that fill_attributes reads.
std::vector<bool> attribute_fields(model::Kind kind);

// Fills id, region, target groups, occupation and peer attributes from the
// record, as they read at `as_of` (seconds since the epoch): a vacancy is
// open until its closing date has passed. Sets valid_until to the first
// instant at which an attribute would read otherwise (INT64_MAX: never).
void fill_attributes(const model::Record& record, const EducationRanks& ranks, std::int64_t as_of, ResultRow& row);

// Fills not_applicable from an outcome of rule_set.rules(row.kind) (enabled
// rules whose state is not_applicable) and sets rated.
void fill_applicability(const std::vector<rules::RuleInfo>& infos, const rules::Outcome& outcome, ResultRow& row);


// The version of how a record is judged: rules evaluation, the attributes
// and what a ResultRow holds. Part of the fingerprint a scan stores, so
// results judged by another version are neither patched nor kept
// unevaluated (docs/scan.md). Raise it with any change that can give the
// same rules and record another result.
//   1: state schema 6;
//   2: timestamps are compared with their fraction of a second;
//   3: a vacancy past its closing date is not open (PeerAttrs::open);
//   4: birth years before 1948 have no bucket ("onbekend"), licence codes
//      are upper case;
//   5: `count` counts a string of spaces as an item, `unique` orders by
//      the fraction of a second too, the default lexicon catches the
//      contract's age forms after the people served, and a record with an
//      unreadable value does not fail a rule whose `when` is false.
inline constexpr int k_judgement_version = 5;

// A 64-bit digest (XXH3) of every field of the row but `digest` and `reused`,
// never 0. The state stores it with the result (result.digest), and a full
// rescan takes a record whose new digest equals the stored one as
// unchanged: it neither rewrites nor re-aggregates it (docs/scan.md). A
// change that keeps the digest equal has a chance of 2^-64.
std::uint64_t result_digest(const ResultRow& row);

// Rounds to one decimal and prints compactly: 87.5, 100, 66.7, 0.
std::string format_score(double score);

// Normalised skill text: trimmed, lower case (Unicode-aware).
std::string normalise_skill(std::string_view skill);

std::string_view birth_bucket(const model::Value& birth_year);
std::string_view hours_bucket(const model::Value& hours_per_day);

}  // namespace spiegel::engine
