// The scheduling decision as a pure function of (now, history, back-off):
// plain numbers as the clock, no sleeps.
#include <gtest/gtest.h>

#include "daemon/app/scheduler.h"

namespace spiegel::app {
namespace {

using Action = ScheduleDecision::Action;

ScheduleConfig config() {
    ScheduleConfig c;
    c.incremental_interval = 300;
    c.full_interval = 3600;
    c.first_backoff = 10;
    return c;
}

TEST(Scheduler, no_history_starts_a_full_scan_at_once) {
    EXPECT_EQ(decide(1000, {}, config()).action, Action::full);
}

TEST(Scheduler, recent_full_scan_waits_until_the_incremental_interval) {
    ScheduleState s;
    record_success(s, 1000, true);
    const auto d = decide(1100, s, config());
    EXPECT_EQ(d.action, Action::wait);
    EXPECT_DOUBLE_EQ(d.wait_seconds, 200);
}

TEST(Scheduler, incremental_is_due_exactly_at_the_interval) {
    ScheduleState s;
    record_success(s, 1000, true);
    EXPECT_EQ(decide(1299.5, s, config()).action, Action::wait);
    EXPECT_EQ(decide(1300, s, config()).action, Action::incremental);
}

TEST(Scheduler, incremental_interval_counts_from_the_last_scan_of_either_kind) {
    ScheduleState s;
    record_success(s, 1000, true);
    record_success(s, 1300, false);
    const auto d = decide(1400, s, config());
    EXPECT_EQ(d.action, Action::wait);
    EXPECT_DOUBLE_EQ(d.wait_seconds, 200);
}

TEST(Scheduler, full_scan_is_due_after_the_full_interval_even_with_recent_incrementals) {
    ScheduleState s;
    record_success(s, 1000, true);
    record_success(s, 4500, false);
    EXPECT_EQ(decide(4599, s, config()).action, Action::wait);
    EXPECT_EQ(decide(4600, s, config()).action, Action::full);
}

TEST(Scheduler, wait_is_until_the_earlier_of_full_and_incremental) {
    ScheduleState s;
    record_success(s, 1000, true);
    record_success(s, 4500, false);
    const auto d = decide(4550, s, config());  // full due at 4600, incremental at 4800
    EXPECT_EQ(d.action, Action::wait);
    EXPECT_DOUBLE_EQ(d.wait_seconds, 50);
}

TEST(Scheduler, restart_with_only_an_incremental_in_history_runs_full) {
    ScheduleState s;
    s.last_completed = 1000;
    EXPECT_EQ(decide(1001, s, config()).action, Action::full);
}

TEST(Scheduler, failure_waits_for_the_backoff_then_retries) {
    ScheduleState s;
    record_success(s, 1000, true);
    record_failure(s, 1300);
    const auto d = decide(1305, s, config());
    EXPECT_EQ(d.action, Action::wait);
    EXPECT_DOUBLE_EQ(d.wait_seconds, 5);
    EXPECT_EQ(decide(1310, s, config()).action, Action::incremental);
}

TEST(Scheduler, backoff_doubles_per_consecutive_failure_up_to_the_interval) {
    const auto c = config();
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 0), 0);
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 1), 10);
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 2), 20);
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 5), 160);
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 6), 300);
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 1000), 300);
}

TEST(Scheduler, third_failure_waits_forty_seconds) {
    ScheduleState s;
    for (double t : {100.0, 110.0, 130.0}) {
        record_failure(s, t);
    }
    EXPECT_EQ(decide(169, s, config()).action, Action::wait);
    EXPECT_EQ(decide(170, s, config()).action, Action::full);
}

TEST(Scheduler, success_resets_the_backoff) {
    ScheduleState s;
    record_failure(s, 100);
    record_failure(s, 110);
    record_success(s, 130, true);
    EXPECT_EQ(s.consecutive_failures, 0);
    EXPECT_EQ(decide(430, s, config()).action, Action::incremental);
}

TEST(Scheduler, backoff_never_exceeds_a_short_incremental_interval) {
    ScheduleConfig c = config();
    c.incremental_interval = 2;
    EXPECT_DOUBLE_EQ(backoff_seconds(c, 1), 2);
}

}  // namespace
}  // namespace spiegel::app
