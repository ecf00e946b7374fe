// StateDb: the state database's migrations, one per schema version, and
// how a file is created, upgraded or checked for reading.
// docs/state-schema.md#schema-versions lists them.
#include <algorithm>

#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

constexpr const char* k_meta = "state_meta";

void add_column_if_missing(SQLite::Database& db, const char* table, const std::string& name,
                           const char* declaration) {
    SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    q.bind(1, table);
    q.bind(2, name);
    if (!q.executeStep()) {
        db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " + name + " " + declaration);
    }
}

// Version 2 added score_history (with its index and trigger), peer_stat
// attributes target_group and score_tenths, and the index result_peer in
// place of result_occupation. The applicability columns came after version
// 1 went out, so a version-1 file may lack them.
void upgrade_to_2(SQLite::Database& db) {
    try {
        db.exec("SELECT score_tenths FROM scan_group LIMIT 0");
    } catch (const std::exception&) {
        throw SchemaError("written by an older development version of spiegeld "
                          "(no scan_group.score_tenths); remove it and scan again");
    }
    add_column_if_missing(db, "result", "not_applicable", "TEXT");
    add_column_if_missing(db, "scan_group", "rated", "INTEGER NOT NULL DEFAULT 0");
    add_column_if_missing(db, "scan_rule", "not_applicable", "INTEGER NOT NULL DEFAULT 0");
    db.exec(score_history_sql());
    db.exec("CREATE INDEX IF NOT EXISTS result_peer ON result(kind, occupation, visible, score)");
    db.exec("DROP INDEX IF EXISTS result_occupation");
    // The current results are the baseline every record's trend starts from.
    db.exec("INSERT OR IGNORE INTO score_history (kind, id, scan_id, as_of, score) "
            "SELECT result.kind, result.id, result.scan_id, coalesce(scan.as_of, ''), result.score "
            "FROM result LEFT JOIN scan ON scan.id = result.scan_id");
    // A stored fingerprint that matches no rules directory makes the next
    // scan a full one, which writes the new peer_stat attributes.
    db.exec("UPDATE scan SET rules_fingerprint = '' WHERE status = 'ok'");
}

// Version 3 added the per-dimension score sums and the banenafspraak
// profile counts to scan_group, so that metrics come from the aggregates
// alone. The latest completed scan's groups are recomputed from the
// current results (which are that scan's state), so the next incremental
// scan carries the new figures on.
void upgrade_to_3(SQLite::Database& db) {
    for (const std::string& column : version_3_group_columns()) {
        add_column_if_missing(db, "scan_group", column, "INTEGER NOT NULL DEFAULT 0");
    }
    const auto latest = db.execAndGet("SELECT max(id) FROM scan WHERE status = 'ok'");
    if (latest.isNull()) {
        return;
    }
    const std::int64_t scan_id = latest.getInt64();
    // read_results reads today's columns; source_row came with version 4,
    // digest with version 5, content_hash and valid_until with version 6.
    add_column_if_missing(db, "result", "source_row", "INTEGER");
    add_column_if_missing(db, "result", "digest", "INTEGER");
    add_column_if_missing(db, "result", "content_hash", "INTEGER");
    add_column_if_missing(db, "result", "valid_until", "INTEGER");
    engine::ScanAggregates groups;
    for (model::Kind kind : model::k_all_kinds) {
        read_results(db, kind, [&](const engine::ResultRow& row) { groups.add_groups(row); });
    }
    for (const char* table : {"scan_group", "scan_rule"}) {
        SQLite::Statement del(db, std::string("DELETE FROM ") + table + " WHERE scan_id = ?");
        del.bind(1, scan_id);
        del.exec();
    }
    write_groups(db, scan_id, groups);
}

// Version 4 keeps a score histogram in each national peer cell (peer_stat
// attribute score), from which a card counts its peers and the peers below
// it, and drops the index result_peer those counts used to scan. The
// histograms are seeded from the current results, exactly as the scan
// computes them (aggregator.cpp: vacancies, and visible CVs, with an
// occupation), so the next incremental scan patches them.
void upgrade_to_4(SQLite::Database& db) {
    db.exec("DROP INDEX IF EXISTS result_peer");
    add_column_if_missing(db, "result", "source_row", "INTEGER");
    db.exec("DELETE FROM peer_stat WHERE attribute = 'score'");
    db.exec("INSERT INTO peer_stat (kind, occupation, region, attribute, value, count, scan_id) "
            "SELECT kind, occupation, '', 'score', CAST(CAST(round(score * 10) AS INTEGER) AS TEXT), count(*), "
            "max(scan_id) FROM result "
            "WHERE occupation <> '' AND (kind = 'vacancy' OR (kind = 'cv' AND visible = 1)) "
            "GROUP BY kind, occupation, CAST(round(score * 10) AS INTEGER)");
}

// Version 5 stores each result's digest (engine::result_digest), with which
// a full rescan recognises an unchanged result without reading it back.
// Existing rows get NULL: they count as changed once and are rewritten with
// their digest by the next scan that evaluates them.
void upgrade_to_5(SQLite::Database& db) { add_column_if_missing(db, "result", "digest", "INTEGER"); }

// Version 6 stores with each result the hash of the stored values it was
// computed from and until when it holds, and with each scan the
// fingerprint of its cross-record index: a full rescan keeps a result
// whose record did not change without evaluating it (docs/scan.md).
// Existing rows get NULL: they are evaluated, and rewritten with both, by
// the next scan that reads them.
void upgrade_to_6(SQLite::Database& db) {
    add_column_if_missing(db, "result", "content_hash", "INTEGER");
    add_column_if_missing(db, "result", "valid_until", "INTEGER");
    add_column_if_missing(db, "scan", "cross_fingerprint", "INTEGER");
}

// Version 7 keeps a record's current score out of score_history: its
// trend's newest point is the result row itself (result.score_as_of), and
// a history row is the score a later scan replaced, keyed by that scan. A
// first scan then writes no history row at all. Each record's newest
// history row becomes its result's score_as_of; each other row moves to
// the key of the row after it (the scan that replaced its score).
void upgrade_to_7(SQLite::Database& db) {
    add_column_if_missing(db, "result", "score_as_of", "TEXT");
    db.exec("UPDATE result SET score_as_of = (SELECT h.as_of FROM score_history AS h WHERE h.kind = result.kind "
            "AND h.id = result.id ORDER BY h.scan_id DESC LIMIT 1)");
    db.exec("CREATE TEMP TABLE score_history_v6 AS SELECT kind, id, as_of, score, "
            "lead(scan_id) OVER (PARTITION BY kind, id ORDER BY scan_id) AS replaced_by FROM score_history");
    db.exec("DELETE FROM score_history");
    db.exec("INSERT INTO score_history (kind, id, scan_id, as_of, score) "
            "SELECT kind, id, replaced_by, as_of, score FROM temp.score_history_v6 WHERE replaced_by IS NOT NULL");
    db.exec("DROP TABLE temp.score_history_v6");
}

// Version 8 packs the peer statistics: one peer_group row per (kind,
// occupation, region) holds all of the group's counts as one JSON object
// (peer_cells.h), and the view peer_stat shows them one row per count, as
// the table of that name did. A first scan wrote some 300,000 peer rows
// for 200,000 CVs, one thread after the pass; now it writes some 15,000.
// The rows are moved as they are (a count as the readers took it, a whole
// number); a group's scan_id is its newest row's.
void upgrade_to_8(SQLite::Database& db) {
    db.exec(peer_group_table_sql());
    db.exec("INSERT INTO peer_group (kind, occupation, region, cells, scan_id) "
            "SELECT kind, occupation, region, json_group_object(attribute, json(cells)), max(scan_id) FROM ("
            "  SELECT kind, occupation, region, attribute,\n"
            "  json_group_object(value, CAST(count AS INTEGER)) AS cells, "
            "  max(scan_id) AS scan_id FROM ("
            "    SELECT * FROM peer_stat WHERE CAST(count AS INTEGER) <> 0\n"
            "    ORDER BY kind, occupation, region, attribute, value) "
            "  GROUP BY kind, occupation, region, attribute ORDER BY kind, occupation, region, attribute) "
            "GROUP BY kind, occupation, region");
    db.exec("DROP TABLE peer_stat");
    db.exec(peer_stat_view_sql());
}

}  // namespace

const std::vector<Migration>& state_migrations() {
    static const std::vector<Migration> k_migrations = {
        {2,
         "score_history with its index and delete trigger, seeded with the current results; index result_peer "
         "in place of result_occupation; result.not_applicable, scan_group.rated and scan_rule.not_applicable "
         "where missing; the completed scans' fingerprints cleared, so the next scan is full",
         upgrade_to_2},
        {3,
         "scan_group gains per-dimension score sums (<dimension>_tenths, <dimension>_records) and banenafspraak "
         "profile counts (profiles, profiles_failing); the latest completed scan's scan_group and scan_rule rows "
         "are recomputed from the current results",
         upgrade_to_3},
        {4,
         "peer_stat gains the score histogram of each national cell (attribute score, seeded from the current "
         "results); index result_peer is dropped (cards count peers from the histograms); result gains source_row "
         "(NULL until the record is next written)",
         upgrade_to_4},
        {5,
         "result gains digest, the XXH3 digest of the result's fields (NULL until the record is next written); a "
         "full rescan compares it instead of reading the stored result back",
         upgrade_to_5},
        {6,
         "result gains content_hash and valid_until, scan gains cross_fingerprint (NULL until next written); a full "
         "rescan keeps a result whose stored values did not change, unevaluated, while it holds",
         upgrade_to_6},
        {7,
         "result gains score_as_of, the as_of from which the record has had its score (its trend's newest point); "
         "score_history keeps only replaced scores, each keyed by the scan that replaced it, so a record's first "
         "result writes no history row",
         upgrade_to_7},
        {8,
         "peer_stat's rows move into peer_group, one row per (kind, occupation, region) with the group's counts "
         "packed as JSON; peer_stat becomes a view that shows them one row per count",
         upgrade_to_8},
    };
    return k_migrations;
}

void create_or_migrate_state(SQLite::Database& db) {
    if (!db.tableExists("scan")) {  // a new file: the current schema
        db.exec(state_schema_sql());
        store_schema_version(db, k_meta, k_state_schema_version);
        return;
    }
    // A file without a stored version predates versioning: version 1.
    migrate(db, k_meta, std::max(stored_schema_version(db, k_meta), 1), state_migrations());
}

void require_readable_state(SQLite::Database& db) {
    require_readable(stored_schema_version(db, k_meta), k_state_schema_version,
                     "`spiegeld scan` or the daemon's start");
}

}  // namespace spiegel::store
