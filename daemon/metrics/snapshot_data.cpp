// build_snapshot's input: the last completed scan's groups under the label
// vocabularies of docs/metrics.md.
#include "daemon/metrics/snapshot_data.h"

#include "daemon/metrics/snapshot.h"

namespace spiegel::metrics {
namespace {

// The group a stored (split, value) belongs to; null when left out.
engine::GroupStats* group_of(KindData& kind, const LabelVocabulary& labels, std::string_view split, std::string_view value) {
    std::string_view label;
    SplitData* target = nullptr;
    if (split == engine::k_split_all) {
        return &kind.total;
    } else if (split == engine::k_split_region) {
        target = &kind.region;
        label = labels.region(value);
    } else if (split == engine::k_split_target_group) {
        target = &kind.target_group;
        label = labels.target_group(value);
    } else if (split == engine::k_split_isco_major) {
        target = &kind.major_group;
        label = LabelVocabulary::major_group(value);
    }
    if (target == nullptr || label.empty()) {
        return nullptr;
    }
    auto it = target->find(label);
    if (it == target->end()) {
        it = target->emplace(std::string(label), engine::GroupStats{}).first;
    }
    return &it->second;
}

}  // namespace

SnapshotData snapshot_data(const store::LastScan& scan, const LabelVocabulary& labels) {
    SnapshotData out;
    out.history = scan.history;
    for (const auto& [key, stats] : scan.aggregates.groups()) {
        const auto parts = engine::split_key(key);
        const auto kind = model::parse_kind(parts[0]);
        if (!kind || parts.size() != 3) {
            continue;
        }
        if (engine::GroupStats* group = group_of(out.kinds[static_cast<std::size_t>(*kind)], labels, parts[1], parts[2])) {
            group->merge(stats);
        }
    }
    return out;
}

}  // namespace spiegel::metrics
