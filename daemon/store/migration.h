#pragma once
// Versioned schema migrations: one ordered list per database file
// (docs/state-schema.md#schema-versions, docs/access-schema.md#schema-versions).
// A file stores its schema version in its meta table (key
// 'schema_version'). Opening a file for writing applies every migration
// newer than that version, in order, inside the opening write transaction,
// and stores the last version; a file of a newer version is refused.
// Readers never migrate: they require the current version. Errors are
// thrown (SchemaError, or SQLite's exceptions), so the caller's transaction
// rolls back. Not thread-safe: one connection per thread.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace spiegel::store {

struct Migration {
    int version = 0;        // the file's schema version once it ran
    std::string_view what;  // one line, as documented
    std::function<void(SQLite::Database&)> apply;
};

// A file this build cannot use as it is: written by a newer spiegeld, or an
// older schema version opened by a reader. The message says which and what to do.
class SchemaError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The schema_version stored in meta_table; 0 when the table or the row is absent.
int stored_schema_version(SQLite::Database& db, const std::string& meta_table);

// Applies the migrations of `list` (ascending versions) newer than `from`
// and stores the last version. SchemaError when `from` is newer than the list.
void migrate(SQLite::Database& db, const std::string& meta_table, int from, const std::vector<Migration>& list);

// Stores `version` in meta_table (which must exist).
void store_schema_version(SQLite::Database& db, const std::string& meta_table, int version);

// SchemaError unless a reader may read a file of `stored` version: it must be
// `current` (0: no schema yet; older: needs the upgrade only a writer makes).
// `writer` names what would create or upgrade it ("a scan").
void require_readable(int stored, int current, std::string_view writer);

}  // namespace spiegel::store
