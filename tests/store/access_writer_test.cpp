// AccessWriter: audit rows are committed in groups off the caller's thread,
// a caller learns when its row cannot be committed in time (fail closed),
// old rows are pruned and the WAL file stays bounded.

#include "daemon/store/access_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t k_write_now = 1790856000;  // 2026-10-01T12:00:00Z

struct WriterFixture {
    testing::TempDir dir;
    util::ManualClock clock{k_write_now};
    std::string path = dir.file("data/access.db");

    std::unique_ptr<AccessWriter> start(AccessWriterOptions options = {}) {
        options.path = path;
        options.prune_interval = std::chrono::seconds(0);  // only prune_now()
        auto writer = AccessWriter::start(options, clock);
        EXPECT_TRUE(writer.ok()) << (writer ? "" : writer.error().message);
        return writer ? std::move(*writer) : nullptr;
    }
    std::size_t rows() {
        auto db = AccessDb::open(path);
        auto log = (*db)->access_log();
        return log ? log->size() : 0;
    }
};

AccessRow row(std::int64_t time, const std::string& id = "CV-1") {
    return AccessRow{time, "adviseur", Role::adviser, "cv", id, 200};
}

TEST(AccessWriter, a_recorded_row_is_committed_before_record_returns) {
    WriterFixture f;
    auto writer = f.start();
    ASSERT_TRUE(writer->record(row(k_write_now)).ok());
    EXPECT_EQ(f.rows(), 1U);  // read through another connection
}

TEST(AccessWriter, concurrent_callers_share_commits) {
    WriterFixture f;
    auto writer = f.start();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 250; ++i) {
                if (!writer->record(row(k_write_now, "CV-" + std::to_string(t * 1000 + i))).ok()) {
                    ++failures;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(f.rows(), 2000U);
    EXPECT_LE(writer->commits(), 2000);
}

TEST(AccessWriter, a_row_that_cannot_be_committed_in_time_is_refused) {
    WriterFixture f;
    AccessWriterOptions options;
    options.audit_timeout = 200ms;
    auto writer = f.start(options);
    SQLite::Database other(f.path, SQLite::OPEN_READWRITE);
    other.setBusyTimeout(5000);
    other.exec("BEGIN IMMEDIATE");  // another process holds the write lock
    const auto refused = writer->record(row(k_write_now));
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("not committed within 200 ms"), std::string::npos)
        << refused.error().message;
    other.exec("ROLLBACK");
    EXPECT_TRUE(writer->record(row(k_write_now, "CV-2")).ok());
}

// The callback's result, waited for by the test.
struct WriteOutcome {
    std::promise<util::Status> promise;
    AccessWriter::Done done() {
        return [this](util::Status status) { promise.set_value(std::move(status)); };
    }
};

TEST(AccessWriter, an_async_row_is_committed_before_its_callback) {
    WriterFixture f;
    auto writer = f.start();
    WriteOutcome outcome;
    std::size_t rows_seen = 99;
    writer->record_async(row(k_write_now), [&](util::Status status) {
        rows_seen = f.rows();  // on the writer thread, after the commit
        outcome.promise.set_value(std::move(status));
    });
    EXPECT_TRUE(outcome.promise.get_future().get().ok());
    EXPECT_EQ(rows_seen, 1U);
}

TEST(AccessWriter, an_async_row_that_cannot_be_committed_in_time_is_refused_by_the_deadline) {
    WriterFixture f;
    AccessWriterOptions options;
    options.audit_timeout = 200ms;
    auto writer = f.start(options);
    SQLite::Database other(f.path, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");  // the writer's commit waits on this lock
    WriteOutcome first;
    WriteOutcome second;
    writer->record_async(row(k_write_now, "CV-1"), first.done());
    writer->record_async(row(k_write_now, "CV-2"), second.done());
    // Answered by the watchdog while the writer still waits for the lock.
    auto refused = first.promise.get_future();
    ASSERT_EQ(refused.wait_for(5s), std::future_status::ready);
    const auto status = refused.get();
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.error().message.find("not committed within 200 ms"), std::string::npos);
    EXPECT_FALSE(second.promise.get_future().get().ok());
    other.exec("ROLLBACK");
    EXPECT_TRUE(writer->record(row(k_write_now, "CV-3")).ok());
}

TEST(AccessWriter, rows_older_than_the_retention_are_pruned) {
    WriterFixture f;
    AccessWriterOptions options;
    options.audit_retention_days = 30;
    options.prune_batch = 2;  // several batches
    auto writer = f.start(options);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(writer->record(row(k_write_now - 31 * 86400 - i, "OLD-" + std::to_string(i))).ok());
    }
    ASSERT_TRUE(writer->record(row(k_write_now - 29 * 86400, "KEEP")).ok());
    auto pruned = writer->prune_now();
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(*pruned, 5);
    EXPECT_EQ(f.rows(), 1U);
    writer->set_retention_days(1);
    EXPECT_EQ(*writer->prune_now(), 1);
}

// A pass walks on past a batch with an old row beside a new one (the clock
// was stepped back), and past a batch written while the clock ran ahead;
// it ends at the first batch of the present with no old row.
TEST(AccessWriter, pruning_walks_past_rows_of_a_clock_that_was_stepped) {
    WriterFixture f;
    AccessWriterOptions options;
    options.audit_retention_days = 1;
    options.prune_batch = 2;
    auto writer = f.start(options);
    const std::int64_t day = 86400;
    const std::int64_t ahead = k_write_now + 400 * day;
    for (std::int64_t t : {k_write_now - 2 * day, k_write_now, k_write_now - 3 * day, k_write_now - 3 * day, ahead,
                           ahead, k_write_now - 5 * day, k_write_now, k_write_now, k_write_now, k_write_now - 9 * day}) {
        ASSERT_TRUE(writer->record(row(t)).ok());
    }
    auto pruned = writer->prune_now();
    ASSERT_TRUE(pruned.ok());
    // Batches: [old, now] [old, old] [ahead, ahead] [old, now] [now, now]:
    // ends there; the last old row, written after them, waits.
    EXPECT_EQ(*pruned, 4);
    EXPECT_EQ(f.rows(), 7U);
}

TEST(AccessWriter, the_wal_stays_below_its_limit_under_many_rows) {
    WriterFixture f;
    AccessWriterOptions options;
    options.wal_max_bytes = 1024 * 1024;
    auto writer = f.start(options);
    auto reader = AccessDb::open(f.path, AccessDb::Mode::read_only);  // a reader exists, as in the daemon
    ASSERT_TRUE(reader.ok());
    std::int64_t largest = 0;
    for (int i = 0; i < 20000; ++i) {
        ASSERT_TRUE(writer->record(row(k_write_now, "CV-" + std::to_string(i))).ok());
        largest = std::max(largest, writer->wal_bytes());
    }
    EXPECT_EQ(f.rows(), 20000U);
    EXPECT_LE(largest, options.wal_max_bytes);
    EXPECT_GT(writer->checkpoints(), 0);  // by the checkpoint thread, then the writer's catch-ups
}

TEST(AccessWriter, the_first_prune_runs_at_start) {
    WriterFixture f;
    {
        auto db = AccessDb::open(f.path);
        ASSERT_TRUE((*db)->record_access({row(k_write_now - 400 * 86400, "OLD")}).ok());
    }
    AccessWriterOptions options;
    options.path = f.path;
    auto writer = AccessWriter::start(options, f.clock);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->record(row(k_write_now)).ok());
    for (int i = 0; i < 500 && f.rows() != 1; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(f.rows(), 1U) << "the row past the 365-day default is gone";
}

TEST(AccessWriter, queued_rows_are_committed_when_the_writer_stops) {
    WriterFixture f;
    {
        auto writer = f.start();
        std::thread caller([&] { EXPECT_TRUE(writer->record(row(k_write_now)).ok()); });
        caller.join();
    }
    EXPECT_EQ(f.rows(), 1U);
}

}  // namespace
}  // namespace spiegel::store
