// build_snapshot's reads: the last completed scan's aggregates (scan_group,
// scan_rule), the scan history, and the few figures only the current
// results hold (per-dimension averages, complete banenafspraak profiles).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "daemon/metrics/snapshot.h"
#include "daemon/metrics/snapshot_data.h"

namespace spiegel::metrics {
namespace {

using model::Kind;

std::size_t kind_index(const std::string& name) {
    return static_cast<std::size_t>(model::parse_kind(name).value_or(Kind::cv));
}

// The group a stored (split, value) row belongs to; null when left out.
GroupData* group_of(KindData& kind, const std::string& split, const std::string& value) {
    std::string_view label;
    SplitData* target = nullptr;
    if (split == engine::k_split_all) {
        return &kind.total;
    } else if (split == engine::k_split_region) {
        target = &kind.region;
        label = region_label(value);
    } else if (split == engine::k_split_target_group) {
        target = &kind.target_group;
        label = target_group_label(value);
    } else if (split == engine::k_split_isco_major) {
        target = &kind.major_group;
        label = major_group_label(value);
    }
    if (target == nullptr || label.empty()) {
        return nullptr;
    }
    auto it = target->find(label);
    if (it == target->end()) {
        it = target->emplace(std::string(label), GroupData{}).first;
    }
    return &it->second;
}

bool has_column(SQLite::Database& db, const std::string& table, const std::string& column) {
    SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    q.bind(1, table);
    q.bind(2, column);
    return q.executeStep();
}

// Groups of one split can map several stored values onto one label
// ("unknown"), so rows add to what is there.
void read_groups(SQLite::Database& db, std::int64_t scan_id, SnapshotData& out) {
    // Older state files lack the applicability columns: nothing is rated there.
    const bool rated = has_column(db, "scan_group", "rated") && has_column(db, "scan_rule", "not_applicable");
    SQLite::Statement g(db, std::string("SELECT kind, split, value, records, unreadable, score_tenths, le_10, "
                                        "le_20, le_30, le_40, le_50, le_60, le_70, le_80, le_90, le_100, ") +
                                (rated ? "rated" : "0") + " FROM scan_group WHERE scan_id = ?");
    g.bind(1, scan_id);
    while (g.executeStep()) {
        GroupData row;
        row.records = g.getColumn(3).getInt64();
        row.unreadable = g.getColumn(4).getInt64();
        row.score_tenths = g.getColumn(5).getInt64();
        for (std::size_t b = 0; b < engine::k_histogram_buckets; ++b) {
            row.cumulative[b] = g.getColumn(static_cast<int>(6 + b)).getInt64();
        }
        row.rated = g.getColumn(16).getInt64();
        KindData& kind = out.kinds[kind_index(g.getColumn(0).getString())];
        if (GroupData* group = group_of(kind, g.getColumn(1).getString(), g.getColumn(2).getString())) {
            group->add(row);
        }
    }
    SQLite::Statement r(db, std::string("SELECT kind, split, value, rule_id, failing, ") +
                                (rated ? "not_applicable" : "0") + " FROM scan_rule WHERE scan_id = ?");
    r.bind(1, scan_id);
    while (r.executeStep()) {
        KindData& kind = out.kinds[kind_index(r.getColumn(0).getString())];
        if (GroupData* group = group_of(kind, r.getColumn(1).getString(), r.getColumn(2).getString())) {
            const std::string rule = r.getColumn(3).getString();
            group->failing[rule] += r.getColumn(4).getInt64();
            group->not_applicable[rule] += r.getColumn(5).getInt64();
        }
    }
}

void read_dimensions(SQLite::Database& db, SnapshotData& out) {
    std::string sql = "SELECT kind";
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        const std::string name(rules::dimension_name(static_cast<rules::Dimension>(d)));
        sql += ", total(" + name + "), count(" + name + ")";
    }
    SQLite::Statement q(db, sql + " FROM result GROUP BY kind");
    while (q.executeStep()) {
        KindData& kind = out.kinds[kind_index(q.getColumn(0).getString())];
        for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
            kind.dimension_sum[d] = q.getColumn(static_cast<int>(1 + 2 * d)).getDouble();
            kind.dimension_count[d] = q.getColumn(static_cast<int>(2 + 2 * d)).getInt64();
        }
    }
}

// Banenafspraak CVs (the records cv.banenafspraak.complete applies to) by
// region and target group, and how many of them fail that rule.
void read_profiles(SQLite::Database& db, SnapshotData& out) {
    SQLite::Statement q(db, "SELECT region, target_groups, instr(',' || failed || ',', ',' || ?1 || ',') > 0 "
                            "FROM result WHERE kind = 'cv' AND "
                            "instr(',' || target_groups || ',', ',banenafspraak,') > 0");
    q.bind(1, k_complete_profile_rule);
    auto count = [](Share& share, bool failing) {
        ++share.applicable;
        share.failing += failing ? 1 : 0;
    };
    while (q.executeStep()) {
        const bool failing = q.getColumn(2).getInt() != 0;
        count(out.profiles, failing);
        count(out.profiles_by_region[std::string(region_label(q.getColumn(0).getString()))], failing);
        const std::string groups = q.getColumn(1).getString();
        std::size_t start = 0;
        while (start <= groups.size()) {
            const std::size_t end = std::min(groups.find(',', start), groups.size());
            const std::string_view label = target_group_label(std::string_view(groups).substr(start, end - start));
            if (!label.empty() && label != "none") {
                count(out.profiles_by_target_group[std::string(label)], failing);
            }
            start = end + 1;
        }
    }
}

void read_history(store::StateDb& state, SnapshotData& out) {
    SQLite::Database& db = state.database();
    SQLite::Statement q(db, "SELECT type, max(id) FROM scan WHERE status = 'ok' GROUP BY type");
    while (q.executeStep()) {
        auto info = state.scan(q.getColumn(1).getInt64());
        if (info && *info) {
            (q.getColumn(0).getString() == "full" ? out.last_full : out.last_incremental) = **info;
        }
    }
    SQLite::Statement a(db, "SELECT status FROM scan WHERE status IN ('ok', 'failed') ORDER BY id DESC LIMIT 1");
    if (a.executeStep()) {
        out.last_attempt_success = a.getColumn(0).getString() == "ok";
    }
}

}  // namespace

void GroupData::add(const GroupData& other) {
    records += other.records;
    unreadable += other.unreadable;
    score_tenths += other.score_tenths;
    for (std::size_t b = 0; b < cumulative.size(); ++b) {
        cumulative[b] += other.cumulative[b];
    }
    for (const auto& [rule, n] : other.failing) {
        failing[rule] += n;
    }
    rated += other.rated;
    for (const auto& [rule, n] : other.not_applicable) {
        not_applicable[rule] += n;
    }
}

util::Expected<SnapshotData> read_snapshot_data(store::StateDb& state) {
    try {
        SQLite::Database& db = state.database();
        SQLite::Transaction read(db);  // deferred: one consistent snapshot of the database
        SnapshotData out;
        auto last = state.last_completed_scan();
        if (!last) {
            return last.error();
        }
        out.last = *last;
        read_history(state, out);
        if (out.last) {
            read_groups(db, out.last->id, out);
            read_dimensions(db, out);
            read_profiles(db, out);
        }
        return out;  // the read transaction rolls back: nothing was written
    } catch (const std::exception& e) {
        return util::Error{state.path() + ": reading metrics: " + e.what()};
    }
}

}  // namespace spiegel::metrics
