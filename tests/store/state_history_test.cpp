// The score history (score_history) and peer_stat attribute target_group of
// the state database: written through the result writer, then by real scans
// (the shipped rules over a small source database), incremental and full.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/app/scan_job.h"
#include "daemon/rules/rule_set.h"
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

// Rows of score_history as "kind/id scan_id as_of score", in key order.
std::vector<std::string> history(SQLite::Database& db) {
    std::vector<std::string> out;
    SQLite::Statement q(db, "SELECT kind, id, scan_id, as_of, score FROM score_history ORDER BY kind, id, scan_id");
    while (q.executeStep()) {
        out.push_back(q.getColumn(0).getString() + "/" + q.getColumn(1).getString() + " " +
                      q.getColumn(2).getString() + " " + q.getColumn(3).getString() + " " +
                      q.getColumn(4).getString());
    }
    return out;
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

TEST_F(ScoreHistory, first_result_and_each_score_change_add_a_row_with_the_scans_as_of) {
    scan(0, {cv_result("a", 80.0), cv_result("b", 50.0)}, true);
    ResultRow a_other_failures = cv_result("a", 80.0);
    a_other_failures.failed = {"cv.skills.min"};  // other failures, same score
    a_other_failures.region = "AM01";
    scan(1, {a_other_failures, cv_result("b", 50.0)}, true);
    scan(2, {cv_result("a", 80.0), cv_result("b", 62.5)}, true);
    scan(3, {cv_result("a", 90.0)});
    EXPECT_EQ(history(*m_raw),
              (std::vector<std::string>{"cv/a 1 2026-09-21T14:13:20Z 80.0", "cv/a 4 2026-09-24T14:13:20Z 90.0",
                                        "cv/b 1 2026-09-21T14:13:20Z 50.0", "cv/b 3 2026-09-23T14:13:20Z 62.5"}));
}

TEST_F(ScoreHistory, a_new_occupation_or_visibility_with_the_same_score_adds_no_row_and_moves_the_peer) {
    scan(0, {cv_result("a", 80.0), cv_result("b", 50.0)}, true);
    ResultRow moved = cv_result("a", 80.0);
    moved.occupation = "2511";
    ResultRow hidden = cv_result("b", 50.0);
    hidden.peer.visible = false;
    scan(1, {moved, hidden}, true);
    EXPECT_EQ(history(*m_raw),
              (std::vector<std::string>{"cv/a 1 2026-09-21T14:13:20Z 80.0", "cv/b 1 2026-09-21T14:13:20Z 50.0"}));
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
              (std::vector<std::string>{"cv/b 1 2026-09-21T14:13:20Z 50.0", "cv/b 2 2026-09-22T14:13:20Z 55.0"}));
}

TEST_F(ScoreHistory, retention_keeps_per_record_the_newest_row_before_the_oldest_kept_scan) {
    scan(0, {cv_result("a", 10.0), cv_result("b", 10.0), cv_result("c", 10.0)}, true);  // scan 1
    scan(50, {cv_result("a", 20.0)});                                                     // scan 2
    scan(100, {cv_result("a", 30.0), cv_result("c", 30.0)});                              // scan 3
    scan(150, {cv_result("a", 40.0)});                                                    // scan 4
    auto kept_scans = [&] {
        std::vector<std::int64_t> ids;
        SQLite::Statement q(*m_raw, "SELECT scan_id FROM score_history ORDER BY id, scan_id");
        while (q.executeStep()) {
            ids.push_back(q.getColumn(0).getInt64());
        }
        return ids;
    };
    ASSERT_EQ(kept_scans(), (std::vector<std::int64_t>{1, 2, 3, 4, 1, 1, 3}));
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 151 * k_day));  // scans 1 and 2 go
    // a: 2 is its baseline; b: 1 is its only row; c: 1 is the newest before 3.
    EXPECT_EQ(kept_scans(), (std::vector<std::int64_t>{2, 3, 4, 1, 1, 3}));
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 250 * k_day));  // scan 3 goes; 4 is the latest
    EXPECT_EQ(kept_scans(), (std::vector<std::int64_t>{3, 4, 1, 3}));
    ASSERT_TRUE(m_db->apply_retention(90, k_t0 + 251 * k_day));  // nothing more to delete
    EXPECT_EQ(kept_scans(), (std::vector<std::int64_t>{3, 4, 1, 3}));
}

// --- real scans -------------------------------------------------------------

std::string cv_json(const std::string& id, const std::string& region, const std::string& groups,
                    bool visible = true, const std::string& email = "a@example.nl") {
    return testing::complete_cv(id, region, groups, false, visible, email);
}

class ScannedHistory : public testing::ScannedWorld {
protected:
    void upsert(const std::vector<std::string>& json) { ScannedWorld::upsert(Kind::cv, json); }

    // The card's query: "as_of score" of a record, newest first.
    std::vector<std::string> trend(const std::string& id) {
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT as_of, score FROM score_history WHERE kind = ? AND "
                                                  "id = ? ORDER BY scan_id DESC LIMIT 12");
        q.bind(1, "cv");
        q.bind(2, id);
        std::vector<std::string> out;
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString());
        }
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

TEST_F(ScannedHistory, scores_enter_the_history_when_first_seen_and_when_they_change) {
    upsert({cv_json("cv-1", "AM21", ""), cv_json("cv-2", "AM21", ""), cv_json("cv-3", "AM01", "")});
    scan(true);
    const std::vector<std::string> first = trend("cv-2");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].substr(0, 21), "2026-10-01T12:00:00Z ");
    EXPECT_EQ(history_rows(), 3);

    // Rescans of unchanged data, and a record rewritten as it was, add nothing.
    scan(false, "2026-10-02T12:00:00Z");
    scan(true, "2026-10-02T12:00:00Z");
    upsert({cv_json("cv-1", "AM21", "")});
    EXPECT_EQ(scan(false, "2026-10-02T12:00:00Z").summary.kinds[0].records, 1);
    EXPECT_EQ(history_rows(), 3);

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
    EXPECT_EQ(history_rows(), 5);

    // Deleted from the source: its history goes with its result.
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-2'");
    scan(false, "2026-10-05T12:00:00Z");
    EXPECT_TRUE(trend("cv-2").empty());
    EXPECT_EQ(history_rows(), 3);
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
        db.exec("DROP TABLE score_history; "
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
