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

// Labour-market region codes (rules/codes/regions.csv) in code order.
const std::vector<std::string_view>& known_regions();
// Target group codes (rules/codes/target_groups.csv) in file order.
const std::vector<std::string_view>& known_target_groups();

// Label values of the splits: an unknown or missing region is "unknown", a
// missing target group "none", an unknown target group code "" (left out),
// a missing or non-digit ISCO major group "unknown".
std::string_view region_label(std::string_view stored);
std::string_view target_group_label(std::string_view stored);
std::string_view major_group_label(std::string_view stored);

}  // namespace spiegel::metrics
