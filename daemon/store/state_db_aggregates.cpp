// StateDb: per-scan aggregate history (scan_group, scan_rule) and the
// current peer statistics (peer_stat).
#include <algorithm>
#include <tuple>

#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

// A group key is (kind, split, value): the first three columns after scan_id.
constexpr std::size_t k_group_key_parts = 3;


using engine::GroupStats;
using engine::ScanAggregates;
using model::Kind;

// The figures of one group in the order of group_columns(): records,
// unreadable, score_tenths, le_10 .. le_100 (cumulative), rated, the
// version-3 columns.
constexpr std::size_t k_group_figures = 3 + engine::k_histogram_buckets + 1 + 2 * rules::k_dimension_count + 2;
using GroupFigures = std::array<std::int64_t, k_group_figures>;

std::string group_columns() {
    std::string columns = "records, unreadable, score_tenths";
    for (std::size_t b = 1; b <= engine::k_histogram_buckets; ++b) {
        columns += ", le_" + std::to_string(10 * b);
    }
    columns += ", rated";
    for (const std::string& c : version_3_group_columns()) {
        columns += ", " + c;
    }
    return columns;
}

GroupFigures figures_of(const GroupStats& s) {
    GroupFigures f{};
    std::size_t i = 0;
    f[i++] = s.records;
    f[i++] = s.unreadable;
    f[i++] = s.score_tenths;
    std::int64_t cumulative = 0;
    for (std::int64_t b : s.buckets) {
        cumulative += b;
        f[i++] = cumulative;
    }
    f[i++] = s.rated;
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        f[i++] = s.dimension_tenths[d];
        f[i++] = s.dimension_records[d];
    }
    f[i++] = s.profiles;
    f[i++] = s.profiles_failing;
    return f;
}

void set_figures(GroupStats& s, const GroupFigures& f) {
    std::size_t i = 0;
    s.records = f[i++];
    s.unreadable = f[i++];
    s.score_tenths = f[i++];
    std::int64_t previous = 0;
    for (std::int64_t& b : s.buckets) {
        b = f[i] - previous;
        previous = f[i++];
    }
    s.rated = f[i++];
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        s.dimension_tenths[d] = f[i++];
        s.dimension_records[d] = f[i++];
    }
    s.profiles = f[i++];
    s.profiles_failing = f[i++];
}

void write_rules(SQLite::Statement& r, std::int64_t scan_id, const std::vector<std::string_view>& key,
                 const GroupStats& s) {
    auto write_rule = [&](const std::string& rule, std::int64_t failing, std::int64_t not_applicable) {
        r.reset();
        r.bind(1, scan_id);
        for (std::size_t i = 0; i < k_group_key_parts; ++i) {
            r.bind(2 + static_cast<int>(i), std::string(key[i]));
        }
        r.bind(5, rule);
        r.bind(6, failing);
        r.bind(7, not_applicable);
        r.exec();
    };
    for (const auto& [rule, n] : s.failing) {
        const auto na = s.not_applicable.find(rule);
        write_rule(rule, n, na == s.not_applicable.end() ? 0 : na->second);
    }
    for (const auto& [rule, n] : s.not_applicable) {
        if (!s.failing.contains(rule)) {
            write_rule(rule, 0, n);
        }
    }
}

// Adds count to a cell (inserting it when new); a cell that has come down
// to 0 is then deleted by k_peer_drop_zero.
constexpr const char* k_peer_upsert =
    "INSERT INTO peer_stat (kind, occupation, region, attribute, value, count, scan_id) VALUES (?1,?2,?3,?4,?5,?6,?7) "
    "ON CONFLICT DO UPDATE SET count = count + excluded.count, scan_id = excluded.scan_id";
constexpr const char* k_peer_drop_zero =
    "DELETE FROM peer_stat WHERE kind = ?1 AND occupation = ?2 AND region = ?3 AND attribute = ?4 AND value = ?5 "
    "AND count = 0";

// One peer count: the primary key of its peer_stat row (kind aside) and n.
struct PeerEntry {
    std::string_view occupation, region, attribute, value;
    std::int64_t n = 0;
    auto key() const { return std::tie(occupation, region, attribute, value); }
};

// The peer counts of one kind in `aggregates` (views into it), non-zero.
std::vector<PeerEntry> peer_entries(Kind kind, const ScanAggregates& aggregates) {
    const std::string_view name = model::kind_name(kind);
    std::vector<PeerEntry> out;
    aggregates.for_each_peer([&](std::string_view cell_key, std::string_view attribute, std::string_view value,
                                 std::int64_t n) {
        const auto ck = engine::split_key(cell_key);
        if (ck[0] == name && n != 0) {
            out.push_back({ck[1], ck[2], attribute, value, n});
        }
    });
    return out;
}

// Writes peer counts as additions: new cells are inserted, stored ones
// patched, cells that reach 0 deleted.
class PeerPatcher {
public:
    PeerPatcher(SQLite::Database& db, Kind kind, std::int64_t scan_id)
        : m_db(db.getHandle()), m_kind(model::kind_name(kind)), m_scan_id(scan_id) {
        m_upsert.prepare(m_db, k_peer_upsert);
        m_drop.prepare(m_db, k_peer_drop_zero);
    }
    void add(const PeerEntry& e, std::int64_t by) {
        bind_key(m_upsert, e);
        sqlite3_bind_int64(m_upsert.get(), 6, by);
        sqlite3_bind_int64(m_upsert.get(), 7, m_scan_id);
        m_upsert.run();
        if (by < 0) {  // only a cell that went down can have reached 0
            bind_key(m_drop, e);
            m_drop.run();
        }
    }

private:
    void bind_key(RawStatement& st, const PeerEntry& e) {
        st.text(1, m_kind);
        st.text(2, e.occupation);
        st.text(3, e.region);
        st.text(4, e.attribute);
        st.text(5, e.value);
    }

    sqlite3* m_db;
    std::string_view m_kind;
    std::int64_t m_scan_id;
    RawStatement m_upsert, m_drop;
};

// A full kind's cells become exactly `aggregates`' without rewriting them:
// the stored rows (read in primary-key order) are merged with the new
// counts (ScanAggregates::for_each_peer_in_key_order) and only the
// differences are written, so a rescan of unchanged data writes no peer
// row. With no stored row (a first scan) the counts are inserted in key
// order too: appending to the B-tree instead of inserting at random
// places.
void replace_peers(SQLite::Database& db, std::int64_t scan_id, Kind kind, const ScanAggregates& aggregates) {
    const std::string_view name = model::kind_name(kind);
    PeerPatcher patch(db, kind, scan_id);
    {
        SQLite::Statement any(db, "SELECT 1 FROM peer_stat WHERE kind = ? LIMIT 1");
        any.bind(1, std::string(name));
        if (!any.executeStep()) {
            aggregates.for_each_peer_in_key_order(kind, [&](std::string_view occupation, std::string_view region,
                                                            std::string_view attribute, std::string_view value,
                                                            std::int64_t n) {
                patch.add({occupation, region, attribute, value, n}, n);
            });
            return;
        }
    }
    // The stored rows (primary-key order) are walked along with the new
    // counts (the same order); the differences are collected and written
    // after the walk (a table is not written while a statement walks it).
    std::vector<std::pair<PeerEntry, std::int64_t>> changed;  // entry (views into aggregates), count to add
    struct Gone {
        std::string occupation, region, attribute, value;
        std::int64_t n;
    };
    std::vector<Gone> gone;  // stored cells with no count any more
    {
        RawStatement q;
        q.prepare(db.getHandle(), "SELECT occupation, region, attribute, value, count FROM peer_stat WHERE kind = ?1 "
                                  "ORDER BY occupation, region, attribute, value");
        q.text(1, name);
        bool more = q.step();
        const auto stored = [&q] {
            return PeerEntry{column_text(q.get(), 0), column_text(q.get(), 1), column_text(q.get(), 2),
                             column_text(q.get(), 3), sqlite3_column_int64(q.get(), 4)};
        };
        const auto take_gone = [&] {
            const PeerEntry s = stored();
            gone.push_back({std::string(s.occupation), std::string(s.region), std::string(s.attribute),
                            std::string(s.value), s.n});
            more = q.step();
        };
        aggregates.for_each_peer_in_key_order(kind, [&](std::string_view occupation, std::string_view region,
                                                        std::string_view attribute, std::string_view value,
                                                        std::int64_t n) {
            const PeerEntry fresh{occupation, region, attribute, value, n};
            while (more && stored().key() < fresh.key()) {
                take_gone();
            }
            if (more && stored().key() == fresh.key()) {
                if (const std::int64_t was = sqlite3_column_int64(q.get(), 4); was != n) {
                    changed.emplace_back(fresh, n - was);
                }
                more = q.step();
            } else {
                changed.emplace_back(fresh, n);
            }
        });
        while (more) {
            take_gone();
        }
    }
    for (const auto& [entry, by] : changed) {
        patch.add(entry, by);
    }
    for (const Gone& g : gone) {
        patch.add({g.occupation, g.region, g.attribute, g.value, 0}, -g.n);
    }
}

// Full kinds replace their peer cells; the others patch theirs with delta.
void write_peer_cells(SQLite::Database& db, std::int64_t scan_id, const ScanAggregates& aggregates,
                      const model::PerKind<bool>& full, const ScanAggregates& delta) {
    for (Kind k : model::k_all_kinds) {
        if (full[static_cast<std::size_t>(k)]) {
            replace_peers(db, scan_id, k, aggregates);
        } else {
            PeerPatcher patch(db, k, scan_id);
            for (const PeerEntry& e : peer_entries(k, delta)) {
                patch.add(e, e.n);
            }
        }
    }
}

bool full_kind(const std::string& group_key, const model::PerKind<bool>& full) {
    const auto kind = model::parse_kind(engine::split_key(group_key)[0]);
    return kind && full[static_cast<std::size_t>(*kind)];
}

// The groups after the scan: those of `aggregates` for full kinds, the
// previous scan's plus `delta` for the others.
ScanAggregates complete_groups(SQLite::Database& db, const ScanAggregates& aggregates,
                               const model::PerKind<bool>& full, std::int64_t previous_scan_id,
                               const ScanAggregates& delta) {
    ScanAggregates out;
    auto& groups = out.groups();
    if (std::find(full.begin(), full.end(), false) != full.end()) {
        read_groups(db, previous_scan_id, groups);
        std::erase_if(groups, [&](const auto& group) { return full_kind(group.first, full); });
        for (const auto& [key, stats] : delta.groups()) {
            if (!full_kind(key, full)) {
                groups[key].merge(stats);
            }
        }
    }
    for (const auto& [key, stats] : aggregates.groups()) {
        if (full_kind(key, full)) {
            groups.insert_or_assign(key, stats);
        }
    }
    out.drop_empty();
    return out;
}

void read_peer_cells(SQLite::Database& db, ScanAggregates& out) {
    SQLite::Statement p(db, "SELECT kind, occupation, region, attribute, value, count FROM peer_stat");
    while (p.executeStep()) {
        const std::string cell = ScanAggregates::peer_key(*model::parse_kind(p.getColumn(0).getString()),
                                                          p.getColumn(1).getString(), p.getColumn(2).getString());
        out.peers()[cell][p.getColumn(3).getString() + '\x1f' + p.getColumn(4).getString()] =
            p.getColumn(5).getInt64();
    }
}

}  // namespace

std::vector<std::string> version_3_group_columns() {
    std::vector<std::string> columns;
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        const std::string name(rules::dimension_name(static_cast<rules::Dimension>(d)));
        columns.push_back(name + "_tenths");
        columns.push_back(name + "_records");
    }
    columns.push_back("profiles");
    columns.push_back("profiles_failing");
    return columns;
}

void write_groups(SQLite::Database& db, std::int64_t scan_id, const ScanAggregates& groups) {
    std::string placeholders;
    for (std::size_t i = 0; i < k_group_figures; ++i) {
        placeholders += ",?";
    }
    SQLite::Statement g(db, "INSERT INTO scan_group (scan_id, kind, split, value, score_sum, avg_score, " +
                                group_columns() + ") VALUES (?,?,?,?,0,0" + placeholders + ")");
    SQLite::Statement r(db, "INSERT INTO scan_rule (scan_id, kind, split, value, rule_id, failing, not_applicable) "
                            "VALUES (?,?,?,?,?,?,?)");
    for (const auto& [key, stats] : groups.groups()) {
        const auto parts = engine::split_key(key);
        g.reset();
        g.bind(1, scan_id);
        for (std::size_t i = 0; i < k_group_key_parts; ++i) {
            g.bind(2 + static_cast<int>(i), std::string(parts[i]));
        }
        const GroupFigures f = figures_of(stats);
        for (std::size_t i = 0; i < f.size(); ++i) {
            g.bind(5 + static_cast<int>(i), f[i]);
        }
        g.exec();
        write_rules(r, scan_id, parts, stats);
    }
    SQLite::Statement averages(db, "UPDATE scan_group SET score_sum = score_tenths / 10.0, avg_score = "
                                   "round(score_tenths / 10.0 / records, 1) WHERE scan_id = ?");
    averages.bind(1, scan_id);
    averages.exec();
}

void read_groups(SQLite::Database& db, std::int64_t scan_id, engine::StringMap<GroupStats>& out) {
    auto group = [&](SQLite::Statement& q) -> GroupStats& {
        return out[ScanAggregates::group_key(*model::parse_kind(q.getColumn(0).getString()),
                                             q.getColumn(1).getString(), q.getColumn(2).getString())];
    };
    SQLite::Statement g(db, "SELECT kind, split, value, " + group_columns() + " FROM scan_group WHERE scan_id = ?");
    g.bind(1, scan_id);
    while (g.executeStep()) {
        GroupFigures f{};
        for (std::size_t i = 0; i < f.size(); ++i) {
            f[i] = g.getColumn(static_cast<int>(3 + i)).getInt64();
        }
        set_figures(group(g), f);
    }
    SQLite::Statement r(db, "SELECT kind, split, value, rule_id, failing, not_applicable FROM scan_rule "
                            "WHERE scan_id = ?");
    r.bind(1, scan_id);
    while (r.executeStep()) {
        GroupStats& s = group(r);
        const std::string rule = r.getColumn(3).getString();
        if (const std::int64_t n = r.getColumn(4).getInt64(); n != 0) {
            s.failing[rule] = n;
        }
        if (const std::int64_t n = r.getColumn(5).getInt64(); n != 0) {
            s.not_applicable[rule] = n;
        }
    }
}

util::Expected<ScanAggregates> StateDb::write_aggregates(std::int64_t scan_id, const ScanAggregates& aggregates,
                                                         const model::PerKind<bool>& full,
                                                         std::int64_t previous_scan_id, const ScanAggregates& delta) {
    try {
        SQLite::Database& db = *m_impl->db;
        ScanAggregates stored = complete_groups(db, aggregates, full, previous_scan_id, delta);
        write_groups(db, scan_id, stored);
        write_peer_cells(db, scan_id, aggregates, full, delta);
        return stored;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": writing aggregates: " + e.what()};
    }
}

util::Expected<ScanAggregates> StateDb::write_aggregates(std::int64_t scan_id, const ScanAggregates& aggregates) {
    return write_aggregates(scan_id, aggregates, {true, true, true}, 0, ScanAggregates{});
}

util::Expected<ScanAggregates> StateDb::read_aggregates(std::int64_t scan_id, AggregateParts parts) {
    try {
        ScanAggregates out;
        read_groups(*m_impl->db, scan_id, out.groups());
        if (parts == AggregateParts::groups_and_peer_cells) {
            read_peer_cells(*m_impl->db, out);
        }
        return out;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading aggregates: " + e.what()};
    }
}

}  // namespace spiegel::store
