// AccessDb: the access database's migrations, one per schema version, and
// the move of the tokens and audit rows an earlier version kept in the
// state database. docs/access-schema.md#schema-versions lists them.
#include "daemon/store/access_db_migrate.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <stdexcept>

#include "daemon/store/connection.h"

namespace spiegel::store {
namespace {

constexpr const char* k_meta = "access_meta";
constexpr int k_legacy_drop_busy_ms = 200;

// Version 1.
constexpr const char* k_schema =
    "CREATE TABLE IF NOT EXISTS access_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS api_token (\n"
    "  name TEXT PRIMARY KEY,           -- unique, also after revocation\n"
    "  role TEXT NOT NULL,              -- adviser, employer, officer\n"
    "  employer_id TEXT NOT NULL,       -- role employer: the employer it may read; else ''\n"
    "  hash TEXT NOT NULL UNIQUE,       -- hex SHA-256 of the token; the token is never stored\n"
    "  created_at TEXT NOT NULL,        -- RFC 3339 UTC\n"
    "  revoked_at TEXT                  -- NULL: active\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS card_access (\n"
    "  time TEXT NOT NULL,              -- RFC 3339 UTC\n"
    "  token_name TEXT NOT NULL,\n"
    "  role TEXT NOT NULL,\n"
    "  card_type TEXT NOT NULL,         -- cv, vacancy\n"
    "  record_id TEXT NOT NULL,         -- pseudonymous record id\n"
    "  status INTEGER NOT NULL DEFAULT 200  -- HTTP status: 200 served, 403 refused, 404 no such card\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS card_access_token ON card_access(token_name, time);\n"
    "CREATE INDEX IF NOT EXISTS card_access_time ON card_access(time);\n";

// Version 3: browser sessions (docs/access-schema.md#web_session).
constexpr const char* k_sessions =
    "CREATE TABLE web_session (\n"
    "  id_hash TEXT PRIMARY KEY,        -- hex SHA-256 of the session id; the id is only in the cookie\n"
    "  token_name TEXT NOT NULL,        -- the token signed in with: its rights, limit and audit trail\n"
    "  csrf TEXT NOT NULL,              -- the token every POST form of the session carries\n"
    "  created_at INTEGER NOT NULL,     -- seconds since the epoch: absolute expiry\n"
    "  last_seen INTEGER NOT NULL       -- seconds since the epoch: idle expiry\n"
    ");\n"
    "CREATE INDEX web_session_token ON web_session(token_name);\n"
    "CREATE INDEX web_session_last_seen ON web_session(last_seen);\n";

bool has_table(SQLite::Database& db, const std::string& schema, const char* table) {
    SQLite::Statement q(db, "SELECT 1 FROM " + schema + ".sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, table);
    return q.executeStep();
}

bool has_column(SQLite::Database& db, const std::string& schema, const char* table, const char* column) {
    SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info(?, ?) WHERE name = ?");
    q.bind(1, table);
    q.bind(2, schema);
    q.bind(3, column);
    return q.executeStep();
}

void bind_column(SQLite::Statement& statement, int index, const SQLite::Column& column) {
    if (column.isNull()) {
        statement.bind(index);
    } else if (column.isInteger()) {
        statement.bind(index, column.getInt64());
    } else {
        statement.bind(index, column.getString());
    }
}

// Copies tokens and audit rows of a state database written by an earlier
// version (TokenStore kept them there), once: the copy and its marker
// commit together with the migration. The old rows are read through their
// own read-only connection, so a scan holding the state database's write
// lock does not block the copy.
void copy_legacy_rows(SQLite::Database& db, const std::string& legacy) {
    if (db.execAndGet("SELECT count(*) FROM access_meta WHERE key = 'legacy_state_moved'").getInt() != 0) {
        return;  // moved by an earlier version's open
    }
    SQLite::Database old = open_read_only(legacy);
    if (has_table(old, "main", "api_token")) {
        SQLite::Statement read(old, "SELECT name, role, employer_id, hash, created_at, revoked_at FROM api_token");
        SQLite::Statement write(db,
                                "INSERT OR IGNORE INTO api_token (name, role, employer_id, hash, created_at, revoked_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)");
        while (read.executeStep()) {
            for (int c = 0; c < 6; ++c) {
                bind_column(write, c + 1, read.getColumn(c));
            }
            write.exec();
            write.reset();
        }
    }
    if (has_table(old, "main", "card_access")) {
        const bool status = has_column(old, "main", "card_access", "status");
        SQLite::Statement read(old, std::string("SELECT time, token_name, role, card_type, record_id, ") +
                                        (status ? "status" : "200") + " FROM card_access ORDER BY rowid");
        SQLite::Statement write(db,
                                "INSERT INTO card_access (time, token_name, role, card_type, record_id, status) "
                                "VALUES (?, ?, ?, ?, ?, ?)");
        while (read.executeStep()) {
            for (int c = 0; c < 6; ++c) {
                bind_column(write, c + 1, read.getColumn(c));
            }
            write.exec();
            write.reset();
        }
    }
    db.exec("INSERT INTO access_meta (key, value) VALUES ('legacy_state_moved', '1')");
}

bool legacy_has_rows(const std::string& legacy) {
    std::error_code ec;
    if (legacy.empty() || !std::filesystem::exists(legacy, ec)) {
        return false;
    }
    SQLite::Database state = open_read_only(legacy);
    return has_table(state, "main", "api_token") || has_table(state, "main", "card_access");
}

// Drops the moved tables from the legacy state database; when a scan holds
// it locked, they stay until the next open (they are no longer read).
void drop_legacy_tables(const std::string& legacy) {
    try {
        if (!legacy_has_rows(legacy)) {
            return;
        }
        SQLite::Database state(legacy, SQLite::OPEN_READWRITE);
        state.setBusyTimeout(k_legacy_drop_busy_ms);
        SQLite::Transaction tx(state, SQLite::TransactionBehavior::IMMEDIATE);
        state.exec("DROP TABLE IF EXISTS api_token; DROP TABLE IF EXISTS card_access;");
        tx.commit();
    } catch (const std::exception&) {
        // Busy or unreadable: retried at the next open; the rows are safe here.
    }
}

}  // namespace

std::vector<Migration> access_migrations(const std::string& legacy) {
    return {
        {1,
         "access_meta; api_token (hash UNIQUE); card_access with status; indexes card_access_token and "
         "card_access_time",
         [](SQLite::Database& db) { db.exec(k_schema); }},
        {2,
         "the tokens and audit rows an earlier version kept in the state database copied here once "
         "(legacy_state_moved); the open then drops them there",
         [legacy](SQLite::Database& db) {
             bool has_rows = false;
             try {
                 has_rows = legacy_has_rows(legacy);
             } catch (const std::exception& e) {
                 // Name the file at fault: the state database, not this one.
                 throw std::runtime_error("reading the state database " + legacy +
                                          " for the tokens an earlier version kept there: " + e.what());
             }
             if (has_rows) {
                 copy_legacy_rows(db, legacy);
             }
         }},
        {3, "web_session (browser sign-in: hashed id, token name, CSRF token, created_at, last_seen) and its indexes",
         [](SQLite::Database& db) { db.exec(k_sessions); }},
        // Every personal card commits its audit row before it is sent: with
        // the two indexes a commit wrote three pages to the WAL, and the
        // checkpoints that volume forced stalled the cards behind them.
        // Pruning walks rowid order instead; an investigation scans.
        {4, "card_access without indexes: drops card_access_token and card_access_time",
         [](SQLite::Database& db) {
             db.exec("DROP INDEX IF EXISTS card_access_token; DROP INDEX IF EXISTS card_access_time;");
         }},
    };
}

void create_or_migrate_access(SQLite::Database& db, const std::string& legacy_state_db) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    migrate(db, k_meta, stored_schema_version(db, k_meta), access_migrations(legacy_state_db));
    tx.commit();
    drop_legacy_tables(legacy_state_db);
}

void require_readable_access(SQLite::Database& db) {
    require_readable(stored_schema_version(db, k_meta), access_migrations("").back().version,
                     "the daemon's start or `spiegeld token`");
}

}  // namespace spiegel::store
