#pragma once
// The one source of "now" (as Envoy's TimeSource): wall time for
// timestamps, audit rows and rate windows, monotonic time for durations and
// deadlines. Production code takes a `const Clock&` (or a shared pointer)
// and never reads std::chrono clocks itself; tests inject a ManualClock and
// move time without sleeping. Implementations are thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace spiegel::util {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point wall() const = 0;
    virtual std::chrono::steady_clock::time_point monotonic() const = 0;

    // Whole seconds since the epoch of wall().
    std::int64_t wall_seconds() const {
        return std::chrono::duration_cast<std::chrono::seconds>(wall().time_since_epoch()).count();
    }
};

// The operating system's clocks.
class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point wall() const override { return std::chrono::system_clock::now(); }
    std::chrono::steady_clock::time_point monotonic() const override { return std::chrono::steady_clock::now(); }
};

// The process-wide system clock (stateless, so sharing it is safe).
const Clock& system_clock();

// A clock that moves only when told (tests). Both readings advance together.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t wall_seconds = 0) : m_nanos(wall_seconds * 1'000'000'000LL) {}
    std::chrono::system_clock::time_point wall() const override {
        return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(m_nanos.load())));
    }
    std::chrono::steady_clock::time_point monotonic() const override {
        return std::chrono::steady_clock::time_point(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::nanoseconds(m_nanos.load())));
    }
    void advance(std::chrono::nanoseconds by) { m_nanos += by.count(); }
    void set_wall_seconds(std::int64_t seconds) { m_nanos = seconds * 1'000'000'000LL; }

private:
    std::atomic<std::int64_t> m_nanos;
};

}  // namespace spiegel::util
