#pragma once
// The immutable last-scan snapshot (docs/metrics.md) and the label
// vocabularies it maps stored group values onto. A Snapshot is built once
// by build_snapshot() and never changed, so any number of threads may read it.

#include <prometheus/metric_family.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/model/code_lists.h"

namespace spiegel::metrics {

class Snapshot {
public:
    std::int64_t scan_id = 0;                   // 0: no scan has completed yet
    std::size_t rules_loaded = 0;               // enabled rules of the rule set it was built with
    std::optional<bool> last_attempt_success;   // latest finished scan row ok/failed, if any
    std::vector<prometheus::MetricFamily> families;  // every family; rendered as is

    // Samples in families (histograms count buckets, _sum and _count).
    std::size_t series() const;
};

// The label values of the split series, from the shipped code lists
// (rules/codes/regions.csv, target_groups.csv): mapping stored values onto a
// fixed vocabulary keeps label values bounded and free of whatever a source
// record happened to contain. Immutable; thread-safe.
class LabelVocabulary {
public:
    explicit LabelVocabulary(const model::CodeLists& codes);
    // A region of regions.csv, else "unknown" (also for a missing one).
    std::string_view region(std::string_view stored) const;
    // "none" for a missing target group, a code of target_groups.csv, else "" (left out).
    std::string_view target_group(std::string_view stored) const;
    // A digit 0..9, else "unknown".
    static std::string_view major_group(std::string_view stored);

private:
    std::vector<std::string> m_regions;        // sorted
    std::vector<std::string> m_target_groups;  // sorted
};

}  // namespace spiegel::metrics
