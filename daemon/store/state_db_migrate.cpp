// StateDb: the stored schema version and the in-place upgrades of older
// state databases. docs/state-schema.md#schema-versions.
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {

int stored_schema_version(SQLite::Database& db) {
    if (!db.tableExists("state_meta")) {
        return 0;
    }
    SQLite::Statement q(db, "SELECT value FROM state_meta WHERE key = 'schema_version'");
    if (!q.executeStep()) {
        return 0;
    }
    try {
        return std::stoi(q.getColumn(0).getString());
    } catch (const std::exception&) {
        throw std::runtime_error("state_meta.schema_version is not a number");
    }
}

namespace {

// Version 2 added score_history (with its index and trigger), peer_stat
// attributes target_group and score_tenths, and the index result_peer in
// place of result_occupation. The current DDL has created the new objects.
void upgrade_from_1(SQLite::Database& db) {
    db.exec("DROP INDEX IF EXISTS result_occupation");
    // The current results are the baseline every record's trend starts from.
    db.exec("INSERT OR IGNORE INTO score_history (kind, id, scan_id, as_of, score) "
            "SELECT result.kind, result.id, result.scan_id, coalesce(scan.as_of, ''), result.score "
            "FROM result LEFT JOIN scan ON scan.id = result.scan_id");
    // A stored fingerprint that matches no rules directory makes the next
    // scan a full one, which writes the new peer_stat attributes.
    db.exec("UPDATE scan SET rules_fingerprint = '' WHERE status = 'ok'");
}

}  // namespace

void upgrade_schema(SQLite::Database& db, int from) {
    if (from == 1) {
        upgrade_from_1(db);
    }
}

}  // namespace spiegel::store
