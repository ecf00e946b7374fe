#pragma once
// When the daemon scans next: a pure function of the clock and the scan
// history, so it is tested with plain numbers instead of sleeps.
//
// A full scan is due full_interval after the last full scan (at once when
// there is none); an incremental scan is due incremental_interval after the
// last completed scan of either kind. After a failure nothing runs until the
// back-off has passed: 10 s, doubling per consecutive failure, capped at the
// incremental interval. A success resets the failure count.

#include <cstdint>
#include <optional>

namespace spiegel::app {

struct ScheduleConfig {
    double incremental_interval = 300;  // seconds
    double full_interval = 86400;
    double first_backoff = 10;
};

// Times are seconds on one clock (the daemon uses the wall clock, so the
// stored history counts after a restart).
struct ScheduleState {
    std::optional<double> last_full;          // finish of the last completed full scan
    std::optional<double> last_completed;     // finish of the last completed scan, any kind
    std::optional<double> last_failure;       // finish of the last failed scan
    int consecutive_failures = 0;
};

struct ScheduleDecision {
    enum class Action { wait, incremental, full };
    Action action = Action::wait;
    double wait_seconds = 0;  // for wait: until something is due (> 0)
};

// The back-off after `failures` consecutive failures (0 when none).
double backoff_seconds(const ScheduleConfig& config, int failures);

ScheduleDecision decide(double now, const ScheduleState& state, const ScheduleConfig& config);

// Updates the state after a scan finished at `now`.
void record_success(ScheduleState& state, double now, bool full);
void record_failure(ScheduleState& state, double now);

}  // namespace spiegel::app
