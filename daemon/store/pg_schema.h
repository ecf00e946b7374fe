#pragma once
// The PostgreSQL source schema (docs/source-schema.md): one typed table per
// record kind (repeated fields as jsonb), change tracking by transaction id
// (triggers stamp change_xid, deletions leave tombstones) and the grants of
// a read-only scanning role. `spiegeld schema postgresql` prints it; it
// creates objects in the current schema (search_path) and is idempotent.

#include <string>
#include <string_view>

#include "daemon/model/schema.h"

namespace spiegel::store {

inline constexpr int k_pg_schema_version = 1;
// The role the shipped grants give read access to; a login role for scans
// is made a member of it.
inline constexpr std::string_view k_pg_reader_role = "spiegel_reader";

std::string pg_schema_sql();

// The PostgreSQL type of a column holding a field of `type`.
std::string_view pg_column_type(model::FieldType type);

}  // namespace spiegel::store
