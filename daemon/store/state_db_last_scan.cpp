// StateDb: the scan history and the last completed scan's aggregates, as
// the metrics snapshot takes them (docs/metrics.md).
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {

void ScanHistory::add_completed(const ScanInfo& scan) {
    last = scan;
    (scan.full ? last_full : last_incremental) = scan;
    last_attempt_success = true;
}

util::Expected<ScanHistory> StateDb::read_scan_history() {
    SQLite::Database& db = *m_impl->db;
    ScanHistory history;
    constexpr const char* k_last = " ORDER BY id DESC LIMIT 1";
    for (auto [where, target] : {std::pair{"WHERE status = 'ok'", &history.last},
                                 std::pair{"WHERE status = 'ok' AND type = 'full'", &history.last_full},
                                 std::pair{"WHERE status = 'ok' AND type = 'incremental'", &history.last_incremental}}) {
        auto scan = query_scan(db, m_path, std::string(where) + k_last, 0);
        if (!scan) {
            return scan.error();
        }
        *target = std::move(*scan);
    }
    try {
        SQLite::Statement q(db, std::string("SELECT status FROM scan WHERE status IN ('ok', 'failed')") + k_last);
        if (q.executeStep()) {
            history.last_attempt_success = q.getColumn(0).getString() == "ok";
        }
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading scans: " + e.what()};
    }
    return history;
}

util::Expected<LastScan> StateDb::read_last_scan() {
    SQLite::Database& db = *m_impl->db;
    try {
        SQLite::Transaction read(db);  // deferred: one consistent state; rolled back, nothing was written
        auto history = read_scan_history();
        if (!history) {
            return history.error();
        }
        LastScan out{std::move(*history), {}};
        if (out.history.last) {
            auto groups = read_aggregates(out.history.last->id, AggregateParts::groups);
            if (!groups) {
                return groups.error();
            }
            out.aggregates = std::move(*groups);
        }
        return out;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading the last scan: " + e.what()};
    }
}

util::Expected<LastScan> read_last_scan(const std::string& path) {
    auto state = StateDb::open_read_only(path);
    if (!state) {
        return state.error();
    }
    return (*state)->read_last_scan();
}

}  // namespace spiegel::store
