#pragma once
// What build_snapshot reads from the state database, already mapped onto
// the label vocabularies (internal to daemon/metrics).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "daemon/engine/aggregator.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/state_db.h"
#include "daemon/util/expected.h"

namespace spiegel::metrics {

struct GroupData {
    std::int64_t records = 0;
    std::int64_t unreadable = 0;
    std::int64_t score_tenths = 0;
    std::array<std::int64_t, engine::k_histogram_buckets> cumulative{};  // le_10 .. le_100
    std::map<std::string, std::int64_t> failing;                        // rule id -> records
    std::int64_t rated = 0;  // records whose not-applicable rules the state database knows
    std::map<std::string, std::int64_t> not_applicable;                 // rule id -> rated records

    void add(const GroupData& other);
};

// label value -> group, sorted by label.
using SplitData = std::map<std::string, GroupData, std::less<>>;

struct KindData {
    GroupData total;
    SplitData region;
    SplitData target_group;
    SplitData major_group;
    // Per dimension: sum and count of the per-record dimension scores.
    std::array<double, rules::k_dimension_count> dimension_sum{};
    std::array<std::int64_t, rules::k_dimension_count> dimension_count{};
};

struct Share {
    std::int64_t applicable = 0;
    std::int64_t failing = 0;
};

struct SnapshotData {
    std::optional<store::ScanInfo> last;              // last completed scan
    std::optional<store::ScanInfo> last_full;         // last successful full scan
    std::optional<store::ScanInfo> last_incremental;  // last successful incremental scan
    std::optional<bool> last_attempt_success;
    std::array<KindData, 3> kinds;  // by model::Kind
    // Banenafspraak CVs and how many fail the complete-profile rule.
    Share profiles;
    std::map<std::string, Share, std::less<>> profiles_by_region;
    std::map<std::string, Share, std::less<>> profiles_by_target_group;
};

// The rule whose pass rate is the complete-profile share.
inline constexpr const char* k_complete_profile_rule = "cv.banenafspraak.complete";

// Reads everything in one read transaction, so it all describes one scan.
util::Expected<SnapshotData> read_snapshot_data(store::StateDb& state);

}  // namespace spiegel::metrics
