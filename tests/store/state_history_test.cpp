// The score history (score_history) and peer_stat attribute target_group of
// the state database: written through the result writer, then by real scans
// (the shipped rules over a small source database), incremental and full.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/app/scan_job.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/card_reader.h"
#include "daemon/store/source_db.h"
#include "daemon/store/state_db.h"
#include "daemon/util/time.h"
#include "tests/support/scanned_world.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using engine::ResultRow;
using model::Kind;

constexpr std::int64_t k_day = 86400;
constexpr std::int64_t k_t0 = 1'790'000'000;

ResultRow cv_result(const std::string& id, double score) {
    ResultRow r;
    r.clear();
    r.kind = Kind::cv;
    r.id = id;
    r.score = score;
    r.region = "AM21";
    r.occupation = "2512";
    r.peer.visible = true;
    return r;
}

// A record's scores over time: the replaced ones (score_history, by the
// scan that replaced them) and then the current one (result, since its
// score_as_of). The query of the cards' trend, as "as_of score", oldest
// first; at most `limit` of the newest.
constexpr const char* k_points_sql =
    "SELECT as_of, score FROM (SELECT as_of, score, scan_id AS k FROM score_history WHERE kind = ?1 AND id = ?2 "
    "UNION ALL SELECT score_as_of, score, 9223372036854775807 FROM result WHERE kind = ?1 AND id = ?2 "
    "AND score_as_of IS NOT NULL) ORDER BY k DESC LIMIT ?3";

std::vector<std::string> points(SQLite::Database& db, const std::string& kind, const std::string& id,
                                int limit = 1000) {
    SQLite::Statement q(db, k_points_sql);
    q.bind(1, kind);
    q.bind(2, id);
    q.bind(3, limit);
    std::vector<std::string> out;
    while (q.executeStep()) {
        out.insert(out.begin(), q.getColumn(0).getString() + " " + q.getColumn(1).getString());
    }
    return out;
}

// Every record's scores over time as "kind/id as_of score", records in key
// order, each oldest first.
std::vector<std::string> history(SQLite::Database& db) {
    std::vector<std::string> out;
    SQLite::Statement records(db, "SELECT kind, id FROM result UNION SELECT kind, id FROM score_history ORDER BY 1, 2");
    while (records.executeStep()) {
        const std::string kind = records.getColumn(0).getString();
        const std::string id = records.getColumn(1).getString();
        for (const std::string& p : points(db, kind, id)) {
            out.push_back(kind + "/" + id + " " + p);
        }
    }
    return out;
}

std::int64_t history_row_count(SQLite::Database& db) {
    return db.execAndGet("SELECT count(*) FROM score_history").getInt64();
}

class ScoreHistory : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = StateDb::open(m_dir.file("state.db"));
        ASSERT_TRUE(db) << db.error().message;
        m_db = std::move(*db);
        m_raw.emplace(m_dir.file("state.db"), SQLite::OPEN_READONLY);
    }

    // A completed scan started at day `day` writing `rows` (a full cv kind when full).
    std::int64_t scan(int day, const std::vector<ResultRow>& rows, bool full = false) {
        const std::int64_t at = k_t0 + day * k_day;
        const auto id = m_db->start_scan(full, at, at);
        EXPECT_TRUE(id);
        auto tx = m_db->begin();
        EXPECT_TRUE(tx);
        auto writer = m_db->result_writer(*id);
        EXPECT_TRUE(writer->begin_kind(Kind::cv, full));
        for (const auto& r : rows) {
            EXPECT_TRUE(writer->put(r));
        }
        EXPECT_TRUE(writer->end_kind(Kind::cv, full));
        ScanInfo info;
        info.id = *id;
        info.full = full;
        info.finished_at = at + 5;
        EXPECT_TRUE(m_db->finish_scan(info));
        EXPECT_TRUE(tx->commit());
        return *id;
    }

    testing::TempDir m_dir;
    std::unique_ptr<StateDb> m_db;
    std::optional<SQLite::Database> m_raw;  // a second connection for the assertions
};

TEST_F(ScoreHistory, first_result_and_each_score_change_add_a_point_with_the_scans_as_of) {
    scan(0, {cv_result("a", 80.0), cv_result("b", 50.0)}, true);
    EXPECT_EQ(history_row_count(*m_raw), 0) << "a first score is the result row's own";
    ResultRow a_other_failures = cv_result("a", 80.0);
    a_other_failures.failed = {"cv.skills.min"};  // other failures, same score
    a_other_failures.region = "AM01";
    scan(1, {a_other_failures, cv_result("b", 50.0)}, true);
    scan(2, {cv_result("a", 80.0), cv_result("b", 62.5)}, true);
    scan(3, {cv_result("a", 90.0)});
    EXPECT_EQ(history(*m_raw),
              (std::vector<std::string>{"cv/a 2026-09-21T14:13:20Z 80.0", "cv/a 2026-09-24T14:13:20Z 90.0",
                                        "cv/b 2026-09-21T14:13:20Z 50.0", "cv/b 2026-09-23T14:13:20Z 62.5"}));
    // The replaced scores, each keyed by the scan that replaced it.
    SQLite::Statement rows(*m_raw, "SELECT id, scan_id, as_of, score FROM score_history ORDER BY id");
    std::vector<std::string> replaced;
    while (rows.executeStep()) {
        replaced.push_back(rows.getColumn(0).getString() + " " + rows.getColumn(1).getString() + " " +
                           rows.getColumn(2).getString() + " " + rows.getColumn(3).getString());
    }
    EXPECT_EQ(replaced, (std::vector<std::string>{"a 4 2026-09-21T14:13:20Z 80.0", "b 3 2026-09-21T14:13:20Z 50.0"}));
}

TEST_F(ScoreHistory, the_trend_holds_the_twelve_newest_scores) {
    for (int day = 0; day < 15; ++day) {
        scan(day, {cv_result("a", 10.0 + day)}, true);
    }
    const std::vector<std::string> trend = points(*m_raw, "cv", "a", 12);
    ASSERT_EQ(trend.size(), 12u);
    EXPECT_EQ(trend.front(), "2026-09-24T14:13:20Z 13.0");
    EXPECT_EQ(trend.back(), "2026-10-05T14:13:20Z 24.0");
    EXPECT_EQ(history_row_count(*m_raw), 14);
}

TEST_F(ScoreHistory, a_new_occupation_or_visibility_with_the_same_score_adds_no_row_and_moves_the_peer) {
    scan(0, {cv_result("a", 80.0), cv_result("b", 50.0)}, true);
    ResultRow moved = cv_result("a", 80.0);
    moved.occupation = "2511";
    ResultRow hidden = cv_result("b", 50.0);
    hidden.peer.visible = false;
    scan(1, {moved, hidden}, true);
    EXPECT_EQ(history(*m_raw),
              (std::vector<std::string>{"cv/a 2026-09-21T14:13:20Z 80.0", "cv/b 2026-09-21T14:13:20Z 50.0"}));
    EXPECT_EQ(history_row_count(*m_raw), 0);
    auto peers = [&](const char* occupation) {
        SQLite::Statement q(*m_raw, "SELECT count(*) FROM result WHERE kind = 'cv' AND occupation = ? "
                                              "AND visible = 1");
        q.bind(1, occupation);
        q.executeStep();
        return q.getColumn(0).getInt();
    };
    EXPECT_EQ(peers("2512"), 0);
    EXPECT_EQ(peers("2511"), 1);
}

TEST_F(ScoreHistory, a_removed_or_reconciled_record_loses_its_history) {
    scan(0, {cv_result("a", 80.0), cv_result("b", 50.0), cv_result("c", 40.0)}, true);
    scan(1, {cv_result("a", 70.0), cv_result("b", 55.0)});
    {
        auto tx = m_db->begin();
        auto writer = m_db->result_writer(3);
        ASSERT_TRUE(writer->remove(Kind::cv, {"a"}));
        ASSERT_TRUE(tx->commit());
    }
    scan(2, {cv_result("b", 55.0)}, true);  // c is gone from the source
    EXPECT_EQ(history(*m_raw),
              (std::vector<std::string>{"cv/b 2026-09-21T14:13:20Z 50.0", "cv/b 2026-09-22T14:13:20Z 55.0"}));
    EXPECT_EQ(history_row_count(*m_raw), 1);
}

TEST_F(ScoreHistory, retention_keeps_per_record_the_newest_score_before_the_oldest_kept_scan) {
    scan(0, {cv_result("a", 10.0), cv_result("b", 10.0), cv_result("c", 10.0)}, true);  // scan 1
    scan(50, {cv_result("a", 20.0)});                                                     // scan 2
    scan(100, {cv_result("a", 30.0), cv_result("c", 30.0)});                              // scan 3
    scan(150, {cv_result("a", 40.0)});                                                    // scan 4
    // Per record, the days of the scans its kept scores started at.
    auto kept_days = [&] {
        std::vector<std::string> out;
        for (const std::string& p : history(*m_raw)) {
            const std::int64_t at = *util::parse_timestamp(p.substr(5, 20));
            out.push_back(p.substr(3, 1) + std::to_string((at - k_t0) / k_day));
        }
        return out;
    };
    ASSERT_EQ(kept_days(), (std::vector<std::string>{"a0", "a50", "a100", "a150", "b0", "c0", "c100"}));
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 151 * k_day));  // scans 1 and 2 go
    // a: its day-50 score is its baseline; b: its only score; c: the newest before day 100.
    EXPECT_EQ(kept_days(), (std::vector<std::string>{"a50", "a100", "a150", "b0", "c0", "c100"}));
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 250 * k_day));  // scan 3 goes; 4 is the latest
    EXPECT_EQ(kept_days(), (std::vector<std::string>{"a100", "a150", "b0", "c100"}));
    EXPECT_EQ(history_row_count(*m_raw), 1) << "a's day-100 score; the others are current results";
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 251 * k_day));  // nothing more to delete
    EXPECT_EQ(kept_days(), (std::vector<std::string>{"a100", "a150", "b0", "c100"}));
}

// --- real scans -------------------------------------------------------------

std::string cv_json(const std::string& id, const std::string& region, const std::string& groups,
                    bool visible = true, const std::string& email = "a@example.nl") {
    return testing::complete_cv(id, region, groups, false, visible, email);
}

class ScannedHistory : public testing::ScannedWorld {
protected:
    void upsert(const std::vector<std::string>& json) { ScannedWorld::upsert(Kind::cv, json); }

    // The card's trend: "as_of score" of a record, newest first.
    std::vector<std::string> trend(const std::string& id) {
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READONLY);
        std::vector<std::string> out = points(db, "cv", id, 12);
        std::reverse(out.begin(), out.end());
        return out;
    }

    std::int64_t history_rows() {
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT count(*) FROM score_history").getInt64();
    }

    // peer_stat rows of attribute target_group as "region value count".
    std::vector<std::string> target_group_peers() {
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT region, value, count FROM peer_stat WHERE kind = 'cv' "
                                                  "AND occupation = '2512' AND attribute = 'target_group' "
                                                  "ORDER BY region, value");
        std::vector<std::string> out;
        while (q.executeStep()) {
            out.push_back("[" + q.getColumn(0).getString() + "] " + q.getColumn(1).getString() + " " +
                          q.getColumn(2).getString());
        }
        return out;
    }
};

TEST_F(ScannedHistory, scores_enter_the_trend_when_first_seen_and_when_they_change) {
    upsert({cv_json("cv-1", "AM21", ""), cv_json("cv-2", "AM21", ""), cv_json("cv-3", "AM01", "")});
    scan(true);
    const std::vector<std::string> first = trend("cv-2");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].substr(0, 21), "2026-10-01T12:00:00Z ");
    EXPECT_EQ(history_rows(), 0);

    // Rescans of unchanged data, and a record rewritten as it was, add nothing.
    scan(false, "2026-10-02T12:00:00Z");
    scan(true, "2026-10-02T12:00:00Z");
    upsert({cv_json("cv-1", "AM21", "")});
    EXPECT_EQ(scan(false, "2026-10-02T12:00:00Z").summary.kinds[0].records, 1);
    EXPECT_EQ(history_rows(), 0);

    // An invalid e-mail address fails a rule: incremental scan.
    upsert({cv_json("cv-2", "AM21", "", true, "not an address")});
    const ScanInfo incremental = scan(false, "2026-10-03T12:00:00Z");
    ASSERT_FALSE(incremental.full);
    const std::vector<std::string> second = trend("cv-2");
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].substr(0, 21), "2026-10-03T12:00:00Z ");
    EXPECT_LT(std::stod(second[0].substr(21)), std::stod(second[1].substr(21)));
    EXPECT_EQ(second[1], first[0]);

    // The same change on another record: full scan.
    upsert({cv_json("cv-3", "AM01", "", true, "not an address")});
    ASSERT_TRUE(scan(true, "2026-10-04T12:00:00Z").full);
    const std::vector<std::string> third = trend("cv-3");
    ASSERT_EQ(third.size(), 2u);
    EXPECT_EQ(third[0], "2026-10-04T12:00:00Z " + second[0].substr(21));
    EXPECT_EQ(trend("cv-2"), second);
    EXPECT_EQ(history_rows(), 2);

    // Deleted from the source: its history goes with its result.
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-2'");
    scan(false, "2026-10-05T12:00:00Z");
    EXPECT_TRUE(trend("cv-2").empty());
    EXPECT_EQ(history_rows(), 1);
}

// Version 7 moved each record's current score from score_history to its
// result row: the cards show the same trends before and after the upgrade.
TEST_F(ScannedHistory, the_upgrade_from_version_6_keeps_every_cards_trend) {
    upsert({cv_json("cv-1", "AM21", ""), cv_json("cv-2", "AM21", ""), cv_json("cv-3", "AM01", "")});
    scan(true, "2026-10-01T12:00:00Z");
    upsert({cv_json("cv-2", "AM21", "", true, "not an address")});
    scan(false, "2026-10-02T12:00:00Z");
    upsert({cv_json("cv-2", "AM21", ""), cv_json("cv-3", "AM01", "", false)});
    scan(true, "2026-10-03T12:00:00Z");
    upsert({cv_json("cv-2", "AM21", "", true, "not an address")});
    scan(false, "2026-10-04T12:00:00Z");
    const std::vector<std::string> ids = {"cv-1", "cv-2", "cv-3"};
    const auto card_trends = [&] {
        store::CardReader reader(m_config.state.database, m_config.source.database);
        std::vector<std::string> out;
        for (const std::string& id : ids) {
            auto card = reader.read_cv(id, false, 1);
            EXPECT_TRUE(card && card->has_value());
            std::string line = id + ":";
            for (const TrendPoint& p : (*card)->trend) {
                line += " " + p.as_of + "=" + std::to_string(p.score);
            }
            out.push_back(line);
        }
        return out;
    };
    const std::vector<std::string> before = card_trends();
    ASSERT_EQ(std::count(before[1].begin(), before[1].end(), '='), 4) << before[1];
    EXPECT_EQ(before[0], "cv-1: 2026-10-01T12:00:00Z=" + std::to_string(100.0)) << before[2];
    {
        // Back to what version 6 stored: every score a history row keyed by
        // the scan it started at, result without score_as_of.
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READWRITE);
        db.exec(std::string(testing::k_peer_stat_as_table_sql) +
                "CREATE TEMP TABLE v6 AS "
                "SELECT kind, id, (SELECT scan.id FROM scan WHERE scan.as_of = h.as_of) AS scan_id, as_of, score "
                "FROM score_history AS h UNION ALL "
                "SELECT kind, id, (SELECT scan.id FROM scan WHERE scan.as_of = r.score_as_of), score_as_of, score "
                "FROM result AS r; "
                "DELETE FROM score_history; "
                "INSERT INTO score_history SELECT * FROM temp.v6; "
                "ALTER TABLE result DROP COLUMN score_as_of; "
                "UPDATE state_meta SET value = '6' WHERE key = 'schema_version'");
        ASSERT_EQ(db.execAndGet("SELECT count(*) FROM score_history WHERE scan_id IS NULL").getInt(), 0);
        ASSERT_EQ(db.execAndGet("SELECT count(*) FROM score_history").getInt(), 6);
    }
    ASSERT_TRUE(StateDb::open(m_config.state.database));
    EXPECT_EQ(card_trends(), before);
    EXPECT_EQ(history_rows(), 3) << "the current scores left score_history";
    // Scanning on after the upgrade extends the same trends.
    upsert({cv_json("cv-1", "AM21", "", true, "not an address")});
    scan(false, "2026-10-05T12:00:00Z");
    const std::vector<std::string> after = card_trends();
    EXPECT_EQ(after[0].substr(0, before[0].size()), before[0]);
    EXPECT_EQ(std::count(after[0].begin(), after[0].end(), '='), 2) << after[0];
    EXPECT_EQ(after[1], before[1]);
}

TEST_F(ScannedHistory, target_group_peers_match_hand_counts_and_incremental_patches_equal_a_full_scan) {
    upsert({cv_json("cv-1", "AM21", R"("banenafspraak","ww")"), cv_json("cv-2", "AM21", R"("banenafspraak")"),
            cv_json("cv-3", "AM01", ""), cv_json("cv-4", "AM21", R"("banenafspraak")", false),
            cv_json("cv-5", "AM01", R"("ww")")});
    scan(true);
    EXPECT_EQ(target_group_peers(), (std::vector<std::string>{"[] banenafspraak 2", "[] ww 2", "[AM01] ww 1",
                                                              "[AM21] banenafspraak 2", "[AM21] ww 1"}));

    upsert({cv_json("cv-1", "AM21", R"("ww")"), cv_json("cv-3", "AM01", R"("banenafspraak")"),
            cv_json("cv-4", "AM21", R"("banenafspraak")", true)});
    ASSERT_FALSE(scan(false).full);
    const std::vector<std::string> patched = target_group_peers();
    EXPECT_EQ(patched, (std::vector<std::string>{"[] banenafspraak 3", "[] ww 2", "[AM01] banenafspraak 1",
                                                 "[AM01] ww 1", "[AM21] banenafspraak 2", "[AM21] ww 1"}));
    ASSERT_TRUE(scan(true).full);
    EXPECT_EQ(target_group_peers(), patched);
}

TEST_F(ScannedHistory, the_first_scan_after_the_upgrade_from_version_1_is_full) {
    upsert({cv_json("cv-1", "AM21", R"("banenafspraak")"), cv_json("cv-2", "AM01", "")});
    scan(true);
    {
        // Back to what version 1 stored.
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READWRITE);
        db.exec(std::string(testing::k_peer_stat_as_table_sql) +
                "DROP TABLE score_history; "
                "CREATE INDEX result_occupation ON result(kind, occupation); "
                "DROP TRIGGER result_history_delete; "
                "DELETE FROM peer_stat WHERE attribute = 'target_group'; "
                "UPDATE state_meta SET value = '1' WHERE key = 'schema_version'");
    }
    const ScanInfo next = scan(false, "2026-10-02T12:00:00Z");
    EXPECT_TRUE(next.full);
    EXPECT_EQ(target_group_peers(), (std::vector<std::string>{"[] banenafspraak 1", "[AM21] banenafspraak 1"}));
    EXPECT_EQ(trend("cv-1").size(), 1u);  // the baseline; the score did not change
    EXPECT_FALSE(scan(false, "2026-10-03T12:00:00Z").full);
}

}  // namespace
}  // namespace spiegel::store
