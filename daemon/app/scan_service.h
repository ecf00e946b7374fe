#pragma once
// The daemon's scans (docs/daemon.md): decides on the io thread when the
// next scan is due (scheduler.h), runs it on its own worker thread (never
// two at once), hands the results to the metrics exporter and retries a
// failed scan after a back-off while the last good results stay served.
//
// Threading: construct, restore, start, settings_changed and stop on the io
// thread (or before it runs); ready() and scanning() from any thread. The
// destructor joins the worker (a running scan must have been stopped).

#include <atomic>
#include <functional>
#include <memory>

#include "daemon/app/scheduler.h"
#include "daemon/app/settings.h"
#include "daemon/http/asio.h"
#include "daemon/util/clock.h"
#include "daemon/util/expected.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

class ScanService {
public:
    ScanService(boost::asio::io_context& io, const SettingsStore& settings, metrics::Exporter& exporter,
                const util::Clock& clock);
    ~ScanService();
    ScanService(const ScanService&) = delete;
    ScanService& operator=(const ScanService&) = delete;

    // Reads the stored schedule, marks scans a killed process left
    // 'running' as interrupted, and publishes the stored results (a
    // restarted daemon is ready at once). Errors: the state database.
    util::Status restore();
    // Starts the schedule: a scan at once when one is due.
    void start();
    // The intervals may have changed (a reload): reschedules the wait.
    void settings_changed();
    // Stops scheduling; a running scan stops at its next chunk without
    // committing. `stopped` runs on the io thread once no scan runs.
    void stop(std::function<void()> stopped);

    bool ready() const { return m_ready.load(); }
    bool scanning() const { return m_scanning.load(); }
    const std::atomic<bool>& ready_flag() const { return m_ready; }

    struct Outcome;

private:
    void schedule_next();
    void start_scan(bool full);
    void scan_done(const Outcome& outcome);

    boost::asio::io_context& m_io;
    const SettingsStore& m_settings;
    metrics::Exporter& m_exporter;
    const util::Clock& m_clock;
    boost::asio::steady_timer m_timer;
    ScheduleState m_schedule;
    std::atomic<bool> m_ready{false};
    std::atomic<bool> m_scanning{false};
    std::atomic<bool> m_cancel{false};  // a running scan stops at its next chunk
    bool m_stopping = false;
    std::function<void()> m_stopped;
    // Last: destroyed (joined) first. Scans run here, one at a time.
    std::unique_ptr<boost::asio::thread_pool> m_worker;
};

}  // namespace spiegel::app
