#include "daemon/store/migration.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace spiegel::store {
namespace {

std::string newer_message(int stored, int current) {
    return "written by a newer spiegeld (schema version " + std::to_string(stored) + ", this one knows " +
           std::to_string(current) + ")";
}

}  // namespace

int stored_schema_version(SQLite::Database& db, const std::string& meta_table) {
    if (!db.tableExists(meta_table)) {
        return 0;
    }
    SQLite::Statement q(db, "SELECT value FROM " + meta_table + " WHERE key = 'schema_version'");
    if (!q.executeStep()) {
        return 0;
    }
    try {
        return std::stoi(q.getColumn(0).getString());
    } catch (const std::exception&) {
        throw SchemaError(meta_table + ".schema_version is not a number");
    }
}

void store_schema_version(SQLite::Database& db, const std::string& meta_table, int version) {
    SQLite::Statement q(db, "INSERT OR REPLACE INTO " + meta_table + " (key, value) VALUES ('schema_version', ?)");
    q.bind(1, std::to_string(version));
    q.exec();
}

void migrate(SQLite::Database& db, const std::string& meta_table, int from, const std::vector<Migration>& list) {
    const int current = list.empty() ? 0 : list.back().version;
    if (from > current) {
        throw SchemaError(newer_message(from, current));
    }
    for (const Migration& m : list) {
        if (m.version > from) {
            m.apply(db);
        }
    }
    if (from < current) {
        store_schema_version(db, meta_table, current);
    }
}

void require_readable(int stored, int current, std::string_view writer) {
    if (stored > current) {
        throw SchemaError(newer_message(stored, current));
    }
    if (stored == 0) {
        throw SchemaError("no schema yet (" + std::string(writer) + " creates it)");
    }
    if (stored < current) {
        throw SchemaError("schema version " + std::to_string(stored) + " needs the upgrade to version " +
                          std::to_string(current) + ", which readers never make (" + std::string(writer) +
                          " makes it)");
    }
}

}  // namespace spiegel::store
