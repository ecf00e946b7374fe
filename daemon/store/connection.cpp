#include "daemon/store/connection.h"

#include <filesystem>

namespace spiegel::store {

SQLite::Database open_for_writing(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent);
    }
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.setBusyTimeout(k_busy_timeout_ms);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    return db;
}

SQLite::Database open_read_only(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(k_busy_timeout_ms);
    return db;
}

}  // namespace spiegel::store
