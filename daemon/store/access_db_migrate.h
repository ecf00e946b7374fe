#pragma once
// The access database's migrations (store/migration.h): an ordered list,
// applied when AccessDb opens the file for writing; readers check the
// version only. Errors are thrown; not thread-safe (one connection).

#include <string>
#include <vector>

#include "daemon/store/migration.h"

namespace spiegel::store {

// By ascending version (docs/access-schema.md#schema-versions).
// legacy_state_db is the state database an earlier version kept tokens and
// audit rows in ("" when there is none).
std::vector<Migration> access_migrations(const std::string& legacy_state_db);
// In one write transaction: applies the migrations the file needs; then
// drops the moved tables from the legacy state database while they remain
// (when a scan holds it locked, at a later open).
void create_or_migrate_access(SQLite::Database& db, const std::string& legacy_state_db);
// Throws SchemaError unless db holds the current version (readers never migrate).
void require_readable_access(SQLite::Database& db);

}  // namespace spiegel::store
