#pragma once
// Internals shared by state_db.cpp and state_db_results.cpp. Not a public API.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "daemon/store/raw_statement.h"
#include "daemon/store/state_db.h"

namespace spiegel::store {

struct StateDb::Impl {
    std::optional<SQLite::Database> db;
    RawStatement upsert;
};

// Separators of the joined list columns.
inline constexpr char k_list_sep = ',';
inline constexpr char k_peer_sep = '\x1f';

}  // namespace spiegel::store
