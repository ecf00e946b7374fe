// StateDb: per-scan aggregate history (scan_group, scan_rule) and the
// current peer statistics (peer_group, shown by the view peer_stat).
#include <algorithm>
#include <utility>
#include <tuple>

#include "daemon/store/peer_cells.h"
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

// One peer count (kind aside): a row of the view peer_stat.
struct PeerEntry {
    std::string_view occupation, region, attribute, value;
    std::int64_t n = 0;
};

// The peer counts of one kind in `aggregates` (views into it): non-zero,
// each key once, in key order (ScanAggregates::for_each_peer_in_key_order).
std::vector<PeerEntry> peer_entries(Kind kind, const ScanAggregates& aggregates) {
    std::vector<PeerEntry> out;
    aggregates.for_each_peer_in_key_order(kind, [&](std::string_view occupation, std::string_view region,
                                                    std::string_view attribute, std::string_view value,
                                                    std::int64_t n) {
        out.push_back({occupation, region, attribute, value, n});
    });
    return out;
}

// Writes one kind's peer_group rows: the packed counts of a group
// (peer_cells.h), or none for a group without counts.
class PeerGroupWriter {
public:
    PeerGroupWriter(SQLite::Database& db, Kind kind, std::int64_t scan_id)
        : m_kind(model::kind_name(kind)), m_scan_id(scan_id) {
        m_put.prepare(db.getHandle(), "INSERT OR REPLACE INTO peer_group (kind, occupation, region, cells, scan_id) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5)");
        m_drop.prepare(db.getHandle(), "DELETE FROM peer_group WHERE kind = ?1 AND occupation = ?2 AND region = ?3");
        m_get.prepare(db.getHandle(),
                      "SELECT cells FROM peer_group WHERE kind = ?1 AND occupation = ?2 AND region = ?3");
    }
    void put(std::string_view occupation, std::string_view region, std::string_view cells) {
        bind_key(m_put, occupation, region);
        m_put.text(4, cells);
        sqlite3_bind_int64(m_put.get(), 5, m_scan_id);
        m_put.run();
    }
    void drop(std::string_view occupation, std::string_view region) {
        bind_key(m_drop, occupation, region);
        m_drop.run();
    }
    // The stored cells of a group; nullopt when it has none.
    std::optional<std::string> get(std::string_view occupation, std::string_view region) {
        bind_key(m_get, occupation, region);
        std::optional<std::string> out;
        if (m_get.step()) {
            out = column_string(m_get.get(), 0);
        }
        m_get.reset();
        return out;
    }

private:
    void bind_key(RawStatement& st, std::string_view occupation, std::string_view region) {
        st.text(1, m_kind);
        st.text(2, occupation);
        st.text(3, region);
    }

    std::string_view m_kind;
    std::int64_t m_scan_id;
    RawStatement m_put, m_drop, m_get;
};

// Calls fn(occupation, region, cells) for every group of `kind` in
// `aggregates`, in key order, with its counts packed.
void for_each_packed_group(Kind kind, const ScanAggregates& aggregates,
                           const std::function<void(std::string_view, std::string_view, const std::string&)>& fn) {
    std::string occupation, region, cells;
    std::optional<PeerCellsEncoder> encoder;
    const auto flush = [&] {
        if (encoder) {
            encoder->finish();
            fn(occupation, region, cells);
            encoder.reset();
        }
    };
    aggregates.for_each_peer_in_key_order(kind, [&](std::string_view o, std::string_view r, std::string_view attribute,
                                                    std::string_view value, std::int64_t n) {
        if (!encoder || o != occupation || r != region) {
            flush();
            occupation.assign(o);
            region.assign(r);
            cells.clear();
            encoder.emplace(cells);
        }
        encoder->add(attribute, value, n);
    });
    flush();
}

// A full kind's groups become exactly `aggregates`' without rewriting
// them: the stored groups (read in primary-key order) are merged with the
// new ones (the same order) and only those whose cells differ are written,
// so a rescan of unchanged data writes no peer row. With no stored group
// (a first scan) the groups are inserted in key order: appending to the
// B-tree.
void replace_peers(SQLite::Database& db, std::int64_t scan_id, Kind kind, const ScanAggregates& aggregates) {
    const std::string name(model::kind_name(kind));
    PeerGroupWriter writer(db, kind, scan_id);
    {
        SQLite::Statement any(db, "SELECT 1 FROM peer_group WHERE kind = ? LIMIT 1");
        any.bind(1, name);
        if (!any.executeStep()) {
            for_each_packed_group(kind, aggregates, [&](std::string_view occupation, std::string_view region,
                                                        const std::string& cells) {
                writer.put(occupation, region, cells);
            });
            return;
        }
    }
    // The differences are collected and written after the walk (a table is
    // not written while a statement walks it).
    struct Change {
        std::string occupation, region;
        std::optional<std::string> cells;  // nullopt: the group has no counts any more
    };
    std::vector<Change> changes;
    {
        RawStatement q;
        q.prepare(db.getHandle(), "SELECT occupation, region, cells FROM peer_group WHERE kind = ?1 "
                                  "ORDER BY occupation, region");
        q.text(1, name);
        bool more = q.step();
        const auto stored_key = [&q] { return std::pair{column_text(q.get(), 0), column_text(q.get(), 1)}; };
        const auto take_gone = [&] {
            changes.push_back({column_string(q.get(), 0), column_string(q.get(), 1), std::nullopt});
            more = q.step();
        };
        for_each_packed_group(kind, aggregates, [&](std::string_view occupation, std::string_view region,
                                                    const std::string& cells) {
            const std::pair key{occupation, region};
            while (more && stored_key() < key) {
                take_gone();
            }
            if (more && stored_key() == key) {
                if (column_text(q.get(), 2) != cells) {
                    changes.push_back({std::string(occupation), std::string(region), cells});
                }
                more = q.step();
            } else {
                changes.push_back({std::string(occupation), std::string(region), cells});
            }
        });
        while (more) {
            take_gone();
        }
    }
    for (const Change& c : changes) {
        if (c.cells) {
            writer.put(c.occupation, c.region, *c.cells);
        } else {
            writer.drop(c.occupation, c.region);
        }
    }
}

// An incremental kind's groups are patched by `delta`: each group the
// delta touches is read, its counts added to, cells that reach 0 left out,
// and written back (or removed when no count is left).
void patch_peers(SQLite::Database& db, std::int64_t scan_id, Kind kind, const ScanAggregates& delta) {
    const std::vector<PeerEntry> entries = peer_entries(kind, delta);
    if (entries.empty()) {
        return;
    }
    PeerGroupWriter writer(db, kind, scan_id);
    struct Stored {
        std::string attribute, value;
        std::int64_t n;
        auto key() const { return std::tie(attribute, value); }
    };
    std::vector<Stored> stored;
    std::string cells;
    for (std::size_t begin = 0; begin < entries.size();) {
        const PeerEntry& first = entries[begin];
        std::size_t end = begin;
        while (end < entries.size() && entries[end].occupation == first.occupation &&
               entries[end].region == first.region) {
            ++end;
        }
        stored.clear();
        if (const auto text = writer.get(first.occupation, first.region)) {
            for_each_group_cell(*text, model::kind_name(kind), first.occupation, first.region,
                [&](std::string_view attribute, std::string_view value, std::int64_t n) {
                    stored.push_back({std::string(attribute), std::string(value), n});
                });
        }
        // The scan writes groups in byte order; one written by hand through
        // the view need not be.
        const auto by_key = [](const Stored& a, const Stored& b) { return a.key() < b.key(); };
        if (!std::is_sorted(stored.begin(), stored.end(), by_key)) {
            std::sort(stored.begin(), stored.end(), by_key);
        }
        // Both in key order: merged, each key once.
        cells.clear();
        PeerCellsEncoder encoder(cells);
        const auto emit = [&encoder](std::string_view attribute, std::string_view value, std::int64_t n) {
            if (n != 0) {
                encoder.add(attribute, value, n);
            }
        };
        std::size_t s = 0;
        for (std::size_t i = begin; i < end; ++i) {
            const PeerEntry& e = entries[i];
            const auto stored_before_e = [&e](const Stored& c) {
                return std::pair<std::string_view, std::string_view>(c.attribute, c.value) <
                       std::pair(e.attribute, e.value);
            };
            while (s < stored.size() && stored_before_e(stored[s])) {
                emit(stored[s].attribute, stored[s].value, stored[s].n);
                ++s;
            }
            if (s < stored.size() && stored[s].attribute == e.attribute && stored[s].value == e.value) {
                emit(e.attribute, e.value, stored[s].n + e.n);
                ++s;
            } else {
                emit(e.attribute, e.value, e.n);
            }
        }
        for (; s < stored.size(); ++s) {
            emit(stored[s].attribute, stored[s].value, stored[s].n);
        }
        if (encoder.empty()) {
            writer.drop(first.occupation, first.region);
        } else {
            encoder.finish();
            writer.put(first.occupation, first.region, cells);
        }
        begin = end;
    }
}

// Full kinds replace their peer groups; the others patch theirs with delta.
void write_peer_cells(SQLite::Database& db, std::int64_t scan_id, const ScanAggregates& aggregates,
                      const model::PerKind<bool>& full, const ScanAggregates& delta) {
    for (Kind k : model::k_all_kinds) {
        if (full[static_cast<std::size_t>(k)]) {
            replace_peers(db, scan_id, k, aggregates);
        } else {
            patch_peers(db, scan_id, k, delta);
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
    SQLite::Statement p(db, "SELECT kind, occupation, region, cells FROM peer_group");
    while (p.executeStep()) {
        const auto kind = model::parse_kind(p.getColumn(0).getString());
        if (!kind) {
            throw SchemaError("peer_group holds a row of an unknown kind");
        }
        engine::PeerCell& cell =
            out.peers()[ScanAggregates::peer_key(*kind, p.getColumn(1).getString(), p.getColumn(2).getString())];
        const char* cells = p.getColumn(3).getText();
        for_each_group_cell(cells, p.getColumn(0).getText(), p.getColumn(1).getText(), p.getColumn(2).getText(),
            [&](std::string_view attribute, std::string_view value, std::int64_t n) {
                std::string key(attribute);
                key += '\x1f';
                key += value;
                cell[key] += n;
            });
    }
}

}  // namespace

std::string peer_group_table_sql() {
    return "CREATE TABLE IF NOT EXISTS peer_group (\n"
           "  kind TEXT NOT NULL,              -- cv or vacancy\n"
           "  occupation TEXT NOT NULL,        -- 4-digit ISCO-08 code\n"
           "  region TEXT NOT NULL,            -- '' = all regions\n"
           "  cells TEXT NOT NULL,             -- {attribute: {value: count}}, JSON (docs/state-schema.md)\n"
           "  scan_id INTEGER NOT NULL,        -- the scan that last changed the group\n"
           "  PRIMARY KEY (kind, occupation, region)\n"
           ") WITHOUT ROWID;\n";
}

std::string peer_stat_view_sql() {
    // SQL: x is text that JSON writes as it is (no escape).
    const auto plain = [](const std::string& x) {
        return "json_quote(CAST(" + x + " AS TEXT)) = '\"' || CAST(" + x + " AS TEXT) || '\"'";
    };
    const std::string refusal =
        "peer_stat: through this view an attribute or value cannot hold a double quote, a backslash or a control "
        "character and a count must be a whole number; write such a row into peer_group";
    return "CREATE VIEW IF NOT EXISTS peer_stat (kind, occupation, region, attribute, value, count, scan_id) AS\n"
           "  SELECT g.kind, g.occupation, g.region, a.key, v.key, v.value, g.scan_id\n"
           "  FROM peer_group AS g, json_each(g.cells) AS a, json_each(a.value) AS v;\n"
           // Rows written by hand (fixtures, repairs) go into their group.
           // Only keys that JSON writes as they are can be named in SQLite's
           // JSON paths (3.40 escapes a quoted label twice), so a row whose
           // attribute or value holds a double quote, a backslash or a
           // control character is refused, as is a count that is not a
           // whole number: refused, never stored otherwise.
           "CREATE TRIGGER IF NOT EXISTS peer_stat_insert INSTEAD OF INSERT ON peer_stat BEGIN\n"
           "  SELECT RAISE(ABORT, '" + refusal + "')\n"
           "  WHERE NEW.attribute IS NULL OR NEW.value IS NULL OR NEW.count IS NULL\n"
           "    OR NOT (" + plain("NEW.attribute") + ") OR NOT (" + plain("NEW.value") + ")\n"
           "    OR CAST(CAST(NEW.count AS INTEGER) AS TEXT) <> CAST(NEW.count AS TEXT);\n"
           "  SELECT RAISE(ABORT, 'UNIQUE constraint failed: peer_stat.kind, peer_stat.occupation, peer_stat.region, "
           "peer_stat.attribute, peer_stat.value')\n"
           "  WHERE EXISTS (SELECT 1 FROM peer_stat WHERE kind = NEW.kind AND occupation = NEW.occupation\n"
           "    AND region = NEW.region AND attribute = CAST(NEW.attribute AS TEXT)\n"
           "    AND value = CAST(NEW.value AS TEXT));\n"
           "  INSERT OR IGNORE INTO peer_group VALUES (NEW.kind, NEW.occupation, NEW.region, '{}', NEW.scan_id);\n"
           "  UPDATE peer_group SET scan_id = max(scan_id, NEW.scan_id),\n"
           "    cells = json_set(cells, '$.\"' || CAST(NEW.attribute AS TEXT) || '\"', json_set(\n"
           "      coalesce(cells -> ('$.\"' || CAST(NEW.attribute AS TEXT) || '\"'), '{}'),\n"
           "      '$.\"' || CAST(NEW.value AS TEXT) || '\"', CAST(NEW.count AS INTEGER)))\n"
           "  WHERE kind = NEW.kind AND occupation = NEW.occupation AND region = NEW.region;\n"
           "END;\n"
           "CREATE TRIGGER IF NOT EXISTS peer_stat_update INSTEAD OF UPDATE OF count ON peer_stat BEGIN\n"
           "  SELECT RAISE(ABORT, '" + refusal + "')\n"
           "  WHERE NEW.count IS NULL OR NOT (" + plain("OLD.attribute") + ") OR NOT (" + plain("OLD.value") + ")\n"
           "    OR CAST(CAST(NEW.count AS INTEGER) AS TEXT) <> CAST(NEW.count AS TEXT);\n"
           "  UPDATE peer_group SET cells = json_set(cells, '$.\"' || OLD.attribute || '\".\"' || OLD.value || '\"', "
           "CAST(NEW.count AS INTEGER))\n"
           "  WHERE kind = OLD.kind AND occupation = OLD.occupation AND region = OLD.region;\n"
           "END;\n"
           "CREATE TRIGGER IF NOT EXISTS peer_stat_delete INSTEAD OF DELETE ON peer_stat BEGIN\n"
           "  SELECT RAISE(ABORT, '" + refusal + "')\n"
           "  WHERE NOT (" + plain("OLD.attribute") + ") OR NOT (" + plain("OLD.value") + ");\n"
           "  UPDATE peer_group\n"
           "  SET cells = json_remove(cells, '$.\"' || OLD.attribute || '\".\"' || OLD.value || '\"')\n"
           "  WHERE kind = OLD.kind AND occupation = OLD.occupation AND region = OLD.region;\n"
           "  UPDATE peer_group SET cells = json_remove(cells, '$.\"' || OLD.attribute || '\"')\n"
           "  WHERE kind = OLD.kind AND occupation = OLD.occupation AND region = OLD.region\n"
           "    AND cells -> ('$.\"' || OLD.attribute || '\"') = '{}';\n"
           "  DELETE FROM peer_group WHERE kind = OLD.kind AND occupation = OLD.occupation AND region = OLD.region\n"
           "    AND cells = '{}';\n"
           "END;\n";
}

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
