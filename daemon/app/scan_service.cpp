#include "daemon/app/scan_service.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "daemon/app/logging.h"
#include "daemon/app/scan_job.h"
#include "daemon/metrics/exporter.h"
#include "daemon/store/state_db.h"

namespace spiegel::app {
namespace {

namespace asio = boost::asio;

// The scheduler's clock: wall seconds with fractions (the stored history counts after a restart).
double wall_time(const util::Clock& clock) {
    return std::chrono::duration<double>(clock.wall().time_since_epoch()).count();
}

ScheduleConfig schedule_config(const Config& config) {
    ScheduleConfig s;
    s.incremental_interval = config.scan.incremental_interval_seconds;
    s.full_interval = config.scan.full_interval_seconds;
    return s;
}

// How long the start waits for another process's write lock on the state
// database before it serves the stored results read-only (restore()).
constexpr std::chrono::milliseconds k_start_lock_wait{1000};

// Scans yield the CPU to serving: the worker thread (and the reader thread
// a scan starts from it, which inherits the value) runs at a lower priority.
constexpr int k_scan_nice = 10;

void lower_thread_priority() {
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    if (setpriority(PRIO_PROCESS, tid, k_scan_nice) != 0) {
        log_warn("cannot lower the scan thread's priority", {{"errno", std::to_string(errno)}});
    }
}

}  // namespace

struct ScanService::Outcome {
    bool ok = false;
    bool stopped = false;
    store::ScanInfo info;
    std::string error;
    double seconds = 0;
};

namespace {

void log_scan(const ScanService::Outcome& o) {
    if (o.stopped) {
        log_info("scan stopped before completion; the previous results stay", {{"seconds", std::to_string(o.seconds)}});
        return;
    }
    if (!o.ok) {
        log_error("scan failed", {{"error", o.error}, {"seconds", std::to_string(o.seconds)}});
        return;
    }
    const auto records = [&](model::Kind k) {
        return std::to_string(o.info.summary.kinds[static_cast<std::size_t>(k)].records);
    };
    log_info("scan finished", {{"scan", std::to_string(o.info.id)},
                               {"type", o.info.full ? "full" : "incremental"},
                               {"cv", records(model::Kind::cv)},
                               {"vacancy", records(model::Kind::vacancy)},
                               {"employer", records(model::Kind::employer)},
                               {"unreadable", std::to_string(o.info.summary.unreadable())},
                               {"deleted", std::to_string(o.info.summary.total(&engine::KindSummary::deleted))},
                               // results kept unevaluated: their records' stored values did not change
                               {"kept", std::to_string(o.info.summary.total(&engine::KindSummary::reused))},
                               {"seconds", std::to_string(o.seconds)}});
}

}  // namespace

ScanService::ScanService(asio::io_context& io, const SettingsStore& settings, metrics::Exporter& exporter,
                         const util::Clock& clock)
    : m_io(io),
      m_settings(settings),
      m_exporter(exporter),
      m_clock(clock),
      m_timer(io),
      m_worker(std::make_unique<asio::thread_pool>(1)) {
    asio::post(*m_worker, lower_thread_priority);
}

ScanService::~ScanService() { m_worker->join(); }

util::Status ScanService::restore() {
    const auto settings = m_settings.current();
    const std::string& path = settings->config->state.database;
    // The writer's open creates or migrates the schema. When it cannot only
    // because another process holds the write lock (an operator's
    // `spiegeld scan`, which can take minutes) for longer than a commit
    // takes, or the file or its disk is read-only, a database that already
    // has the current schema is still served: its results are read
    // read-only, and scans fail and retry with back-off until it can be
    // written again. So the start waits k_start_lock_wait for the lock, not
    // the busy timeout, before it listens. Any other failure (corruption,
    // I/O, a full disk) ends the start.
    auto state = store::StateDb::open(path, k_start_lock_wait);
    if (state) {
        if (auto marked = (*state)->mark_interrupted_scans(m_clock.wall_seconds()); marked && *marked > 0) {
            log_warn("scans left running by an ended process are marked interrupted",
                     {{"scans", std::to_string(*marked)}});
        }
        state->reset();
    }
    // The stored results, read once (read-only); later snapshots come from the scans themselves.
    auto last = store::read_last_scan(path);
    if (!state) {
        if (!last || !store::write_blocked(path)) {
            return state.error();
        }
        log_warn("the state database cannot be written now; serving its stored results, scans retry",
                 {{"error", state.error().message}});
    }
    if (!last) {
        return util::Error{"loading the stored results failed: " + last.error().message};
    }
    const store::ScanHistory& history = last->history;
    if (history.last) {
        m_schedule.last_completed = static_cast<double>(history.last->finished_at);
    }
    if (history.last_full) {
        m_schedule.last_full = static_cast<double>(history.last_full->finished_at);
    }
    m_ready = m_schedule.last_completed.has_value();
    m_exporter.publish(metrics::build_snapshot(*last, *settings->rules, *settings->codes, settings->config->privacy.min_cell));
    return {};
}

void ScanService::start() { schedule_next(); }

void ScanService::settings_changed() {
    if (!m_scanning && !m_stopping) {
        m_timer.cancel();
        schedule_next();
    }
}

void ScanService::stop(std::function<void()> stopped) {
    m_stopping = true;
    m_cancel = true;
    m_timer.cancel();
    if (!m_scanning) {
        asio::post(m_io, std::move(stopped));
        return;
    }
    m_stopped = std::move(stopped);
}

void ScanService::schedule_next() {
    if (m_scanning || m_stopping) {
        return;  // a due scan waits for the running one
    }
    const auto decision = decide(wall_time(m_clock), m_schedule,
                                 schedule_config(*m_settings.current()->config));
    if (decision.action != ScheduleDecision::Action::wait) {
        start_scan(decision.action == ScheduleDecision::Action::full);
        return;
    }
    m_timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(decision.wait_seconds + 0.001)));
    m_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            schedule_next();
        }
    });
}

void ScanService::start_scan(bool full) {
    m_scanning = true;
    m_exporter.scan_started();
    log_info("scan started", {{"requested", full ? "full" : "incremental"}});
    asio::post(*m_worker, [this, full, settings = m_settings.current()] {
        Outcome outcome;
        const auto started = m_clock.monotonic();
        ScanJob job;
        job.as_of = m_clock.wall_seconds();
        job.full = full;
        job.stop = &m_cancel;
        job.clock = &m_clock;
        bool source_tried = false;
        bool source_reached = false;
        job.source_tried = &source_tried;
        job.source_reached = &source_reached;
        auto scanned = run_scan_job(*settings->config, *settings->rules, settings->fingerprint, job);
        outcome.seconds = std::chrono::duration<double>(m_clock.monotonic() - started).count();
        outcome.stopped = !scanned && m_cancel.load();
        if (scanned) {
            outcome.ok = true;
            outcome.info = scanned->info;
            // Built from what the scan hands over: no database is opened or read again.
            m_exporter.publish(metrics::build_snapshot(scanned->last_scan, *settings->rules, *settings->codes,
                                                       settings->config->privacy.min_cell));
        } else {
            outcome.error = scanned.error().message;
        }
        metrics::ScanEvent event;
        event.full = outcome.ok ? outcome.info.full : full;
        event.success = outcome.ok;
        event.duration_seconds = outcome.seconds;
        for (std::size_t k = 0; k < event.records_scanned.size(); ++k) {
            // Evaluated records: those whose stored result was kept
            // unevaluated are not (docs/metrics.md).
            event.records_scanned[k] = outcome.info.summary.kinds[k].records - outcome.info.summary.kinds[k].reused;
        }
        if (outcome.stopped) {
            m_exporter.scan_stopped();
        } else {
            if (source_tried) {
                m_exporter.source_up(source_reached);
            }
            m_exporter.scan_finished(event);
        }
        asio::post(m_io, [this, outcome] { scan_done(outcome); });
    });
}

void ScanService::scan_done(const Outcome& outcome) {
    m_scanning = false;
    log_scan(outcome);
    const double now = wall_time(m_clock);
    if (outcome.ok) {
        record_success(m_schedule, now, outcome.info.full);
        m_ready = true;
    } else if (!outcome.stopped) {
        record_failure(m_schedule, now);
        const auto config = schedule_config(*m_settings.current()->config);
        log_warn("retrying after back-off",
                 {{"failures", std::to_string(m_schedule.consecutive_failures)},
                  {"seconds", std::to_string(backoff_seconds(config, m_schedule.consecutive_failures))}});
    }
    if (m_stopping) {
        if (m_stopped) {
            auto stopped = std::move(m_stopped);
            stopped();
        }
        return;
    }
    schedule_next();
}

}  // namespace spiegel::app
