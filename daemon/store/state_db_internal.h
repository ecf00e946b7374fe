#pragma once
// Internals shared by state_db.cpp and state_db_results.cpp. Not a public API.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "daemon/store/state_db.h"

namespace spiegel::store {

// A prepared statement on the raw handle for the hot write path: binds
// string views without copies (SQLITE_STATIC; callers keep them alive
// until step()).
class StateStatement {
public:
    StateStatement() = default;
    ~StateStatement() { sqlite3_finalize(m_stmt); }
    StateStatement(const StateStatement&) = delete;
    StateStatement& operator=(const StateStatement&) = delete;

    void prepare(sqlite3* db, const std::string& sql) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) !=
            SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db));
        }
        m_db = db;
    }
    bool ready() const { return m_stmt != nullptr; }
    sqlite3_stmt* get() const { return m_stmt; }
    void text(int p, std::string_view s) {
        sqlite3_bind_text(m_stmt, p, s.data() ? s.data() : "", static_cast<int>(s.size()), SQLITE_STATIC);
    }
    void run() {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            throw std::runtime_error(sqlite3_errmsg(m_db));
        }
    }
    void finalize() {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

struct StateDb::Impl {
    std::optional<SQLite::Database> db;
    StateStatement upsert;
};

// Separators of the joined list columns.
inline constexpr char k_list_sep = ',';
inline constexpr char k_peer_sep = '\x1f';

}  // namespace spiegel::store
