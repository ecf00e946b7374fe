// StateDb: per-scan aggregate history (scan_group, scan_rule) and the
// current peer statistics (peer_stat).
#include <cmath>

#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

using engine::GroupStats;
using engine::ScanAggregates;
using model::Kind;

// Upserts add to what is there, so the same statements write fresh rows
// (full kinds) and apply deltas on copied rows (incremental kinds).
constexpr const char* k_group_upsert =
    "INSERT INTO scan_group (scan_id, kind, split, value, records, unreadable, score_tenths, score_sum, "
    "avg_score, le_10, le_20, le_30, le_40, le_50, le_60, le_70, le_80, le_90, le_100, rated) VALUES "
    "(?,?,?,?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET records = records + excluded.records, "
    "unreadable = unreadable + excluded.unreadable, score_tenths = score_tenths + excluded.score_tenths, "
    "le_10 = le_10 + excluded.le_10, le_20 = le_20 + excluded.le_20, le_30 = le_30 + excluded.le_30, "
    "le_40 = le_40 + excluded.le_40, le_50 = le_50 + excluded.le_50, le_60 = le_60 + excluded.le_60, "
    "le_70 = le_70 + excluded.le_70, le_80 = le_80 + excluded.le_80, le_90 = le_90 + excluded.le_90, "
    "le_100 = le_100 + excluded.le_100, rated = rated + excluded.rated";
constexpr const char* k_rule_upsert =
    "INSERT INTO scan_rule (scan_id, kind, split, value, rule_id, failing, not_applicable) VALUES (?,?,?,?,?,?,?) "
    "ON CONFLICT DO UPDATE SET failing = failing + excluded.failing, "
    "not_applicable = not_applicable + excluded.not_applicable";
constexpr const char* k_peer_upsert =
    "INSERT INTO peer_stat (kind, occupation, region, attribute, value, count, scan_id) VALUES (?,?,?,?,?,?,?) "
    "ON CONFLICT DO UPDATE SET count = count + excluded.count, scan_id = excluded.scan_id";

struct Writers {
    SQLite::Statement group;
    SQLite::Statement rule;
    SQLite::Statement peer;
};

void write_group(Writers& w, std::int64_t scan_id, const std::vector<std::string_view>& key, const GroupStats& s) {
    SQLite::Statement& g = w.group;
    g.reset();
    int p = 1;
    g.bind(p++, scan_id);
    for (std::size_t i = 0; i < 3; ++i) {
        g.bind(p++, std::string(key[i]));
    }
    g.bind(p++, s.records);
    g.bind(p++, s.unreadable);
    g.bind(p++, s.score_tenths);
    std::int64_t cumulative = 0;
    for (std::int64_t b : s.buckets) {
        cumulative += b;
        g.bind(p++, cumulative);
    }
    g.bind(p++, s.rated);
    g.exec();
    auto write_rule = [&](const std::string& rule, std::int64_t failing, std::int64_t not_applicable) {
        SQLite::Statement& r = w.rule;
        r.reset();
        r.bind(1, scan_id);
        for (std::size_t i = 0; i < 3; ++i) {
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

// Writes (adds) the groups and peer cells of one kind.
void write_kind(Writers& w, std::int64_t scan_id, Kind kind, const ScanAggregates& aggregates) {
    const std::string_view name = model::kind_name(kind);
    for (const auto& [key, stats] : aggregates.groups()) {
        const auto parts = engine::split_key(key);
        if (parts[0] == name) {
            write_group(w, scan_id, parts, stats);
        }
    }
    aggregates.for_each_peer([&](std::string_view cell_key, std::string_view attribute, std::string_view value,
                                 std::int64_t n) {
        const auto ck = engine::split_key(cell_key);
        if (ck[0] != name) {
            return;
        }
        SQLite::Statement& p = w.peer;
        p.reset();
        p.bind(1, std::string(ck[0]));
        p.bind(2, std::string(ck[1]));
        p.bind(3, std::string(ck[2]));
        p.bind(4, std::string(attribute));
        p.bind(5, std::string(value));
        p.bind(6, n);
        p.bind(7, scan_id);
        p.exec();
    });
}

void copy_previous(SQLite::Database& db, std::int64_t scan_id, std::int64_t previous, Kind kind) {
    constexpr const char* k_group_columns = "kind, split, value, records, unreadable, score_tenths, score_sum, "
                                            "avg_score, le_10, le_20, le_30, le_40, le_50, le_60, le_70, le_80, "
                                            "le_90, le_100, rated";
    SQLite::Statement g(db, std::string("INSERT INTO scan_group (scan_id, ") + k_group_columns + ") SELECT ?1, " +
                                k_group_columns + " FROM scan_group WHERE scan_id = ?2 AND kind = ?3");
    SQLite::Statement r(db, "INSERT INTO scan_rule (scan_id, kind, split, value, rule_id, failing, not_applicable) "
                            "SELECT ?1, kind, split, value, rule_id, failing, not_applicable "
                            "FROM scan_rule WHERE scan_id = ?2 AND kind = ?3");
    for (SQLite::Statement* q : {&g, &r}) {
        q->bind(1, scan_id);
        q->bind(2, previous);
        q->bind(3, std::string(model::kind_name(kind)));
        q->exec();
    }
}

void finalise(SQLite::Database& db, std::int64_t scan_id) {
    for (const char* sql : {"DELETE FROM scan_group WHERE scan_id = ?1 AND records = 0",
                            "DELETE FROM scan_rule WHERE scan_id = ?1 AND failing = 0 AND not_applicable = 0",
                            "DELETE FROM peer_stat WHERE count = 0 AND ?1 = ?1",
                            "UPDATE scan_group SET score_sum = score_tenths / 10.0, avg_score = "
                            "round(score_tenths / 10.0 / records, 1) WHERE scan_id = ?1"}) {
        SQLite::Statement q(db, sql);
        q.bind(1, scan_id);
        q.exec();
    }
}

}  // namespace

util::Status StateDb::write_aggregates(std::int64_t scan_id, const ScanAggregates& aggregates,
                                       const std::array<bool, 3>& full, std::int64_t previous_scan_id,
                                       const ScanAggregates& delta) {
    try {
        SQLite::Database& db = *m_impl->db;
        Writers w{SQLite::Statement(db, k_group_upsert), SQLite::Statement(db, k_rule_upsert),
                  SQLite::Statement(db, k_peer_upsert)};
        for (Kind k : model::k_all_kinds) {
            if (full[static_cast<std::size_t>(k)]) {
                SQLite::Statement del(db, "DELETE FROM peer_stat WHERE kind = ?");
                del.bind(1, std::string(model::kind_name(k)));
                del.exec();
                write_kind(w, scan_id, k, aggregates);
            } else {
                copy_previous(db, scan_id, previous_scan_id, k);
                write_kind(w, scan_id, k, delta);
            }
        }
        finalise(db, scan_id);
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": writing aggregates: " + e.what()};
    }
}

util::Status StateDb::write_aggregates(std::int64_t scan_id, const ScanAggregates& aggregates) {
    return write_aggregates(scan_id, aggregates, {true, true, true}, 0, ScanAggregates{});
}

util::Expected<ScanAggregates> StateDb::read_aggregates(std::int64_t scan_id) {
    try {
        SQLite::Database& db = *m_impl->db;
        ScanAggregates out;
        auto kind_of = [](const std::string& name) { return *model::parse_kind(name); };
        SQLite::Statement g(db, "SELECT kind, split, value, records, unreadable, score_tenths, le_10, le_20, "
                                "le_30, le_40, le_50, le_60, le_70, le_80, le_90, le_100, rated FROM scan_group "
                                "WHERE scan_id = ?");
        g.bind(1, scan_id);
        while (g.executeStep()) {
            GroupStats& s = out.groups()[ScanAggregates::group_key(
                kind_of(g.getColumn(0).getString()), g.getColumn(1).getString(), g.getColumn(2).getString())];
            s.records = g.getColumn(3).getInt64();
            s.unreadable = g.getColumn(4).getInt64();
            s.score_tenths = g.getColumn(5).getInt64();
            std::int64_t previous = 0;
            for (std::size_t b = 0; b < engine::k_histogram_buckets; ++b) {
                const std::int64_t c = g.getColumn(static_cast<int>(6 + b)).getInt64();
                s.buckets[b] = c - previous;
                previous = c;
            }
            s.rated = g.getColumn(16).getInt64();
        }
        SQLite::Statement r(db, "SELECT kind, split, value, rule_id, failing, not_applicable FROM scan_rule "
                                "WHERE scan_id = ?");
        r.bind(1, scan_id);
        while (r.executeStep()) {
            GroupStats& s = out.groups()[ScanAggregates::group_key(
                kind_of(r.getColumn(0).getString()), r.getColumn(1).getString(), r.getColumn(2).getString())];
            const std::string rule = r.getColumn(3).getString();
            if (const std::int64_t n = r.getColumn(4).getInt64(); n != 0) {
                s.failing[rule] = n;
            }
            if (const std::int64_t n = r.getColumn(5).getInt64(); n != 0) {
                s.not_applicable[rule] = n;
            }
        }
        SQLite::Statement p(db, "SELECT kind, occupation, region, attribute, value, count FROM peer_stat");
        while (p.executeStep()) {
            const std::string cell = ScanAggregates::peer_key(kind_of(p.getColumn(0).getString()),
                                                              p.getColumn(1).getString(),
                                                              p.getColumn(2).getString());
            out.peers()[cell][p.getColumn(3).getString() + '\x1f' + p.getColumn(4).getString()] =
                p.getColumn(5).getInt64();
        }
        return out;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading aggregates: " + e.what()};
    }
}

}  // namespace spiegel::store
