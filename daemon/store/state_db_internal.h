#pragma once
// Internals shared by the state_db*.cpp files. Not a public API.

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/store/migration.h"
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
// DDL of peer_group (one row per peer group, its counts packed:
// peer_cells.h), and of the view peer_stat, which unpacks it into one row
// per count, with its triggers (state_db_aggregates.cpp); both part of
// state_schema_sql().
std::string peer_group_table_sql();
std::string peer_stat_view_sql();
// Adds a history row, a score a scan replaced; parameters kind, id, the
// replacing scan's id, the as_of from which the replaced score held, that
// score.
const char* score_history_insert_sql();
// Retention of the score history once the oldest scan kept is
// oldest_kept: a replaced score whose successor also started before it
// goes, which leaves per record the newest score held before oldest_kept
// (the trend's baseline).
void prune_score_history(SQLite::Database& db, std::int64_t oldest_kept);

// The scan row `SELECT * FROM scan <where>` finds (arg, unless 0, bound
// to its parameter); errors name path (state_db.cpp).
util::Expected<std::optional<ScanInfo>> query_scan(SQLite::Database& db, const std::string& path,
                                                   const std::string& where, std::int64_t arg);

// The columns scan_group gained in version 3: per dimension (in
// rules::Dimension order) "<dimension>_tenths" and "<dimension>_records",
// then "profiles" and "profiles_failing" (state_db_aggregates.cpp).
std::vector<std::string> version_3_group_columns();
// Reads the groups of scan_id (scan_group and scan_rule rows) into out:
// the one reader of those tables.
void read_groups(SQLite::Database& db, std::int64_t scan_id, engine::StringMap<engine::GroupStats>& out);
// Writes the groups of `groups` as scan_id's scan_group and scan_rule rows
// (none may exist yet), with score_sum and avg_score.
void write_groups(SQLite::Database& db, std::int64_t scan_id, const engine::ScanAggregates& groups);
// Calls fn with every stored result of kind, in id order.
void read_results(SQLite::Database& db, model::Kind kind, const std::function<void(const engine::ResultRow&)>& fn);

// The migrations of the state database, by ascending version; the last is
// k_state_schema_version (state_db_migrate.cpp).
const std::vector<Migration>& state_migrations();
// Inside a write transaction: creates the current schema in a new file, or
// applies the migrations a file of an older version needs. Throws.
void create_or_migrate_state(SQLite::Database& db);
// Throws SchemaError unless db holds the current schema version (readers never migrate).
void require_readable_state(SQLite::Database& db);

}  // namespace spiegel::store
