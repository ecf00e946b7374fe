// StateDb: the score history (score_history): its DDL, the row the result
// writer adds, and its retention. docs/state-schema.md#score_history.
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {

// The result writer adds a row when a record's result is first written or
// its score changes (score_history_insert_sql()); an unchanged score adds
// nothing, so rescanning unchanged data writes no history. Deleting a
// record's result deletes its history (trigger). Insert and update triggers
// of an earlier development version are dropped: a trigger on every result
// write made each one a statement with its own statement journal, which
// cost a full scan of 250k records 0.2-0.4 s (CPU) more.
std::string score_history_sql() {
    return "CREATE TABLE IF NOT EXISTS score_history (\n"
           "  kind TEXT NOT NULL, id TEXT NOT NULL,\n"
           "  scan_id INTEGER NOT NULL,        -- the scan that wrote this score\n"
           "  as_of TEXT NOT NULL,             -- that scan's as_of\n"
           "  score REAL NOT NULL,\n"
           "  PRIMARY KEY (kind, id, scan_id)\n"
           ") WITHOUT ROWID;\n"
           "-- Retention finds the rows of deleted scans through it.\n"
           "CREATE INDEX IF NOT EXISTS score_history_scan ON score_history(scan_id);\n"
           "DROP TRIGGER IF EXISTS result_history_insert;\n"
           "DROP TRIGGER IF EXISTS result_history_update;\n"
           "CREATE TRIGGER IF NOT EXISTS result_history_delete AFTER DELETE ON result BEGIN\n"
           "  DELETE FROM score_history WHERE kind = OLD.kind AND id = OLD.id;\n"
           "END;\n";
}

// Parameters: kind, id, scan id, score. as_of is '' for a scan id without a
// scan row (results written by hand, never by a scan).
const char* score_history_insert_sql() {
    return "INSERT OR REPLACE INTO score_history (kind, id, scan_id, as_of, score) VALUES (?1, ?2, ?3, "
           "coalesce((SELECT as_of FROM scan WHERE id = ?3), ''), ?4)";
}

// Rows of the deleted scans are those with scan_id in [first_deleted,
// oldest_kept); every history row older than one of them goes, which
// leaves per record the newest row below oldest_kept (rows below
// first_deleted are already at most one per record). Found through
// score_history_scan, so the cost follows the deleted scans' rows, not the
// table.
void prune_score_history(SQLite::Database& db, std::int64_t first_deleted, std::int64_t oldest_kept) {
    SQLite::Statement q(db,
                        "DELETE FROM score_history WHERE (kind, id, scan_id) IN ("
                        "SELECT older.kind, older.id, older.scan_id FROM score_history AS deleted "
                        "JOIN score_history AS older ON older.kind = deleted.kind AND older.id = deleted.id "
                        "AND older.scan_id < deleted.scan_id "
                        "WHERE deleted.scan_id >= ?1 AND deleted.scan_id < ?2)");
    q.bind(1, first_deleted);
    q.bind(2, oldest_kept);
    q.exec();
}

}  // namespace spiegel::store
