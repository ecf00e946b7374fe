// StateDb: the score history (score_history): its DDL, the row the result
// writer adds, and its retention. docs/state-schema.md#score_history.
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {

// A record's score over time is its current result (score and
// score_as_of, in result) and, in score_history, each score a later scan
// replaced: the result writer adds that row when a record's score changes
// (score_history_insert_sql()). A new record or an unchanged score adds
// nothing, so neither a first scan nor a rescan of unchanged data writes
// history (before schema 7 a record's first score was a history row too:
// 250k of them cost a first scan a sixth of its time). Deleting a record's
// result deletes its history (trigger). Insert and update triggers of an
// earlier development version are dropped: a trigger on every result
// write made each one a statement with its own statement journal, which
// cost a full scan of 250k records 0.2-0.4 s (CPU) more.
std::string score_history_sql() {
    return "CREATE TABLE IF NOT EXISTS score_history (\n"
           "  kind TEXT NOT NULL, id TEXT NOT NULL,\n"
           "  scan_id INTEGER NOT NULL,        -- the scan that replaced this score\n"
           "  as_of TEXT NOT NULL,             -- the as_of from which the record had this score\n"
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

// Parameters: kind, id, the replacing scan's id, the replaced score's
// as_of (result.score_as_of), the replaced score.
const char* score_history_insert_sql() {
    return "INSERT OR REPLACE INTO score_history (kind, id, scan_id, as_of, score) VALUES (?1, ?2, ?3, ?4, ?5)";
}

// A replaced score is the trend's baseline while its successor started at
// or after the oldest kept scan; once the successor too started before it,
// the row goes. What stays per record is the newest score held before the
// oldest kept scan (a history row, or the current result itself) and every
// later one. Found through score_history_scan: rows below the last prune's
// bound are gone already, so the cost follows the rows deleted now.
void prune_score_history(SQLite::Database& db, std::int64_t oldest_kept) {
    SQLite::Statement q(db, "DELETE FROM score_history WHERE scan_id < ?1");
    q.bind(1, oldest_kept);
    q.exec();
}

}  // namespace spiegel::store
