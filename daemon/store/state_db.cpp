#include "daemon/store/state_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <charconv>
#include <optional>

#include "daemon/store/connection.h"
#include "daemon/store/state_db_internal.h"
#include "daemon/util/time.h"

namespace spiegel::store {

using engine::ResultRow;
using model::Kind;

std::string state_schema_sql() {
    std::string sql =
        "CREATE TABLE IF NOT EXISTS state_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
        "CREATE TABLE IF NOT EXISTS scan (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  type TEXT NOT NULL,              -- full or incremental\n"
        "  as_of TEXT NOT NULL,             -- the scan's notion of now, RFC 3339 UTC\n"
        "  started_at TEXT NOT NULL,        -- wall clock, RFC 3339 UTC\n"
        "  finished_at TEXT,\n"
        "  status TEXT NOT NULL,            -- running, ok, failed, interrupted\n"
        "  source_seq INTEGER,              -- source change watermark read before scanning\n"
        "  rules_fingerprint TEXT,          -- hash of the rule files; a change forces a full scan\n"
        "  cross_fingerprint INTEGER,       -- the cross-record index the stored results were judged with; NULL unknown\n";
    for (Kind k : model::k_all_kinds) {
        const std::string n(model::kind_name(k));
        sql += "  " + n + "_full INTEGER NOT NULL DEFAULT 0,      -- 1: every " + n + " was scanned\n";
        sql += "  " + n + "_records INTEGER NOT NULL DEFAULT 0,   -- " + n + " records evaluated\n";
        sql += "  " + n + "_unreadable INTEGER NOT NULL DEFAULT 0,\n";
        sql += "  " + n + "_deleted INTEGER NOT NULL DEFAULT 0,\n";
    }
    sql +=
        "  duration_ms INTEGER,\n"
        "  error TEXT                       -- reason of a failed scan\n"
        ");\n"
        "CREATE TABLE IF NOT EXISTS result (\n"
        "  kind TEXT NOT NULL,              -- cv, vacancy, employer\n"
        "  id TEXT NOT NULL,\n"
        "  scan_id INTEGER NOT NULL,        -- the scan that last wrote the record's result (docs/state-schema.md)\n"
        "  score REAL NOT NULL,             -- 0..100, one decimal\n"
        "  failed TEXT NOT NULL,            -- failed rule ids joined by ',' ('' = none)\n"
        "  completeness REAL, validity REAL, consistency REAL,\n"
        "  timeliness REAL, uniqueness REAL, privacy REAL,  -- NULL: no rule of it applies\n"
        "  unreadable INTEGER NOT NULL,     -- 1: a stored value could not be read\n"
        "  region TEXT NOT NULL,            -- labour-market region code, '' missing\n"
        "  target_groups TEXT NOT NULL,     -- codes joined by ','\n"
        "  occupation TEXT NOT NULL,        -- cv: first desired ISCO code; vacancy: occupation_code\n"
        "  visible INTEGER,                 -- cv\n"
        "  education TEXT,                  -- cv: highest level; vacancy: required level\n"
        "  birth_bucket TEXT,               -- cv\n"
        "  hours_bucket TEXT,               -- cv: hours_per_day bucket\n"
        "  skills TEXT,                     -- cv: normalised skills joined by char(31)\n"
        "  licences TEXT,                   -- cv: joined by char(31)\n"
        "  co_occupations TEXT,             -- cv: other desired codes joined by char(31)\n"
        "  open INTEGER,                    -- vacancy: open or anoniem, closing date not passed\n"
        "  salary INTEGER,                  -- vacancy: a salary is stated\n"
        "  hours_min TEXT, hours_max TEXT,  -- vacancy: hours per week\n"
        "  not_applicable TEXT,             -- enabled rules that do not apply, joined by ','; NULL: not known\n"
        "  source_row INTEGER,              -- the record's row id in the source when evaluated; NULL unknown\n"
        "  digest INTEGER,                  -- XXH3 of the result's fields (engine::result_digest); NULL unknown\n"
        "  content_hash INTEGER,            -- XXH3 of the stored values evaluated (model::Record::content_hash); NULL unknown\n"
        "  valid_until INTEGER,             -- the result holds for that content until this instant (seconds); NULL: evaluate again\n"
        "  score_as_of TEXT,                -- as_of of the scan from which the record has had this score: its trend's newest point; NULL unknown\n"
        "  PRIMARY KEY (kind, id)\n"
        ") WITHOUT ROWID;\n"
        "CREATE TABLE IF NOT EXISTS scan_group (\n"
        "  scan_id INTEGER NOT NULL, kind TEXT NOT NULL,\n"
        "  split TEXT NOT NULL,             -- all, region, target_group, isco_major\n"
        "  value TEXT NOT NULL,             -- '' for split all and for a missing value\n"
        "  records INTEGER NOT NULL, unreadable INTEGER NOT NULL,\n"
        "  score_tenths INTEGER NOT NULL,   -- sum of scores in tenths (exact)\n"
        "  score_sum REAL NOT NULL,         -- score_tenths / 10\n"
        "  avg_score REAL NOT NULL,         -- score_sum / records, one decimal\n"
        "  le_10 INTEGER NOT NULL, le_20 INTEGER NOT NULL, le_30 INTEGER NOT NULL,\n"
        "  le_40 INTEGER NOT NULL, le_50 INTEGER NOT NULL, le_60 INTEGER NOT NULL,\n"
        "  le_70 INTEGER NOT NULL, le_80 INTEGER NOT NULL, le_90 INTEGER NOT NULL,\n"
        "  le_100 INTEGER NOT NULL,         -- cumulative: records with score <= bound\n"
        "  rated INTEGER NOT NULL DEFAULT 0, -- records whose not-applicable rules are known\n"
        "  -- per dimension: sum of the scores in tenths and records, where it applies;\n"
        "  -- profiles: CVs of target group banenafspraak, profiles_failing: of those failing\n"
        "  -- cv.banenafspraak.complete\n";
    for (const std::string& column : version_3_group_columns()) {
        sql += "  " + column + " INTEGER NOT NULL DEFAULT 0,\n";
    }
    sql +=
        "  PRIMARY KEY (scan_id, kind, split, value)\n"
        ") WITHOUT ROWID;\n"
        "CREATE TABLE IF NOT EXISTS scan_rule (\n"
        "  scan_id INTEGER NOT NULL, kind TEXT NOT NULL, split TEXT NOT NULL, value TEXT NOT NULL,\n"
        "  rule_id TEXT NOT NULL,\n"
        "  failing INTEGER NOT NULL,        -- records of the group failing the rule\n"
        "  not_applicable INTEGER NOT NULL DEFAULT 0,  -- rated records the rule does not apply to\n"
        "  PRIMARY KEY (scan_id, kind, split, value, rule_id)\n"
        ") WITHOUT ROWID;\n";
    sql += peer_group_table_sql();
    sql += peer_stat_view_sql();
    sql += score_history_sql();
    return sql;
}

StateDb::StateDb(std::string path) : m_impl(std::make_unique<Impl>()), m_path(std::move(path)) {}

StateDb::~StateDb() {
    m_impl->upsert.finalize();
    m_impl->db.reset();
}

util::Expected<std::unique_ptr<StateDb>> StateDb::open(const std::string& path) {
    return open(path, std::chrono::milliseconds(k_busy_timeout_ms));
}

util::Expected<std::unique_ptr<StateDb>> StateDb::open(const std::string& path, std::chrono::milliseconds lock_wait) {
    std::unique_ptr<StateDb> self(new StateDb(path));
    try {
        self->m_impl->db.emplace(open_for_writing(path));
        SQLite::Database& db = *self->m_impl->db;
        db.exec("PRAGMA cache_size=-8192");
        db.exec("PRAGMA temp_store=MEMORY");
        db.setBusyTimeout(static_cast<int>(lock_wait.count()));
        auto tx = WriteTransaction::begin(db, path);  // rolls back if anything below throws
        if (!tx) {
            return tx.error();
        }
        create_or_migrate_state(db);
        if (auto committed = tx->commit(); !committed) {
            return committed.error();
        }
        db.setBusyTimeout(k_busy_timeout_ms);
    } catch (const std::exception& e) {
        return util::Error{path + ": " + e.what()};
    }
    return self;
}

bool write_blocked(const std::string& path) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    bool blocked = false;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 0);
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    const int primary = rc & 0xff;
    blocked = primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_READONLY ||
              primary == SQLITE_PERM;
    sqlite3_close(db);
    return blocked;
}

util::Expected<std::unique_ptr<StateDb>> StateDb::open_read_only(const std::string& path) {
    std::unique_ptr<StateDb> self(new StateDb(path));
    try {
        self->m_impl->db.emplace(store::open_read_only(path));
        require_readable_state(*self->m_impl->db);
    } catch (const std::exception& e) {
        return util::Error{path + ": " + e.what()};
    }
    return self;
}

namespace {

ScanInfo scan_from_row(SQLite::Statement& q) {
    ScanInfo s;
    s.id = q.getColumn("id").getInt64();
    s.full = q.getColumn("type").getString() == "full";
    s.as_of = util::parse_timestamp(q.getColumn("as_of").getString()).value_or(0);
    s.started_at = util::parse_timestamp(q.getColumn("started_at").getString()).value_or(0);
    const auto fin = q.getColumn("finished_at");
    s.finished_at = fin.isNull() ? 0 : util::parse_timestamp(fin.getString()).value_or(0);
    s.status = q.getColumn("status").getString();
    s.source_seq = q.getColumn("source_seq").getInt64();
    s.rules_fingerprint = q.getColumn("rules_fingerprint").getString();
    s.summary.cross_fingerprint = static_cast<std::uint64_t>(q.getColumn("cross_fingerprint").getInt64());
    for (Kind k : model::k_all_kinds) {
        const std::string n(model::kind_name(k));
        auto& ks = s.summary.kinds[static_cast<std::size_t>(k)];
        ks.full = q.getColumn((n + "_full").c_str()).getInt() != 0;
        ks.records = q.getColumn((n + "_records").c_str()).getInt64();
        ks.unreadable = q.getColumn((n + "_unreadable").c_str()).getInt64();
        ks.deleted = q.getColumn((n + "_deleted").c_str()).getInt64();
    }
    s.duration_ms = q.getColumn("duration_ms").getInt64();
    s.error = q.getColumn("error").getString();
    return s;
}

}  // namespace

util::Expected<std::optional<ScanInfo>> query_scan(SQLite::Database& db, const std::string& path,
                                                   const std::string& where, std::int64_t arg) {
    try {
        SQLite::Statement q(db, "SELECT * FROM scan " + where);
        if (arg != 0) {
            q.bind(1, arg);
        }
        if (!q.executeStep()) {
            return std::optional<ScanInfo>{};
        }
        return std::optional<ScanInfo>(scan_from_row(q));
    } catch (const std::exception& e) {
        return util::Error{path + ": reading scans: " + e.what()};
    }
}


util::Expected<std::optional<ScanInfo>> StateDb::last_completed_scan() {
    return query_scan(*m_impl->db, m_path, "WHERE status = 'ok' ORDER BY id DESC LIMIT 1", 0);
}

util::Expected<std::optional<ScanInfo>> StateDb::last_completed_full_scan() {
    return query_scan(*m_impl->db, m_path, "WHERE status = 'ok' AND type = 'full' ORDER BY id DESC LIMIT 1", 0);
}

util::Expected<std::optional<ScanInfo>> StateDb::scan(std::int64_t id) {
    return query_scan(*m_impl->db, m_path, "WHERE id = ?", id);
}

namespace {

std::int64_t mark_interrupted(SQLite::Database& db, std::int64_t now) {
    SQLite::Statement q(db,
                        "UPDATE scan SET status = 'interrupted', finished_at = ?, "
                        "error = 'the process ended during the scan' WHERE status = 'running'");
    q.bind(1, util::format_timestamp(now));
    return q.exec();
}

}  // namespace

util::Expected<std::int64_t> StateDb::start_scan(bool full, std::int64_t as_of, std::int64_t started_at) {
    try {
        SQLite::Database& db = *m_impl->db;
        auto tx = WriteTransaction::begin(db, m_path);
        if (!tx) {
            return tx.error();
        }
        mark_interrupted(db, started_at);
        SQLite::Statement q(db, "INSERT INTO scan (type, as_of, started_at, status) VALUES (?, ?, ?, 'running')");
        q.bind(1, full ? "full" : "incremental");
        q.bind(2, util::format_timestamp(as_of));
        q.bind(3, util::format_timestamp(started_at));
        q.exec();
        const std::int64_t id = db.getLastInsertRowid();
        if (auto committed = tx->commit(); !committed) {
            return committed.error();
        }
        return id;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": cannot record the scan: " + e.what()};
    }
}

util::Expected<std::int64_t> StateDb::mark_interrupted_scans(std::int64_t now) {
    SQLite::Database& db = *m_impl->db;
    try {
        db.setBusyTimeout(0);
        auto tx = WriteTransaction::begin(db, m_path);
        db.setBusyTimeout(k_busy_timeout_ms);
        if (!tx) {
            return std::int64_t{0};  // locked: a scan may be running in another process
        }
        const std::int64_t marked = mark_interrupted(db, now);
        if (auto committed = tx->commit(); !committed) {
            return committed.error();
        }
        return marked;
    } catch (const std::exception& e) {
        db.setBusyTimeout(k_busy_timeout_ms);
        return util::Error{m_path + ": marking interrupted scans: " + e.what()};
    }
}

util::Status StateDb::fail_scan(std::int64_t id, const std::string& reason, std::int64_t finished_at,
                               bool stopped) {
    try {
        SQLite::Statement q(*m_impl->db, "UPDATE scan SET status = ?, error = ?, finished_at = ? WHERE id = ?");
        q.bind(1, stopped ? "interrupted" : "failed");
        q.bind(2, reason);
        q.bind(3, util::format_timestamp(finished_at));
        q.bind(4, id);
        q.exec();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

util::Status StateDb::finish_scan(const ScanInfo& info) {
    try {
        std::string sql = "UPDATE scan SET status = 'ok', type = ?, finished_at = ?, source_seq = ?, "
                          "rules_fingerprint = ?, cross_fingerprint = ?, duration_ms = ?";
        for (Kind k : model::k_all_kinds) {
            const std::string n(model::kind_name(k));
            sql += ", " + n + "_full = ?, " + n + "_records = ?, " + n + "_unreadable = ?, " + n +
                   "_deleted = ?";
        }
        sql += " WHERE id = ?";
        SQLite::Statement q(*m_impl->db, sql);
        int p = 1;
        q.bind(p++, info.full ? "full" : "incremental");
        q.bind(p++, util::format_timestamp(info.finished_at));
        q.bind(p++, info.source_seq);
        q.bind(p++, info.rules_fingerprint);
        if (info.summary.cross_fingerprint != 0) {
            q.bind(p++, static_cast<std::int64_t>(info.summary.cross_fingerprint));
        } else {
            q.bind(p++);  // NULL
        }
        q.bind(p++, info.duration_ms);
        for (const auto& ks : info.summary.kinds) {
            q.bind(p++, ks.full ? 1 : 0);
            q.bind(p++, ks.records);
            q.bind(p++, ks.unreadable);
            q.bind(p++, ks.deleted);
        }
        q.bind(p, info.id);
        q.exec();
        SQLite::Statement latest(*m_impl->db,
                                 "INSERT INTO state_meta (key, value) VALUES ('max_as_of', ?1) ON CONFLICT (key) DO "
                                 "UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) "
                                 "AS TEXT)");
        latest.bind(1, std::to_string(info.as_of));
        latest.exec();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": cannot complete the scan row: " + e.what()};
    }
}

util::Expected<std::int64_t> StateDb::latest_as_of() {
    try {
        SQLite::Statement q(*m_impl->db, "SELECT CAST(value AS INTEGER) FROM state_meta WHERE key = 'max_as_of'");
        return q.executeStep() ? q.getColumn(0).getInt64() : std::int64_t{0};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

// state_meta enabled_rules: "cv:20 vacancy:15 employer:5".
util::Expected<std::optional<model::PerKind<std::size_t>>> StateDb::enabled_rules() {
    try {
        SQLite::Statement q(*m_impl->db, "SELECT value FROM state_meta WHERE key = 'enabled_rules'");
        if (!q.executeStep()) {
            return std::optional<model::PerKind<std::size_t>>{};
        }
        const std::string text = q.getColumn(0).getString();
        model::PerKind<std::size_t> counts{};
        for (const model::Kind kind : model::k_all_kinds) {
            const std::string key = std::string(model::kind_name(kind)) + ":";
            const auto at = text.find(key);
            const char* first = at == std::string::npos ? nullptr : text.data() + at + key.size();
            const auto parsed =
                first == nullptr ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                                 : std::from_chars(first, text.data() + text.size(), counts[model::index_of(kind)]);
            if (parsed.ec != std::errc()) {
                // Not a value this code wrote: no guard rather than a wrong one,
                // and never a scan that fails on it.
                return std::optional<model::PerKind<std::size_t>>{};
            }
        }
        return std::optional<model::PerKind<std::size_t>>{counts};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": enabled_rules: " + e.what()};
    }
}

util::Status StateDb::record_enabled_rules(const model::PerKind<std::size_t>& enabled) {
    try {
        std::string text;
        for (const model::Kind kind : model::k_all_kinds) {
            if (!text.empty()) {
                text += ' ';
            }
            text.append(model::kind_name(kind)).append(":").append(std::to_string(enabled[model::index_of(kind)]));
        }
        SQLite::Statement q(*m_impl->db,
                            "INSERT INTO state_meta (key, value) VALUES ('enabled_rules', ?1) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        q.bind(1, text);
        q.exec();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": cannot record the enabled rules: " + e.what()};
    }
}

util::Status StateDb::apply_retention(int days, std::int64_t now) {
    try {
        const std::string cutoff = util::format_timestamp(now - static_cast<std::int64_t>(days) * 86400);
        const std::string keep =
            "(SELECT coalesce(max(id), 0) FROM scan WHERE status = 'ok')";
        for (const char* table : {"scan_group", "scan_rule"}) {
            SQLite::Statement q(*m_impl->db, std::string("DELETE FROM ") + table +
                                                 " WHERE scan_id IN (SELECT id FROM scan WHERE "
                                                 "started_at < ? AND id <> " + keep + ")");
            q.bind(1, cutoff);
            q.exec();
        }
        SQLite::Database& db = *m_impl->db;
        SQLite::Statement q(db, "DELETE FROM scan WHERE started_at < ? AND id <> " + keep);
        q.bind(1, cutoff);
        if (q.exec() > 0) {
            const auto oldest_kept = db.execAndGet("SELECT min(id) FROM scan");
            if (!oldest_kept.isNull()) {
                prune_score_history(db, oldest_kept.getInt64());
            }
        }
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": applying retention: " + e.what()};
    }
}

util::Expected<StateDb::Transaction> StateDb::begin() {
    return WriteTransaction::begin(*m_impl->db, m_path);
}

}  // namespace spiegel::store
