#pragma once
// Rule impact preview (docs/rules.md#previewing-a-change): the results of a
// candidate rule set, put record by record into a PreviewSink, compared with
// the stored results of the same records. Pure: the stored results are
// handed in (read by the store layer), nothing is written anywhere.
// Not thread-safe; one PreviewSink per preview.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "daemon/engine/aggregator.h"
#include "daemon/engine/scanner.h"

namespace spiegel::engine {

// Newly failing and newly passing records of one rule id (present in the
// stored results, the candidate rule set, or both).
struct RuleChange {
    std::string id;
    model::Kind kind = model::Kind::cv;
    std::int64_t newly_failing = 0;  // fails now, did not fail in the stored result
    std::int64_t newly_passing = 0;  // failed in the stored result, does not fail now
    std::int64_t changed() const { return newly_failing + newly_passing; }
};

// One cell (kind, split, value) over the records present both before and after.
// split: "all" (value ""), "region" (code, "" missing), "target_group"
// (code, "" for records without one).
struct GroupChange {
    model::Kind kind = model::Kind::cv;
    std::string split;
    std::string value;
    std::int64_t records = 0;
    std::int64_t score_tenths_before = 0;  // sums of scores in tenths
    std::int64_t score_tenths_after = 0;
    std::int64_t failing_before = 0;  // records failing at least one rule
    std::int64_t failing_after = 0;
};

struct KindPreview {
    std::int64_t compared = 0;         // records evaluated and with a stored result
    std::int64_t changed = 0;          // of which the score or the failed rules changed
    std::int64_t not_stored = 0;       // evaluated, no stored result (new since the scan)
    std::int64_t stored_not_seen = 0;  // stored result, no longer in the source
};

struct PreviewResult {
    std::vector<RuleChange> rules;    // every rule id of either set, by kind then id
    std::vector<GroupChange> groups;  // by kind, split, value
    model::PerKind<KindPreview> kinds{};
};

// What the preview needs of one stored result (the state database's result row).
struct StoredOutcome {
    double score = 100.0;
    std::vector<std::string> failed;
};

class PreviewSink final : public ResultSink {
public:
    // `candidate`: the rule set being previewed; each of its rules gets an
    // entry, and so does every rule id the stored results name.
    explicit PreviewSink(const rules::RuleSet& candidate);

    // Adds the stored result of one record, before the scan runs.
    void add_stored(model::Kind kind, const ResultRow& stored);

    util::Status begin_kind(model::Kind kind, bool full) override;
    util::Status put(const ResultRow& row) override;
    util::Status remove(model::Kind, const std::vector<std::string>&) override { return {}; }
    util::Status end_kind(model::Kind kind, bool full) override;

    // The comparison; call once after the scan.
    PreviewResult finish();

private:
    using RuleIndex = std::uint16_t;
    struct Stored {
        std::int32_t score_tenths = 0;
        bool seen = false;
        std::vector<RuleIndex> failed;  // sorted
        std::string region;
        std::vector<std::string> target_groups;
    };
    struct Counts {
        std::int64_t newly_failing = 0;
        std::int64_t newly_passing = 0;
    };
    RuleIndex intern(model::Kind kind, std::string_view id);
    GroupChange& group(model::Kind kind, std::string_view split, std::string_view value);
    void count_groups(const Stored& before, const ResultRow& after, std::int32_t after_tenths);

    std::vector<std::pair<std::string, model::Kind>> m_rule_ids;  // by RuleIndex
    StringMap<RuleIndex> m_rule_index;
    std::vector<Counts> m_counts;  // by RuleIndex
    model::PerKind<StringMap<Stored>> m_stored;
    model::PerKind<KindPreview> m_kinds{};
    std::map<std::tuple<model::Kind, std::string, std::string>, GroupChange> m_groups;
    std::vector<RuleIndex> m_scratch;
};

// Rules ordered by changed() (most first; ties by id), at most `limit`,
// leaving out rules that changed nothing.
std::vector<RuleChange> top_changed_rules(const std::vector<RuleChange>& rules, std::size_t limit);

}  // namespace spiegel::engine
