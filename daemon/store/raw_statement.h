#pragma once
// A prepared statement on the raw SQLite handle, for the hot paths of the
// source and state databases (chunk reads, source upserts, result writes):
// binds string views and reads columns without the copies of SQLiteCpp's
// wrappers. Errors are thrown as std::runtime_error with SQLite's message
// (never a bound value). One statement per connection and thread.

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace spiegel::store {

class RawStatement {
public:
    RawStatement() = default;
    ~RawStatement() { sqlite3_finalize(m_stmt); }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    // Prepares sql (replacing a statement prepared before) for repeated use.
    void prepare(sqlite3* db, const std::string& sql) {
        finalize();
        if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) !=
            SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db));
        }
        m_db = db;
    }
    bool ready() const { return m_stmt != nullptr; }
    sqlite3_stmt* get() const { return m_stmt; }

    // Binds text without a copy (SQLITE_STATIC): s must stay alive until
    // the statement is stepped and reset.
    void text(int p, std::string_view s) {
        sqlite3_bind_text(m_stmt, p, s.data() ? s.data() : "", static_cast<int>(s.size()), SQLITE_STATIC);
    }
    // Resets the statement and clears its bindings.
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    // Returns true for a row, false when done; throws on error.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        throw std::runtime_error(sqlite3_errmsg(m_db));
    }
    // Steps once for its effect and resets (keeping the bindings); throws on error.
    void run() {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            throw std::runtime_error(sqlite3_errmsg(m_db));
        }
    }
    // Steps once and resets (keeping the bindings): true when a row came back; throws on error.
    bool step_once() {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            throw std::runtime_error(sqlite3_errmsg(m_db));
        }
        return rc == SQLITE_ROW;
    }
    // Must be called before the connection closes when the statement outlives it.
    void finalize() {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// Column `col` of the current row as text without a copy ("" for NULL);
// valid until the statement steps, resets or is finalized.
inline std::string_view column_text(sqlite3_stmt* stmt, int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))) : std::string_view{};
}

// The same, copied.
inline std::string column_string(sqlite3_stmt* stmt, int col) { return std::string(column_text(stmt, col)); }

}  // namespace spiegel::store
