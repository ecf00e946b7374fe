// What the metrics take from the state database: the scan history and the
// last completed scan's groups, read through a read-only connection.
#include <gtest/gtest.h>

#include "daemon/store/state_db.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using engine::ResultRow;
using model::Kind;

ResultRow cv(const std::string& id, double score, const std::string& region) {
    ResultRow r;
    r.clear();
    r.kind = Kind::cv;
    r.id = id;
    r.score = score;
    r.region = region;
    r.target_groups = {"banenafspraak"};
    r.dimensions[0] = score;
    return r;
}

struct History {
    testing::TempDir dir;
    std::string path = dir.file("state.db");
    std::unique_ptr<StateDb> db = StateDb::open(path).value();

    // A scan that completes with `aggregates` (status ok), or fails.
    std::int64_t scan(bool full, const engine::ScanAggregates& aggregates, bool ok = true) {
        const std::int64_t id = db->start_scan(full, 1000, 1000).value();
        if (!ok) {
            EXPECT_TRUE(db->fail_scan(id, "disk full", 1001));
            return id;
        }
        EXPECT_TRUE(db->write_aggregates(id, aggregates));
        ScanInfo info;
        info.id = id;
        info.full = full;
        info.finished_at = 1000 + id;
        EXPECT_TRUE(db->finish_scan(info));
        return id;
    }
};

TEST(StateDbLastScan, before_any_scan_there_is_neither_history_nor_groups) {
    History h;
    auto last = read_last_scan(h.path);
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_FALSE(last->history.last.has_value());
    EXPECT_FALSE(last->history.last_attempt_success.has_value());
    EXPECT_TRUE(last->aggregates.groups().empty());
}

TEST(StateDbLastScan, history_names_the_last_scan_of_each_type_and_the_last_attempt) {
    History h;
    const std::int64_t full = h.scan(true, {});
    const std::int64_t incremental = h.scan(false, {});
    h.scan(false, {}, false);
    auto history = h.db->read_scan_history();
    ASSERT_TRUE(history) << history.error().message;
    EXPECT_EQ(history->last->id, incremental);
    EXPECT_EQ(history->last_full->id, full);
    EXPECT_EQ(history->last_incremental->id, incremental);
    EXPECT_EQ(history->last_full->finished_at, 1000 + full);
    EXPECT_EQ(history->last_attempt_success, false);
}

TEST(StateDbLastScan, a_completed_scan_becomes_the_last_of_its_type_and_the_latest_attempt) {
    ScanHistory history;
    history.last_attempt_success = false;
    ScanInfo full;
    full.id = 3;
    full.full = true;
    history.add_completed(full);
    ScanInfo incremental;
    incremental.id = 4;
    history.add_completed(incremental);
    EXPECT_EQ(history.last->id, 4);
    EXPECT_EQ(history.last_full->id, 3);
    EXPECT_EQ(history.last_incremental->id, 4);
    EXPECT_EQ(history.last_attempt_success, true);
}

TEST(StateDbLastScan, the_groups_are_those_of_the_last_completed_scan_without_peer_cells) {
    History h;
    engine::ScanAggregates first;
    first.add(cv("a", 80.0, "AM01"));
    h.scan(true, first);
    engine::ScanAggregates second = first;
    second.add(cv("b", 40.0, "AM21"));
    h.scan(true, second);
    h.scan(false, {}, false);
    auto last = read_last_scan(h.path);
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_TRUE(last->aggregates.groups() == second.groups());
    EXPECT_TRUE(last->aggregates.peers().empty());
    EXPECT_EQ(last->aggregates.total(Kind::cv).profiles, 2);
    EXPECT_EQ(last->aggregates.total(Kind::cv).dimension_tenths[0], 1200);
}

}  // namespace
}  // namespace spiegel::store
