#include "daemon/app/daemon.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "daemon/app/config.h"
#include "daemon/app/logging.h"
#include "daemon/app/routes.h"
#include "daemon/app/scan_job.h"
#include "daemon/app/scheduler.h"
#include "daemon/app/version.h"
#include "daemon/http/asio.h"
#include "daemon/http/server.h"
#include "daemon/metrics/exporter.h"
#include "daemon/model/json.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/state_db.h"

namespace spiegel::app {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds k_stop_deadline{10};

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ScheduleConfig schedule_config(const Config& config) {
    ScheduleConfig s;
    s.incremental_interval = config.scan.incremental_interval_seconds;
    s.full_interval = config.scan.full_interval_seconds;
    return s;
}

http::Limits http_limits(const Config& config) {
    http::Limits limits;
    limits.max_header_bytes = config.http.max_header_bytes;
    limits.max_body_bytes = config.http.max_body_bytes;
    limits.request_timeout = std::chrono::seconds(config.http.request_timeout_seconds);
    limits.idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds);
    return limits;
}

// The schedule as stored: finish times of the last completed scan and of the last full one.
util::Expected<ScheduleState> stored_schedule(store::StateDb& state) {
    ScheduleState s;
    auto last = state.last_completed_scan();
    if (!last) {
        return last.error();
    }
    if (!last->has_value()) {
        return s;
    }
    s.last_completed = static_cast<double>((*last)->finished_at);
    try {
        SQLite::Statement q(state.database(),
                            "SELECT id FROM scan WHERE status = 'ok' AND type = 'full' ORDER BY id DESC LIMIT 1");
        if (q.executeStep()) {
            auto full = state.scan(q.getColumn(0).getInt64());
            if (full && full->has_value()) {
                s.last_full = static_cast<double>((*full)->finished_at);
            }
        }
    } catch (const std::exception& e) {
        return util::Error{e.what()};
    }
    return s;
}

util::Status publish_results(metrics::Exporter& exporter, store::StateDb& state, const rules::RuleSet& rules,
                             int min_cell) {
    auto snapshot = metrics::build_snapshot(state, rules, min_cell);
    if (!snapshot) {
        return snapshot.error();
    }
    exporter.publish(std::move(*snapshot));
    return {};
}

std::string diagnostics_text(const std::vector<rules::Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        text += (text.empty() ? "" : "\n") + d.to_string();
    }
    return text;
}

struct ScanOutcome {
    bool ok = false;
    bool stopped = false;
    store::ScanInfo info;
    std::string error;
    double seconds = 0;
};

void log_scan(const ScanOutcome& o) {
    if (o.stopped) {
        log_info("scan stopped before completion; the previous results stay", {{"seconds", std::to_string(o.seconds)}});
        return;
    }
    if (!o.ok) {
        log_error("scan failed", {{"error", o.error}, {"seconds", std::to_string(o.seconds)}});
        return;
    }
    const auto& kinds = o.info.summary.kinds;
    std::int64_t deleted = 0;
    for (const auto& k : kinds) {
        deleted += k.deleted;
    }
    log_info("scan finished", {{"scan", std::to_string(o.info.id)},
                               {"type", o.info.full ? "full" : "incremental"},
                               {"cv", std::to_string(kinds[0].records)},
                               {"vacancy", std::to_string(kinds[1].records)},
                               {"employer", std::to_string(kinds[2].records)},
                               {"unreadable", std::to_string(o.info.summary.unreadable())},
                               {"deleted", std::to_string(deleted)},
                               {"seconds", std::to_string(o.seconds)}});
}

}  // namespace

struct Daemon::Impl {
    // Declared first, destroyed last: everything below posts to it.
    asio::io_context io{1};
    asio::signal_set signals{io, SIGHUP, SIGTERM, SIGINT};
    asio::steady_timer timer{io};
    std::string listen;
    std::shared_ptr<const Config> config;
    std::shared_ptr<const rules::RuleSet> rules;
    std::shared_ptr<const cards::CardCatalog> catalog;  // rules' texts and code lists for the cards
    std::string fingerprint;
    metrics::Exporter exporter{std::string(k_version)};
    http::Router router;
    std::unique_ptr<http::Server> server;
    ScheduleState schedule;
    std::atomic<bool> ready{false};
    std::atomic<bool> stop{false};  // a running scan stops at its next safe point
    bool scanning = false;
    bool stopping = false;
    // Declared last, destroyed (joined) first: scans run here, one at a time.
    asio::thread_pool worker{1};

    void wait_for_signal();
    void schedule_next();
    void start_scan(bool full);
    void scan_done(const ScanOutcome& outcome);
    void shutdown(const char* why);
    // Loads, validates and swaps in config and rules; an HTTP answer for POST /-/reload.
    http::Response reload(const char* trigger);
    // Rebuilds the cards' catalog from the current rules (null, logged, when
    // the code lists the cards need do not load: cards then answer 500).
    void refresh_catalog();
};

void Daemon::Impl::refresh_catalog() {
    auto built = cards::CardCatalog::from_rules(*rules, config->rules.directory);
    if (!built) {
        log_error("the cards' code lists do not load", {{"error", built.error().message}});
        catalog.reset();
        return;
    }
    catalog = *built;
}

void Daemon::Impl::wait_for_signal() {
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        if (signal == SIGHUP) {
            try {
                reload("SIGHUP");
            } catch (const std::exception& e) {
                log_error("reload failed", {{"trigger", "SIGHUP"}, {"error", e.what()}});
            }
        } else {
            shutdown(signal == SIGTERM ? "SIGTERM" : "SIGINT");
        }
        wait_for_signal();
    });
}

void Daemon::Impl::schedule_next() {
    if (scanning || stopping) {
        return;  // a due scan waits for the running one
    }
    const auto decision = decide(wall_seconds(), schedule, schedule_config(*config));
    if (decision.action != ScheduleDecision::Action::wait) {
        start_scan(decision.action == ScheduleDecision::Action::full);
        return;
    }
    timer.expires_after(std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(decision.wait_seconds + 0.001)));
    timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            schedule_next();
        }
    });
}

void Daemon::Impl::start_scan(bool full) {
    scanning = true;
    exporter.scan_started();
    log_info("scan started", {{"requested", full ? "full" : "incremental"}});
    asio::post(worker, [this, full, cfg = config, rule_set = rules, print = fingerprint] {
        ScanOutcome outcome;
        const auto started = Clock::now();
        ScanJob job;
        job.as_of = wall_clock_now();
        job.full = full;
        job.stop = &stop;
        auto info = run_scan_job(*cfg, *rule_set, print, job);
        outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        outcome.stopped = !info && stop.load();
        if (info) {
            outcome.ok = true;
            outcome.info = *info;
            auto state = store::StateDb::open(cfg->state.database);
            auto published = state ? publish_results(exporter, **state, *rule_set, cfg->privacy.min_cell)
                                   : util::Status(state.error());
            if (!published) {
                log_warn("metrics not updated after the scan", {{"error", published.error().message}});
            }
        } else {
            outcome.error = info.error().message;
        }
        metrics::ScanEvent event;
        event.full = outcome.ok ? outcome.info.full : full;
        event.success = outcome.ok;
        event.duration_seconds = outcome.seconds;
        for (std::size_t k = 0; k < event.records_scanned.size(); ++k) {
            event.records_scanned[k] = outcome.info.summary.kinds[k].records;
        }
        if (outcome.stopped) {
            exporter.scan_stopped();
        } else {
            exporter.scan_finished(event);
        }
        asio::post(io, [this, outcome] { scan_done(outcome); });
    });
}

void Daemon::Impl::scan_done(const ScanOutcome& outcome) {
    scanning = false;
    log_scan(outcome);
    if (outcome.ok) {
        record_success(schedule, wall_seconds(), outcome.info.full);
        ready = true;
    } else if (!outcome.stopped) {
        record_failure(schedule, wall_seconds());
        log_warn("retrying after back-off", {{"failures", std::to_string(schedule.consecutive_failures)},
                                             {"seconds", std::to_string(backoff_seconds(
                                                             schedule_config(*config), schedule.consecutive_failures))}});
    }
    if (stopping) {
        io.stop();
        return;
    }
    schedule_next();
}

void Daemon::Impl::shutdown(const char* why) {
    if (stopping) {
        return;
    }
    stopping = true;
    stop = true;
    log_info("shutting down", {{"signal", why}, {"scan_running", scanning ? "yes" : "no"}});
    server->stop();
    timer.cancel();
    if (!scanning) {
        io.stop();
        return;
    }
    // A scan stuck outside its chunk loop (a locked database) must not hold the stop;
    // its uncommitted transaction is rolled back by SQLite on the next open.
    timer.expires_after(k_stop_deadline);
    timer.async_wait([](const boost::system::error_code& ec) {
        if (!ec) {
            log_error("the scan did not stop in time; exiting without it");
            shutdown_logging();
            std::_Exit(1);
        }
    });
}

http::Response Daemon::Impl::reload(const char* trigger) {
    auto fresh = load_config(config->file);
    if (!fresh) {
        log_error("reload refused: the configuration does not load; the old one stays",
                  {{"trigger", trigger}, {"problems", fresh.error().message}});
        exporter.rules_reloaded(false, rules->enabled_count());
        return http::json_error(400, fresh.error().message);
    }
    auto loaded = rules::load_rule_set(fresh->rules.directory);
    if (!loaded.rule_set) {
        const std::string problems = diagnostics_text(loaded.diagnostics);
        log_error("reload refused: the rules do not load; the old rules stay",
                  {{"trigger", trigger}, {"count", std::to_string(loaded.diagnostics.size())}, {"problems", problems}});
        exporter.rules_reloaded(false, rules->enabled_count());
        return http::json_error(400, problems);
    }
    fresh->http = config->http;  // listening and HTTP limits change only with a restart
    fresh->log.format = config->log.format;
    set_log_level(fresh->log.level);
    rules = std::shared_ptr<const rules::RuleSet>(std::move(loaded.rule_set));
    config = std::make_shared<const Config>(std::move(*fresh));
    refresh_catalog();
    const std::string old_fingerprint = fingerprint;
    fingerprint = rules_fingerprint(config->rules.directory);
    const std::size_t enabled = rules->enabled_count();
    exporter.rules_reloaded(true, enabled);
    log_info("reloaded configuration and rules",
             {{"trigger", trigger}, {"enabled_rules", std::to_string(enabled)}, {"rules_changed",
                                                                                 old_fingerprint != fingerprint ? "yes" : "no"}});
    if (!scanning && !stopping) {
        timer.cancel();  // intervals may have changed
        schedule_next();
    }
    std::string body = "{\"status\":\"reloaded\",\"enabled_rules\":" + std::to_string(enabled) +
                       ",\"rules_changed\":" + (old_fingerprint != fingerprint ? "true" : "false") +
                       ",\"fingerprint\":";
    model::write_json_string(body, fingerprint);
    body += "}\n";
    return http::Response::json(200, std::move(body));
}

Daemon::Daemon(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Daemon::~Daemon() = default;

namespace {

// Config, logging and rules; false (with `error` set) when any is invalid.
bool load_startup(const DaemonOptions& options, Daemon::Impl& impl, DaemonError& error) {
    auto config = load_config(options.config);
    if (!config) {
        error = {true, config.error().message};
        return false;
    }
    if (auto st = init_logging(config->log.level, config->log.format); !st) {
        error = {true, st.error().message};
        return false;
    }
    auto loaded = rules::load_rule_set(config->rules.directory);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        error = {true, "the rules in " + config->rules.directory + " do not load (" +
                           std::to_string(loaded.diagnostics.size()) + " problems)"};
        return false;
    }
    impl.listen = options.listen.empty() ? config->http.listen : options.listen;
    std::string host;
    unsigned short port = 0;
    if (!http::split_host_port(impl.listen, host, port)) {
        error = {true, "listen address '" + impl.listen + "' is not HOST:PORT (e.g. 127.0.0.1:9464)"};
        return false;
    }
    impl.fingerprint = rules_fingerprint(config->rules.directory);
    impl.rules = std::shared_ptr<const rules::RuleSet>(std::move(loaded.rule_set));
    impl.config = std::make_shared<const Config>(std::move(*config));
    impl.refresh_catalog();
    return true;
}

// The stored schedule and results; a restarted daemon serves them at once.
bool load_stored_results(Daemon::Impl& impl, DaemonError& error) {
    auto state = store::StateDb::open(impl.config->state.database);
    if (!state) {
        error = {false, state.error().message};
        return false;
    }
    auto schedule = stored_schedule(**state);
    if (!schedule) {
        error = {false, schedule.error().message};
        return false;
    }
    impl.schedule = *schedule;
    impl.ready = schedule->last_completed.has_value();
    if (auto st = publish_results(impl.exporter, **state, *impl.rules, impl.config->privacy.min_cell); !st) {
        error = {false, "loading the stored results failed: " + st.error().message};
        return false;
    }
    return true;
}

}  // namespace

std::unique_ptr<Daemon> Daemon::create(const DaemonOptions& options, DaemonError& error) {
    auto impl = std::make_unique<Impl>();
    if (!load_startup(options, *impl, error) || !load_stored_results(*impl, error)) {
        return nullptr;
    }
    Impl* raw = impl.get();
    RouteContext context;
    context.exporter = &raw->exporter;
    context.ready = &raw->ready;
    context.reload = [raw] { return raw->reload("POST /-/reload"); };
    // Handlers and reloads both run on the io thread, so reading the config here is safe.
    context.card_source = [raw] {
        const Config& c = *raw->config;
        return cards::CardSource{c.state.database, c.rules.directory, c.privacy.min_cell, c.source.database,
                                 raw->catalog, c.privacy.personal_cards_per_hour};
    };
    context.cards = std::make_shared<CardRoutes>(&raw->exporter, system_seconds);
    add_routes(raw->router, context);
    raw->server = std::make_unique<http::Server>(
        raw->io, raw->router, http_limits(*raw->config),
        [raw](std::string_view route, int status, double seconds) { raw->exporter.http_request(route, status, seconds); });
    return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

int Daemon::run() {
    Impl& d = *m_impl;
    auto bound = d.server->listen(d.listen);
    if (!bound) {
        log_error("cannot start the HTTP server", {{"error", bound.error().message}});
        return 1;
    }
    log_info("listening on " + *bound, {{"version", std::string(k_version)},
                                        {"ready", d.ready ? "yes" : "no"},
                                        {"enabled_rules", std::to_string(d.rules->enabled_count())}});
    d.wait_for_signal();
    d.schedule_next();
    d.io.run();
    d.worker.join();
    log_info("stopped");
    return 0;
}

}  // namespace spiegel::app
