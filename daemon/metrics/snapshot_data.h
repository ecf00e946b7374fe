#pragma once
// What build_snapshot takes from the last completed scan, mapped onto the
// label vocabularies (internal to daemon/metrics). Pure.

#include <array>
#include <map>
#include <string>

#include "daemon/engine/aggregator.h"
#include "daemon/metrics/snapshot.h"
#include "daemon/store/state_db.h"

namespace spiegel::metrics {

// label value -> the stored groups of that label, merged, sorted by label.
using SplitData = std::map<std::string, engine::GroupStats, std::less<>>;

struct KindData {
    engine::GroupStats total;
    SplitData region;
    SplitData target_group;
    SplitData major_group;
};

struct SnapshotData {
    store::ScanHistory history;
    model::PerKind<KindData> kinds;
};

// The scan's history and groups, each group under its split's label
// (groups of one split can share a label: "unknown"). Groups of unknown
// target group codes are left out.
SnapshotData snapshot_data(const store::LastScan& scan, const LabelVocabulary& labels);

}  // namespace spiegel::metrics
