#pragma once
// A BEGIN IMMEDIATE transaction on one SQLite connection. Destroying it
// without commit() rolls back, so an error or a kill leaves nothing half
// written. Not thread-safe: one connection per thread.

#include <string>

#include "daemon/util/expected.h"

namespace SQLite {
class Database;
}

namespace spiegel::store {

class WriteTransaction {
public:
    // Starts the transaction; errors name `path` ("cannot start a write transaction").
    static util::Expected<WriteTransaction> begin(SQLite::Database& db, std::string path);
    ~WriteTransaction();
    WriteTransaction(WriteTransaction&& other) noexcept;
    WriteTransaction& operator=(WriteTransaction&&) = delete;
    WriteTransaction(const WriteTransaction&) = delete;

    util::Status commit();

private:
    WriteTransaction(SQLite::Database& db, std::string path);
    SQLite::Database* m_db;
    std::string m_path;
    bool m_open = true;
};

}  // namespace spiegel::store
