#include "daemon/app/scheduler.h"

#include <algorithm>
#include <cmath>

namespace spiegel::app {

double backoff_seconds(const ScheduleConfig& config, int failures) {
    if (failures <= 0) {
        return 0;
    }
    const double raw = config.first_backoff * std::pow(2.0, std::min(failures - 1, 30));
    return std::min(raw, config.incremental_interval);
}

ScheduleDecision decide(double now, const ScheduleState& state, const ScheduleConfig& config) {
    using Action = ScheduleDecision::Action;
    if (state.last_failure && state.consecutive_failures > 0) {
        const double retry_at = *state.last_failure + backoff_seconds(config, state.consecutive_failures);
        if (now < retry_at) {
            return {Action::wait, retry_at - now};
        }
    }
    const double full_due = state.last_full ? *state.last_full + config.full_interval : now;
    if (now >= full_due) {
        return {Action::full, 0};
    }
    const double incremental_due = state.last_completed ? *state.last_completed + config.incremental_interval : now;
    if (now >= incremental_due) {
        return {Action::incremental, 0};
    }
    return {Action::wait, std::min(full_due, incremental_due) - now};
}

void record_success(ScheduleState& state, double now, bool full) {
    state.last_completed = now;
    if (full) {
        state.last_full = now;
    }
    state.consecutive_failures = 0;
    state.last_failure.reset();
}

void record_failure(ScheduleState& state, double now) {
    state.last_failure = now;
    ++state.consecutive_failures;
}

}  // namespace spiegel::app
