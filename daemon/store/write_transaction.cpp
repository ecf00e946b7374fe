#include "daemon/store/write_transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace spiegel::store {

util::Expected<WriteTransaction> WriteTransaction::begin(SQLite::Database& db, std::string path) {
    try {
        db.exec("BEGIN IMMEDIATE");
    } catch (const std::exception& e) {
        return util::Error{path + ": cannot start a write transaction: " + e.what()};
    }
    return WriteTransaction(db, std::move(path));
}

WriteTransaction::WriteTransaction(SQLite::Database& db, std::string path)
    : m_db(&db), m_path(std::move(path)) {}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : m_db(other.m_db), m_path(std::move(other.m_path)), m_open(other.m_open) {
    other.m_open = false;
}

WriteTransaction::~WriteTransaction() {
    if (m_open) {
        try {
            m_db->exec("ROLLBACK");
        } catch (...) {
            // Already rolled back by SQLite, or the connection is closing.
        }
    }
}

util::Status WriteTransaction::commit() {
    try {
        m_db->exec("COMMIT");
        m_open = false;
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": commit failed: " + e.what()};
    }
}

}  // namespace spiegel::store
