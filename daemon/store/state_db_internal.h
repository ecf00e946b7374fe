#pragma once
// Internals shared by the state_db*.cpp files. Not a public API.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "daemon/store/raw_statement.h"
#include "daemon/store/result_columns.h"
#include "daemon/store/state_db.h"

namespace spiegel::store {

struct StateDb::Impl {
    std::optional<SQLite::Database> db;
    RawStatement upsert;
};

// DDL of score_history, its index and the trigger that deletes a removed
// record's history (state_db_history.cpp); part of state_schema_sql().
std::string score_history_sql();
// Adds a history row; parameters kind, id, scan id, score.
const char* score_history_insert_sql();
// Retention of the score history after the scans with ids in
// [first_deleted, oldest_kept) were deleted: their rows go, except per
// record the newest row below oldest_kept (the trend's baseline).
void prune_score_history(SQLite::Database& db, std::int64_t first_deleted, std::int64_t oldest_kept);

// The schema version stored in state_meta; 0 for a new file (state_db_migrate.cpp).
int stored_schema_version(SQLite::Database& db);
// Upgrades a file of schema version `from` in place, after the current DDL
// ran (it creates missing tables, indexes and triggers). Throws on error.
void upgrade_schema(SQLite::Database& db, int from);


}  // namespace spiegel::store
