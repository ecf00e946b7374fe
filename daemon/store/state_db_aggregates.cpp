// StateDb: per-scan aggregate history (scan_group, scan_rule) and the
// current peer statistics (peer_stat).
#include <cmath>

#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

using engine::GroupStats;
using engine::ScanAggregates;

void write_group(SQLite::Statement& g, SQLite::Statement& r, std::int64_t scan_id,
                 const std::vector<std::string_view>& key, const GroupStats& s) {
    g.reset();
    int p = 1;
    g.bind(p++, scan_id);
    for (int i = 0; i < 3; ++i) {
        g.bind(p++, std::string(key[static_cast<std::size_t>(i)]));
    }
    g.bind(p++, s.records);
    g.bind(p++, s.unreadable);
    const double sum = static_cast<double>(s.score_tenths) / 10.0;
    g.bind(p++, sum);
    g.bind(p++, s.records ? std::round(sum / static_cast<double>(s.records) * 10.0) / 10.0 : 0.0);
    std::int64_t cumulative = 0;
    for (std::int64_t b : s.buckets) {
        cumulative += b;
        g.bind(p++, cumulative);
    }
    g.exec();
    for (const auto& [rule, n] : s.failing) {
        r.reset();
        r.bind(1, scan_id);
        for (int i = 0; i < 3; ++i) {
            r.bind(2 + i, std::string(key[static_cast<std::size_t>(i)]));
        }
        r.bind(5, rule);
        r.bind(6, n);
        r.exec();
    }
}

}  // namespace

util::Status StateDb::write_aggregates(std::int64_t scan_id, const ScanAggregates& aggregates) {
    try {
        SQLite::Database& db = *m_impl->db;
        SQLite::Statement g(db, "INSERT OR REPLACE INTO scan_group (scan_id, kind, split, value, records, "
                                "unreadable, score_sum, avg_score, le_10, le_20, le_30, le_40, le_50, "
                                "le_60, le_70, le_80, le_90, le_100) VALUES "
                                "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        SQLite::Statement r(db, "INSERT OR REPLACE INTO scan_rule (scan_id, kind, split, value, rule_id, "
                                "failing) VALUES (?,?,?,?,?,?)");
        for (const auto& [key, stats] : aggregates.groups()) {
            write_group(g, r, scan_id, engine::split_key(key), stats);
        }
        db.exec("DELETE FROM peer_stat");
        SQLite::Statement p(db, "INSERT INTO peer_stat (kind, occupation, region, attribute, value, count, "
                                "scan_id) VALUES (?,?,?,?,?,?,?)");
        for (const auto& [cell_key, cell] : aggregates.peers()) {
            const auto ck = engine::split_key(cell_key);
            for (const auto& [attr_key, n] : cell) {
                const auto ak = engine::split_key(attr_key);
                p.reset();
                p.bind(1, std::string(ck[0]));
                p.bind(2, std::string(ck[1]));
                p.bind(3, std::string(ck[2]));
                p.bind(4, std::string(ak[0]));
                p.bind(5, std::string(ak.size() > 1 ? ak[1] : std::string_view{}));
                p.bind(6, n);
                p.bind(7, scan_id);
                p.exec();
            }
        }
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": writing aggregates: " + e.what()};
    }
}

util::Expected<ScanAggregates> StateDb::read_aggregates(std::int64_t scan_id) {
    try {
        SQLite::Database& db = *m_impl->db;
        ScanAggregates out;
        auto kind_of = [](const std::string& name) { return *model::parse_kind(name); };
        SQLite::Statement g(db, "SELECT kind, split, value, records, unreadable, score_sum, le_10, le_20, "
                                "le_30, le_40, le_50, le_60, le_70, le_80, le_90, le_100 FROM scan_group "
                                "WHERE scan_id = ?");
        g.bind(1, scan_id);
        while (g.executeStep()) {
            GroupStats& s = out.groups()[ScanAggregates::group_key(
                kind_of(g.getColumn(0).getString()), g.getColumn(1).getString(), g.getColumn(2).getString())];
            s.records = g.getColumn(3).getInt64();
            s.unreadable = g.getColumn(4).getInt64();
            s.score_tenths = std::llround(g.getColumn(5).getDouble() * 10.0);
            std::int64_t previous = 0;
            for (std::size_t b = 0; b < engine::k_histogram_buckets; ++b) {
                const std::int64_t c = g.getColumn(static_cast<int>(6 + b)).getInt64();
                s.buckets[b] = c - previous;
                previous = c;
            }
        }
        SQLite::Statement r(db, "SELECT kind, split, value, rule_id, failing FROM scan_rule WHERE scan_id = ?");
        r.bind(1, scan_id);
        while (r.executeStep()) {
            out.groups()[ScanAggregates::group_key(kind_of(r.getColumn(0).getString()),
                                                   r.getColumn(1).getString(), r.getColumn(2).getString())]
                .failing[r.getColumn(3).getString()] = r.getColumn(4).getInt64();
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
