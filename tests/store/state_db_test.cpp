#include "daemon/store/state_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon/store/state_db_internal.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using engine::ResultRow;
using model::Kind;

ResultRow cv(const std::string& id, double score) {
    ResultRow r;
    r.clear();
    r.kind = Kind::cv;
    r.id = id;
    r.score = score;
    r.failed = {"cv.email.valid", "cv.skills.min"};
    r.dimensions = {100.0, 50.0, -1.0, 100.0, -1.0, 100.0};
    r.region = "AM21";
    r.target_groups = {"banenafspraak", "ww"};
    r.occupation = "2512";
    r.peer.visible = true;
    r.peer.education = "hbo";
    r.peer.birth_bucket = "1981-1990";
    r.peer.hours_bucket = "8";
    r.peer.skills = {"c++", "sql, advanced"};
    r.peer.licences = {"B"};
    r.peer.co_occupations = {"2511", "2519"};
    return r;
}

ResultRow vacancy(const std::string& id) {
    ResultRow r;
    r.clear();
    r.kind = Kind::vacancy;
    r.id = id;
    r.score = 66.7;
    r.occupation = "5223";
    r.peer.open = true;
    r.peer.salary = true;
    r.peer.hours_min = "24";
    r.peer.education = "mbo2";
    return r;
}

std::vector<ResultRow> all_results(StateDb& db, Kind kind) {
    std::vector<ResultRow> out;
    EXPECT_TRUE(db.for_each_result(kind, [&](const ResultRow& r) { out.push_back(r); }));
    return out;
}

bool same(const ResultRow& a, const ResultRow& b) {
    return a.kind == b.kind && a.id == b.id && a.score == b.score && a.failed == b.failed &&
           a.dimensions == b.dimensions && a.unreadable == b.unreadable && a.region == b.region &&
           a.target_groups == b.target_groups && a.occupation == b.occupation &&
           a.peer.visible == b.peer.visible && a.peer.education == b.peer.education &&
           a.peer.birth_bucket == b.peer.birth_bucket && a.peer.hours_bucket == b.peer.hours_bucket &&
           a.peer.skills == b.peer.skills && a.peer.licences == b.peer.licences &&
           a.peer.co_occupations == b.peer.co_occupations && a.peer.open == b.peer.open &&
           a.peer.salary == b.peer.salary && a.peer.hours_min == b.peer.hours_min &&
           a.peer.hours_max == b.peer.hours_max;
}

TEST(StateDb, fresh_database_has_the_documented_tables_in_wal_mode) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("data/state.db"));
    ASSERT_TRUE(db) << db.error().message;
    SQLite::Database raw(dir.file("data/state.db"), SQLite::OPEN_READONLY);
    for (const char* t : {"scan", "result", "scan_group", "scan_rule", "peer_group", "score_history", "state_meta"}) {
        EXPECT_TRUE(raw.tableExists(t)) << t;
    }
    EXPECT_EQ(raw.execAndGet("SELECT type FROM sqlite_master WHERE name = 'peer_stat'").getString(), "view");
    EXPECT_EQ(raw.execAndGet("SELECT value FROM state_meta WHERE key = 'schema_version'").getString(),
              std::to_string(k_state_schema_version));
    EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
    auto last = (*db)->last_completed_scan();
    ASSERT_TRUE(last);
    EXPECT_FALSE(last->has_value());
}

// What the daemon's start may wait out (a lock, a read-only file) and what
// it must not (a file that is no database).
TEST(StateDb, write_blocked_tells_a_held_lock_from_a_broken_file) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path).ok());
    EXPECT_FALSE(write_blocked(path));
    {
        SQLite::Database other(path, SQLite::OPEN_READWRITE);
        other.exec("BEGIN IMMEDIATE");
        EXPECT_TRUE(write_blocked(path));
    }
    EXPECT_FALSE(write_blocked(path));
    const std::string broken = dir.file("broken.db");
    testing::write_file(broken, std::string(8192, 'x'));
    EXPECT_FALSE(write_blocked(broken));
}

TEST(StateDb, results_round_trip_through_the_result_table) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    const auto id = db->start_scan(true, 1000, 1000);
    ASSERT_TRUE(id);
    {
        auto tx = db->begin();
        ASSERT_TRUE(tx);
        auto w = db->result_writer(*id);
        ASSERT_TRUE(w->begin_kind(Kind::cv, true));
        ASSERT_TRUE(w->put(cv("cv-2", 87.5)));
        ResultRow perfect = cv("cv-1", 100.0);
        perfect.failed.clear();
        perfect.target_groups.clear();
        perfect.peer.skills.clear();
        ASSERT_TRUE(w->put(perfect));
        ASSERT_TRUE(w->end_kind(Kind::cv, true));
        ASSERT_TRUE(w->put(vacancy("v-1")));
        ASSERT_TRUE(tx->commit());
    }
    const auto cvs = all_results(*db, Kind::cv);
    ASSERT_EQ(cvs.size(), 2u);
    EXPECT_EQ(cvs[0].id, "cv-1");
    EXPECT_TRUE(cvs[0].failed.empty());
    EXPECT_TRUE(same(cvs[1], cv("cv-2", 87.5)));
    const auto vacancies = all_results(*db, Kind::vacancy);
    ASSERT_EQ(vacancies.size(), 1u);
    EXPECT_TRUE(same(vacancies[0], vacancy("v-1")));
}

TEST(StateDb, full_kind_removes_results_of_records_it_did_not_see) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    auto write = [&](std::int64_t scan, std::vector<std::string> ids, bool full) {
        auto tx = db->begin();
        auto w = db->result_writer(scan);
        EXPECT_TRUE(w->begin_kind(Kind::cv, full));
        for (const auto& i : ids) {
            EXPECT_TRUE(w->put(cv(i, 50)));
        }
        EXPECT_TRUE(w->end_kind(Kind::cv, full));
        EXPECT_TRUE(tx->commit());
    };
    write(1, {"a", "b", "c"}, true);
    write(2, {"b"}, false);
    EXPECT_EQ(*db->result_count(Kind::cv), 3);
    write(3, {"a", "c"}, true);
    const auto rows = all_results(*db, Kind::cv);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, "a");
    EXPECT_EQ(rows[1].id, "c");
}

TEST(StateDb, removed_ids_disappear_and_uncommitted_writes_roll_back) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    {
        auto tx = db->begin();
        auto w = db->result_writer(1);
        ASSERT_TRUE(w->put(cv("a", 1)));
        ASSERT_TRUE(w->put(cv("b", 2)));
        ASSERT_TRUE(tx->commit());
    }
    {
        auto tx = db->begin();
        auto w = db->result_writer(2);
        ASSERT_TRUE(w->remove(Kind::cv, {"a", "never-there"}));
        ASSERT_TRUE(tx->commit());
    }
    {
        auto tx = db->begin();
        auto w = db->result_writer(3);
        ASSERT_TRUE(w->put(cv("z", 3)));
        // no commit: rolled back
    }
    const auto rows = all_results(*db, Kind::cv);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, "b");
}

// The aggregates of a scan of CVs a (87.5) and b (10.0) and vacancy v.
engine::ScanAggregates two_cvs_and_a_vacancy() {
    engine::ScanAggregates agg;
    agg.add(cv("a", 87.5));
    agg.add(cv("b", 10.0));
    agg.add(vacancy("v"));
    return agg;
}

TEST(StateDb, aggregates_round_trip_and_history_is_kept_per_scan) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    const engine::ScanAggregates agg = two_cvs_and_a_vacancy();
    ASSERT_TRUE(db->write_aggregates(7, agg));
    auto back = db->read_aggregates(7);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(*back == agg);
    SQLite::Database raw(dir.file("state.db"), SQLite::OPEN_READONLY);
    SQLite::Statement q(raw,
                        "SELECT records, avg_score, le_10, le_90, le_100 FROM scan_group WHERE scan_id = 7 "
                        "AND kind = 'cv' AND split = 'all'");
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 2);
    EXPECT_DOUBLE_EQ(q.getColumn(1).getDouble(), 48.8);  // (87.5 + 10) / 2 = 48.75
    EXPECT_EQ(q.getColumn(2).getInt(), 1);
    EXPECT_EQ(q.getColumn(3).getInt(), 2);
    EXPECT_EQ(q.getColumn(4).getInt(), 2);
    EXPECT_EQ(raw.execAndGet("SELECT failing FROM scan_rule WHERE scan_id = 7 AND kind = 'cv' "
                                        "AND split = 'region' AND value = 'AM21' AND rule_id = 'cv.skills.min'")
                  .getInt(),
              2);
    EXPECT_EQ(raw.execAndGet("SELECT count FROM peer_stat WHERE kind = 'cv' AND occupation = "
                                        "'2512' AND region = '' AND attribute = 'skill' AND value = 'c++'")
                  .getInt(),
              2);
}

TEST(StateDb, write_aggregates_returns_the_groups_it_stored_the_previous_scans_plus_the_delta) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    ASSERT_TRUE(db->write_aggregates(7, two_cvs_and_a_vacancy()));
    // Scan 8: cv incremental (a deleted, b rescored and moved), vacancies and employers full.
    ResultRow moved = cv("b", 60.0);
    moved.region = "AM01";
    moved.dimensions[1] = 75.0;
    engine::ScanAggregates delta;
    delta.add(cv("a", 87.5), -1);
    delta.add(cv("b", 10.0), -1);
    delta.add(moved);
    engine::ScanAggregates vacancies;
    vacancies.add(vacancy("v"));
    vacancies.add(vacancy("w"));
    auto stored = db->write_aggregates(8, vacancies, {false, true, true}, 7, delta);
    ASSERT_TRUE(stored) << stored.error().message;
    engine::ScanAggregates expected;
    expected.add(moved);
    expected.add(vacancy("v"));
    expected.add(vacancy("w"));
    EXPECT_TRUE(stored->groups() == expected.groups());
    auto back = db->read_aggregates(8, AggregateParts::groups);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(back->groups() == stored->groups());
    EXPECT_TRUE(back->peers().empty()) << "groups only";
}

// An incremental kind's peer groups are patched by the delta: the result
// is what a full write of the new counts stores, byte for byte, also for a
// group written by hand through the view in another order.
TEST(StateDb, patched_peer_groups_equal_a_full_write_of_the_new_counts) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    ASSERT_TRUE(db->write_aggregates(7, two_cvs_and_a_vacancy()));
    {
        SQLite::Database raw(dir.file("state.db"), SQLite::OPEN_READWRITE);
        raw.exec("UPDATE peer_group SET cells = (SELECT json_group_object(attribute, json(c)) FROM ("
                 "  SELECT attribute, json_group_object(value, count) AS c FROM ("
                 "    SELECT * FROM peer_stat WHERE kind = 'cv' AND occupation = '2512' AND region = '' "
                 "    ORDER BY attribute DESC, value DESC) GROUP BY attribute ORDER BY attribute DESC)) "
                 "WHERE kind = 'cv' AND occupation = '2512' AND region = ''");
        ASSERT_EQ(raw.execAndGet("SELECT substr(cells, 1, 9) FROM peer_group WHERE kind = 'cv' AND region = ''")
                      .getString(),
                  "{\"visible")
            << "the fixture: the group is out of order";
    }
    ResultRow moved = cv("b", 60.0);
    moved.region = "AM01";
    moved.peer.skills = {"c++", "rust"};
    engine::ScanAggregates delta;
    delta.add(cv("a", 87.5), -1);
    (void)delta.peers();  // folded counts and pending ones: a key can come twice
    delta.add(cv("b", 10.0), -1);
    delta.add(moved);
    engine::ScanAggregates vacancies;
    vacancies.add(vacancy("v"));
    ASSERT_TRUE(db->write_aggregates(8, vacancies, {false, true, true}, 7, delta));
    engine::ScanAggregates expected;
    expected.add(moved);
    expected.add(vacancy("v"));
    auto back = db->read_aggregates(8);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(back->peers() == expected.peers());
    const auto groups = [](const std::string& path) {
        SQLite::Database raw(path, SQLite::OPEN_READONLY);
        std::vector<std::string> out;
        SQLite::Statement q(raw, "SELECT kind, occupation, region, cells FROM peer_group ORDER BY 1, 2, 3");
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " [" +
                          q.getColumn(2).getString() + "] " + q.getColumn(3).getString());
        }
        return out;
    };
    testing::TempDir fresh_dir;
    auto fresh = StateDb::open(fresh_dir.file("state.db")).value();
    ASSERT_TRUE(fresh->write_aggregates(8, expected));
    EXPECT_EQ(groups(dir.file("state.db")), groups(fresh_dir.file("state.db")));
    EXPECT_EQ(groups(dir.file("state.db")).size(), 3u) << "cv 2512 [] and [AM01], vacancy; [AM21] went";
}

TEST(StateDb, finished_scan_is_the_last_completed_and_retention_drops_old_scans) {
    testing::TempDir dir;
    auto db = StateDb::open(dir.file("state.db")).value();
    const std::int64_t day = 86400;
    const std::int64_t t0 = 1'790'000'000;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) {
        const auto id = db->start_scan(i == 0, t0 + i * 50 * day, t0 + i * 50 * day);
        ASSERT_TRUE(id);
        ScanInfo info;
        info.id = *id;
        info.full = i == 0;
        info.finished_at = t0 + i * 50 * day + 5;
        info.source_seq = 10 + i;
        info.rules_fingerprint = "abc";
        info.summary.kinds[0].records = 100 + i;
        info.summary.kinds[0].full = i == 0;
        ASSERT_TRUE(db->write_aggregates(*id, engine::ScanAggregates{}));
        ASSERT_TRUE(db->finish_scan(info));
        ids.push_back(*id);
    }
    ASSERT_TRUE(db->start_scan(false, t0, t0 + 101 * day));  // running, never finished
    auto last = db->last_completed_scan();
    ASSERT_TRUE(last && last->has_value());
    EXPECT_EQ((*last)->id, ids[2]);
    EXPECT_EQ((*last)->source_seq, 12);
    EXPECT_EQ((*last)->summary.kinds[0].records, 102);
    EXPECT_EQ((*last)->rules_fingerprint, "abc");
    ASSERT_TRUE(db->apply_retention(90, t0 + 101 * day));
    EXPECT_FALSE(db->scan(ids[0])->has_value());
    EXPECT_TRUE(db->scan(ids[1])->has_value());
    EXPECT_TRUE(db->scan(ids[2])->has_value());
}

TEST(StateDb, a_scan_left_running_by_a_killed_process_is_marked_interrupted_at_the_next_start) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    std::int64_t killed = 0;
    {
        auto db = StateDb::open(path).value();
        killed = db->start_scan(true, 1000, 1000).value();  // then kill -9: no finish, no fail
    }
    auto db = StateDb::open(path).value();
    EXPECT_EQ(db->scan(killed).value()->status, "running");
    const std::int64_t next = db->start_scan(false, 2000, 2000).value();
    const auto marked = db->scan(killed).value();
    EXPECT_EQ(marked->status, "interrupted");
    EXPECT_EQ(marked->finished_at, 2000);
    EXPECT_EQ(db->scan(next).value()->status, "running") << "the new scan is the running one";
}

TEST(StateDb, interrupted_scans_are_marked_at_start_unless_another_process_holds_the_write_lock) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    auto db = StateDb::open(path).value();
    const std::int64_t killed = db->start_scan(true, 1000, 1000).value();
    {
        SQLite::Database scanning(path, SQLite::OPEN_READWRITE);
        scanning.exec("BEGIN IMMEDIATE");  // a scan of another process is running
        EXPECT_EQ(db->mark_interrupted_scans(3000).value(), 0);
        EXPECT_EQ(db->scan(killed).value()->status, "running");
        scanning.exec("ROLLBACK");
    }
    EXPECT_EQ(db->mark_interrupted_scans(3000).value(), 1);
    EXPECT_EQ(db->scan(killed).value()->status, "interrupted");
}

TEST(StateDb, version_4_seeds_the_score_histograms_from_the_results_and_drops_the_peer_index) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    {
        auto db = StateDb::open(path).value();
        auto tx = db->begin();
        auto w = db->result_writer(1);
        ResultRow hidden = cv("c", 10.0);
        hidden.peer.visible = false;
        ResultRow other = cv("d", 10.0);
        other.occupation = "2521";
        ResultRow none = cv("g", 40.0);
        none.occupation = "";
        for (const ResultRow& r : {cv("a", 87.5), cv("b", 50.0), hidden, cv("e", 50.0), other, none}) {
            ASSERT_TRUE(w->put(r));
        }
        ASSERT_TRUE(tx->commit());
    }
    {
        // Back to what version 3 stored: the index, no histograms.
        SQLite::Database v3(path, SQLite::OPEN_READWRITE);
        v3.exec(std::string(testing::k_peer_stat_as_table_sql) +
                "CREATE INDEX result_peer ON result(kind, occupation, visible, score); "
                "DELETE FROM peer_stat WHERE attribute = 'score'; "
                "UPDATE state_meta SET value = '3' WHERE key = 'schema_version'");
    }
    ASSERT_TRUE(StateDb::open(path).ok());
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_FALSE(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'result_peer'").getInt());
    SQLite::Statement h(raw, "SELECT kind || ' ' || occupation || ' ' || region || ' ' || value || ' ' || count "
                             "FROM peer_stat WHERE attribute = 'score' ORDER BY occupation, CAST(value AS INTEGER)");
    std::vector<std::string> rows;
    while (h.executeStep()) {
        rows.push_back(h.getColumn(0).getString());
    }
    EXPECT_EQ(rows, (std::vector<std::string>{"cv 2512  500 2", "cv 2512  875 1", "cv 2521  100 1"}))
        << "visible CVs with an occupation, national cells, value = score in tenths";
}

// The schema as version 1 created it (tables the upgrade touches).
constexpr const char* k_version_1_ddl = R"sql(
CREATE TABLE state_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO state_meta VALUES ('schema_version', '1');
CREATE TABLE scan (id INTEGER PRIMARY KEY, type TEXT NOT NULL, as_of TEXT NOT NULL, started_at TEXT NOT NULL,
  finished_at TEXT, status TEXT NOT NULL, source_seq INTEGER, rules_fingerprint TEXT,
  cv_full INTEGER NOT NULL DEFAULT 0, cv_records INTEGER NOT NULL DEFAULT 0,
  cv_unreadable INTEGER NOT NULL DEFAULT 0, cv_deleted INTEGER NOT NULL DEFAULT 0,
  vacancy_full INTEGER NOT NULL DEFAULT 0, vacancy_records INTEGER NOT NULL DEFAULT 0,
  vacancy_unreadable INTEGER NOT NULL DEFAULT 0, vacancy_deleted INTEGER NOT NULL DEFAULT 0,
  employer_full INTEGER NOT NULL DEFAULT 0, employer_records INTEGER NOT NULL DEFAULT 0,
  employer_unreadable INTEGER NOT NULL DEFAULT 0, employer_deleted INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER, error TEXT);
CREATE TABLE result (kind TEXT NOT NULL, id TEXT NOT NULL, scan_id INTEGER NOT NULL, score REAL NOT NULL,
  failed TEXT NOT NULL, completeness REAL, validity REAL, consistency REAL, timeliness REAL, uniqueness REAL,
  privacy REAL, unreadable INTEGER NOT NULL, region TEXT NOT NULL, target_groups TEXT NOT NULL,
  occupation TEXT NOT NULL, visible INTEGER, education TEXT, birth_bucket TEXT, hours_bucket TEXT, skills TEXT,
  licences TEXT, co_occupations TEXT, open INTEGER, salary INTEGER, hours_min TEXT, hours_max TEXT,
  not_applicable TEXT, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE INDEX result_occupation ON result(kind, occupation);
CREATE TABLE scan_group (scan_id INTEGER NOT NULL, kind TEXT NOT NULL, split TEXT NOT NULL, value TEXT NOT NULL,
  records INTEGER NOT NULL, unreadable INTEGER NOT NULL, score_tenths INTEGER NOT NULL, score_sum REAL NOT NULL,
  avg_score REAL NOT NULL, le_10 INTEGER NOT NULL, le_20 INTEGER NOT NULL, le_30 INTEGER NOT NULL,
  le_40 INTEGER NOT NULL, le_50 INTEGER NOT NULL, le_60 INTEGER NOT NULL, le_70 INTEGER NOT NULL,
  le_80 INTEGER NOT NULL, le_90 INTEGER NOT NULL, le_100 INTEGER NOT NULL, rated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scan_id, kind, split, value)) WITHOUT ROWID;
CREATE TABLE scan_rule (scan_id INTEGER NOT NULL, kind TEXT NOT NULL, split TEXT NOT NULL, value TEXT NOT NULL,
  rule_id TEXT NOT NULL, failing INTEGER NOT NULL, not_applicable INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scan_id, kind, split, value, rule_id)) WITHOUT ROWID;
CREATE TABLE peer_stat (kind TEXT NOT NULL, occupation TEXT NOT NULL, region TEXT NOT NULL,
  attribute TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, scan_id INTEGER NOT NULL,
  PRIMARY KEY (kind, occupation, region, attribute, value)) WITHOUT ROWID;
INSERT INTO scan (id, type, as_of, started_at, finished_at, status, source_seq, rules_fingerprint)
  VALUES (4, 'full', '2026-10-01T12:00:00Z', '2026-10-01T12:00:01Z', '2026-10-01T12:00:02Z', 'ok', 17, 'abc'),
         (5, 'incremental', '2026-10-02T12:00:00Z', '2026-10-02T12:00:01Z', NULL, 'failed', NULL, NULL);
INSERT INTO result (kind, id, scan_id, score, failed, unreadable, region, target_groups, occupation, visible)
  VALUES ('cv', 'cv-1', 4, 87.5, '', 0, 'AM21', 'banenafspraak', '2512', 1),
         ('cv', 'cv-2', 3, 50, '', 0, 'AM21', '', '2512', 1);
)sql";

TEST(StateDb, opening_a_version_1_database_upgrades_it_in_place_and_forces_a_full_scan) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    {
        SQLite::Database v1(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        v1.exec(k_version_1_ddl);
    }
    auto db = StateDb::open(path);
    ASSERT_TRUE(db) << db.error().message;
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT value FROM state_meta WHERE key = 'schema_version'").getString(),
              std::to_string(k_state_schema_version));
    EXPECT_TRUE(raw.tableExists("score_history"));
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE "
                             "type = 'index' AND tbl_name = 'result' AND sql IS NOT NULL")
                  .getInt(),
              0) << "no secondary index on result: cards read the peer cells";
    // The current results are the baseline of the trend: version 2 made
    // them history rows, version 7 the newest point of each record's trend
    // (result.score_as_of), which leaves no replaced score. A result of a
    // scan no longer stored has no as_of.
    const auto score_as_of = [&raw] {
        std::string out;
        SQLite::Statement r(raw, "SELECT id, score, score_as_of FROM result ORDER BY id");
        while (r.executeStep()) {
            out += r.getColumn(0).getString() + " " + r.getColumn(1).getString() + " [" +
                   r.getColumn(2).getString() + "] " + (r.getColumn(2).isNull() ? "NULL " : "");
        }
        return out;
    };
    EXPECT_EQ(score_as_of(), "cv-1 87.5 [2026-10-01T12:00:00Z] cv-2 50.0 [] ");
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM score_history").getInt(), 0);
    // The stored fingerprint matches no rules directory: the next scan is full.
    auto last = (*db)->last_completed_scan();
    ASSERT_TRUE(last && last->has_value());
    EXPECT_EQ((*last)->id, 4);
    EXPECT_EQ((*last)->rules_fingerprint, "");
    EXPECT_EQ((*last)->source_seq, 17);
    db->reset();
    // Opening it again changes nothing more.
    auto again = StateDb::open(path);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(SQLite::Database(path, SQLite::OPEN_READONLY).execAndGet("SELECT count(*) FROM score_history").getInt(),
              0);
    EXPECT_EQ(score_as_of(), "cv-1 87.5 [2026-10-01T12:00:00Z] cv-2 50.0 [] ");
}

TEST(StateDb, a_database_of_a_newer_schema_version_is_refused) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    {
        auto db = StateDb::open(path);
        ASSERT_TRUE(db) << db.error().message;
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("UPDATE state_meta SET value = '" + std::to_string(k_state_schema_version + 1) +
                 "' WHERE key = 'schema_version'");
    }
    auto db = StateDb::open(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error().message.find("newer"), std::string::npos) << db.error().message;
}

TEST(StateDb, migrations_are_listed_by_ascending_version_up_to_the_current_one) {
    const auto& list = state_migrations();
    ASSERT_FALSE(list.empty());
    for (std::size_t i = 1; i < list.size(); ++i) {
        EXPECT_EQ(list[i].version, list[i - 1].version + 1) << i;
    }
    EXPECT_EQ(list.back().version, k_state_schema_version);
    for (const Migration& m : list) {
        EXPECT_FALSE(m.what.empty()) << m.version;
    }
}

TEST(StateDb, a_reader_refuses_a_file_that_needs_migrating_and_leaves_it_as_it_is) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    {
        SQLite::Database v1(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        v1.exec(k_version_1_ddl);
    }
    auto reader = StateDb::open_read_only(path);
    ASSERT_FALSE(reader);
    EXPECT_NE(reader.error().message.find("schema version 1 needs the upgrade"), std::string::npos)
        << reader.error().message;
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT value FROM state_meta WHERE key = 'schema_version'").getString(), "1");
    EXPECT_FALSE(raw.tableExists("score_history"));
    ASSERT_TRUE(StateDb::open(path)) << "a writer upgrades it";
    EXPECT_TRUE(StateDb::open_read_only(path));
}

TEST(StateDb, a_reader_refuses_a_missing_file_one_without_schema_and_a_newer_one) {
    testing::TempDir dir;
    EXPECT_FALSE(StateDb::open_read_only(dir.file("absent.db")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("absent.db"))) << "a reader creates nothing";
    { SQLite::Database empty(dir.file("empty.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
    auto empty = StateDb::open_read_only(dir.file("empty.db"));
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("no schema yet"), std::string::npos) << empty.error().message;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path));
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("UPDATE state_meta SET value = '" + std::to_string(k_state_schema_version + 1) +
                 "' WHERE key = 'schema_version'");
    }
    auto newer = StateDb::open_read_only(path);
    ASSERT_FALSE(newer);
    EXPECT_NE(newer.error().message.find("newer"), std::string::npos) << newer.error().message;
}

TEST(StateDb, a_reader_reads_while_a_scan_holds_the_write_lock) {
    testing::TempDir dir;
    const std::string path = dir.file("state.db");
    ASSERT_TRUE(StateDb::open(path));
    SQLite::Database scan(path, SQLite::OPEN_READWRITE);
    scan.exec("BEGIN IMMEDIATE");  // held until after the reads: a writer would time out
    auto reader = StateDb::open_read_only(path);
    ASSERT_TRUE(reader) << reader.error().message;
    auto last = (*reader)->last_completed_scan();
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_FALSE(last->has_value());
    scan.exec("ROLLBACK");
    EXPECT_FALSE((*reader)->start_scan(true, 1, 1)) << "a reader cannot write";
}

}  // namespace
}  // namespace spiegel::store
