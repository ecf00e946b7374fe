#pragma once
// A compiled, validated set of quality rules for all record kinds
// (docs/rules.md). Pure: no SQLite, no Asio, no HTTP. Immutable after load
// and safe to share between threads; evaluation keeps its scratch state in
// the caller's Outcome.
//
// Lifecycle of a scan (driven by daemon/engine):
//   1. load_rule_set(dir)          -> RuleSet or every Diagnostic found
//   2. for each kind in rule_set.cross_inputs(): stream its records into a
//      CrossIndexBuilder (only the fields cross_fields(kind) are needed)
//   3. builder.finish()            -> CrossIndex (employer keys, open vacancies, ...)
//   4. for each record: rule_set.evaluate(record, context, outcome)

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/model/record.h"
#include "daemon/model/schema.h"

namespace spiegel::rules {

enum class Dimension : std::uint8_t { completeness, validity, consistency, timeliness, uniqueness, privacy };
inline constexpr std::size_t k_dimension_count = 6;
std::string_view dimension_name(Dimension d);

// One problem in a rule file, code list or lexicon.
struct Diagnostic {
    std::string file;  // path as given to the loader, joined with the file name
    int line = 1;      // 1-based
    int column = 1;    // 1-based
    std::string message;
    std::string to_string() const;  // "FILE:LINE:COLUMN: message"
};

struct RuleInfo {
    std::string id;           // e.g. "cv.email.valid"; unique across the set
    model::Kind kind;
    std::string title;
    Dimension dimension;
    double weight = 1.0;      // > 0
    std::string severity;     // info, warning, error
    std::string advice;       // Dutch, shown on cards
    bool enabled = true;
    std::vector<std::string> fields;  // top-level fields the rule reads (cards name them)
    std::string file;         // where it was defined
    int line = 0;
};

enum class RuleState : std::uint8_t { not_applicable, pass, fail };

// The result of evaluating every enabled rule of a kind on one record.
struct Outcome {
    // Indexed like RuleSet::rules(kind). Disabled rules are not_applicable.
    std::vector<RuleState> states;
    // Indices (into rules(kind)) of failed rules, in rule order.
    std::vector<std::uint16_t> failed;
    // 100 * passed weight / applicable weight, rounded to one decimal; 100
    // when no rule applies.
    double score = 100.0;
    // Per dimension, same formula; negative when no rule of that dimension applies.
    std::array<double, k_dimension_count> dimension_scores{};
    // True when a stored value could not be read and a rule using it was
    // failed for that reason (record.issues non-empty and used).
    bool unreadable = false;
    // The first instant (seconds since the epoch) at which a later as-of
    // could change this outcome for the same record: the earliest point
    // where a bound relative to the as-of ("as_of - 180d") that the
    // evaluation used would judge the value the other way. INT64_MAX when
    // no such bound was used. Between the as-of of the evaluation and this
    // instant, evaluating the same record with the same rules (and the same
    // cross-record facts) gives the same outcome.
    std::int64_t valid_until = 0;
};

// Opaque cross-record facts (employer keys, open vacancies, ...); built by
// CrossIndexBuilder, read-only afterwards, safe to share between threads.
class CrossIndex {
public:
    struct Data;  // defined by the compiler (rules/*.cpp)
    explicit CrossIndex(std::unique_ptr<Data> data);
    ~CrossIndex();
    CrossIndex(const CrossIndex&) = delete;
    CrossIndex& operator=(const CrossIndex&) = delete;
    const Data& data() const { return *m_data; }
    // A 64-bit hash of every fact in the index, independent of the order
    // the records were added in: equal fingerprints mean the cross rules
    // judge every record alike (but for a chance of 2^-64).
    std::uint64_t fingerprint() const;

private:
    std::unique_ptr<Data> m_data;
};

struct EvalContext {
    std::int64_t as_of = 0;             // seconds since the epoch, UTC
    const CrossIndex* cross = nullptr;  // required when the set has cross rules
                                        // (without it, cross rules fail)
};

class RuleSet {
public:
    ~RuleSet();
    RuleSet(RuleSet&&) noexcept;
    RuleSet& operator=(RuleSet&&) noexcept;

    // Enabled and disabled rules of one kind, in file order (cv.yaml order).
    const std::vector<RuleInfo>& rules(model::Kind kind) const;
    const RuleInfo* find(std::string_view id) const;
    std::size_t enabled_count() const;
    std::size_t enabled_count(model::Kind kind) const;
    model::PerKind<std::size_t> enabled_counts() const;  // enabled_count(kind) for every kind

    // Kinds whose records must be streamed into a CrossIndexBuilder before
    // evaluation (e.g. employer for vacancy.employer.known).
    std::vector<model::Kind> cross_inputs() const;
    // Top-level field slots of `kind` the cross-index builder reads.
    std::vector<bool> cross_fields(model::Kind kind) const;
    // Top-level field slots of `kind` that evaluation reads (readers may skip others).
    std::vector<bool> used_fields(model::Kind kind) const;
    // Kinds whose evaluation depends on other records (for incremental scans:
    // a change in an input kind can change results of this kind).
    bool has_cross_rules(model::Kind kind) const;

    // Evaluates every enabled rule of record.kind. Thread-safe (const).
    void evaluate(const model::Record& record, const EvalContext& context, Outcome& outcome) const;

    struct Impl;  // defined by the compiler (rules/*.cpp)
    explicit RuleSet(std::unique_ptr<Impl> impl);
    const Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

// Loads and validates every *.yaml file in dir (code lists and lexicons are
// referred to from them by paths relative to dir). Returns the rule set, or
// every problem found (never just the first), each with file:line:column.
struct LoadResult {
    std::unique_ptr<RuleSet> rule_set;     // null when diagnostics is non-empty
    std::vector<Diagnostic> diagnostics;
};
LoadResult load_rule_set(const std::string& dir);

// A kind that had enabled rules (`before`, per kind) and has none in `now`:
// every record of it would score 100, the mark of an emptied or cut-off rule
// file. A reload (app::load_settings) and a scan (app::run_scan_job) refuse
// such rules.
struct LostKind {
    model::Kind kind;
    std::size_t had;  // enabled rules before
};
std::vector<LostKind> kinds_without_rules(const model::PerKind<std::size_t>& before, const RuleSet& now);

// Collects cross-record facts from streamed records. Not thread-safe.
class CrossIndexBuilder {
public:
    explicit CrossIndexBuilder(const RuleSet& rule_set);
    ~CrossIndexBuilder();
    void add(const model::Record& record);  // any kind in cross_inputs()
    std::unique_ptr<CrossIndex> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace spiegel::rules
