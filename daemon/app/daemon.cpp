// The wiring of `spiegeld serve`: settings, the access writer, the HTTP
// server and its routes, the scan service, signals and the reload path.
#include "daemon/app/daemon.h"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "daemon/app/authenticator.h"
#include "daemon/app/card_routes.h"
#include "daemon/app/logging.h"
#include "daemon/app/routes.h"
#include "daemon/app/rule_preview.h"
#include "daemon/app/scan_service.h"
#include "daemon/app/settings.h"
#include "daemon/app/source_access.h"
#include "daemon/app/version.h"
#include "daemon/app/web_setup.h"
#include "daemon/http/asio.h"
#include "daemon/http/server.h"
#include "daemon/metrics/exporter.h"
#include "daemon/store/access_writer.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

namespace asio = boost::asio;
constexpr std::chrono::seconds k_stop_deadline{10};

http::Limits http_limits(const Config& config) {
    http::Limits limits;
    limits.max_header_bytes = config.http.max_header_bytes;
    limits.max_body_bytes = config.http.max_body_bytes;
    limits.request_timeout = std::chrono::seconds(config.http.request_timeout_seconds);
    limits.idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds);
    limits.max_connections = static_cast<std::size_t>(config.http.max_connections);
    limits.max_connections_per_client = static_cast<std::size_t>(config.http.max_connections_per_client);
    return limits;
}

store::AccessWriterOptions access_options(const Config& config) {
    store::AccessWriterOptions o;
    o.path = config.access.database;
    o.legacy_state_db = config.state.database;
    o.wal_max_bytes = config.access.wal_max_bytes;
    o.audit_timeout = std::chrono::milliseconds(config.access.audit_timeout_ms);
    o.audit_retention_days = config.privacy.audit_retention_days;
    return o;
}

// A reloaded config keeps what only a restart may change: where the
// databases are, how HTTP listens and its limits, the log format, the
// access database's file limits.
std::shared_ptr<const Settings> keep_restart_only_keys(const Settings& loaded, const Config& running) {
    auto config = std::make_shared<Config>(*loaded.config);
    config->source = running.source;
    config->state.database = running.state.database;
    config->http = running.http;
    config->log.format = running.log.format;
    config->access.database = running.access.database;
    config->access.wal_max_bytes = running.access.wal_max_bytes;
    config->access.audit_timeout_ms = running.access.audit_timeout_ms;
    auto settings = std::make_shared<Settings>(loaded);
    settings->config = std::move(config);
    return settings;
}

}  // namespace

struct Daemon::Impl {
    const util::Clock& clock = util::system_clock();
    // Declared first, destroyed last: everything below posts to it.
    asio::io_context io{1};
    asio::signal_set signals{io, SIGHUP, SIGTERM, SIGINT};
    asio::steady_timer stop_deadline{io};
    std::string listen;
    std::unique_ptr<SettingsStore> settings;
    metrics::Exporter exporter{std::string(k_version)};
    std::unique_ptr<store::AccessWriter> access;
    std::shared_ptr<Sessions> sessions;
    std::shared_ptr<Authenticator> auth;
    std::shared_ptr<CardRoutes> cards;
    std::shared_ptr<http::TlsContexts> tls;  // null: plain HTTP
    std::string metrics_token;               // empty: /metrics is open
    http::Router router;
    std::mutex reload_mutex;  // one reload at a time (SIGHUP and HTTP)
    std::mutex preview_mutex;  // one POST /-/reload?dry_run=1 at a time
    // Destroyed before what their threads use (above).
    std::unique_ptr<http::Server> server;
    std::unique_ptr<ScanService> scans;
    asio::thread_pool control{1};  // SIGHUP reloads load here, off the io thread
    bool stopping = false;

    void wait_for_signal();
    void shutdown(const char* why);
    // Loads, validates and swaps in config and rules. Thread-safe; runs off
    // the io thread. The answer of POST /-/reload.
    http::Response reload(const char* trigger);
    cards::CardSource card_source() const;
};

cards::CardSource Daemon::Impl::card_source() const {
    const auto s = settings->current();
    const Config& c = *s->config;
    cards::CardSource source{c.state.database, c.rules.directory, c.privacy.min_cell, c.source.database,
                             s->catalog,       c.privacy.personal_cards_per_hour};
    if (c.source.postgresql()) {
        source.source_pg = pg_settings(c);
    }
    return source;
}

void Daemon::Impl::wait_for_signal() {
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        if (signal == SIGHUP) {
            asio::post(control, [this] { (void)reload("SIGHUP"); });
        } else {
            shutdown(signal == SIGTERM ? "SIGTERM" : "SIGINT");
        }
        wait_for_signal();
    });
}

void Daemon::Impl::shutdown(const char* why) {
    if (stopping) {
        return;
    }
    stopping = true;
    log_info("shutting down", {{"signal", why}, {"scan_running", scans->scanning() ? "yes" : "no"}});
    server->stop();
    scans->stop([this] { io.stop(); });
    if (!scans->scanning()) {
        return;
    }
    // A scan stuck outside its chunk loop (a locked database) must not hold the stop;
    // its uncommitted transaction is rolled back by SQLite on the next open.
    stop_deadline.expires_after(k_stop_deadline);
    stop_deadline.async_wait([](const boost::system::error_code& ec) {
        if (!ec) {
            log_error("the scan did not stop in time; exiting without it");
            shutdown_logging();
            std::_Exit(1);
        }
    });
}

http::Response Daemon::Impl::reload(const char* trigger) {
    std::lock_guard lock(reload_mutex);
    const auto running = settings->current();
    auto loaded = load_settings(running->config->file, running->rules.get());
    if (const auto* error = std::get_if<SettingsError>(&loaded)) {
        log_error(error->config ? "reload refused: the configuration does not load; the old one stays"
                                : "reload refused: the rules do not load; the old rules stay",
                  {{"trigger", trigger},
                   {"count", std::to_string(std::max<std::size_t>(1, error->diagnostics.size()))},
                   {"problems", error->message}});
        exporter.rules_reloaded(false, running->rules->enabled_count());
        return http::json_error(400, error->message);
    }
    const auto next = keep_restart_only_keys(*std::get<std::shared_ptr<const Settings>>(loaded), *running->config);
    set_log_level(next->config->log.level);
    auth->set_failed_auth_limit(next->config->access.failed_auth_per_minute);
    sessions->set_timeouts(next->config->access.session_idle_timeout_seconds, next->config->access.session_max_age_seconds);
    access->set_retention_days(next->config->privacy.audit_retention_days);
    settings->replace(next);
    asio::post(io, [this] {
        if (!stopping) {
            scans->settings_changed();  // intervals may have changed
        }
    });
    if (tls) {
        // Certificates are reread on every reload; open connections keep theirs.
        if (auto renewed = tls->reload(); !renewed) {
            log_error("TLS certificates not reloaded; the old ones stay", {{"trigger", trigger}, {"error", renewed.error().message}});
        } else {
            log_info("TLS certificates reloaded", {{"trigger", trigger}});
        }
    }
    const bool changed = running->fingerprint != next->fingerprint;
    const std::size_t enabled = next->rules->enabled_count();
    exporter.rules_reloaded(true, enabled);
    log_info("reloaded configuration and rules", {{"trigger", trigger},
                                                  {"enabled_rules", std::to_string(enabled)},
                                                  {"rules_changed", changed ? "yes" : "no"}});
    const nlohmann::json answer = {
        {"status", "reloaded"}, {"enabled_rules", enabled}, {"rules_changed", changed}, {"fingerprint", next->fingerprint}};
    return http::json_response(200, answer);
}

Daemon::Daemon(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Daemon::~Daemon() = default;

namespace {

// Config, logging and rules; false (with `error` set) when any is invalid.
bool load_startup(const DaemonOptions& options, Daemon::Impl& impl, DaemonError& error) {
    auto loaded = load_settings(options.config);
    if (const auto* failed = std::get_if<SettingsError>(&loaded)) {
        if (failed->config) {
            error = {true, failed->message};
            return false;
        }
        for (const auto& d : failed->diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        const std::size_t n = failed->diagnostics.size();
        error = {true, "the rules do not load (" + std::to_string(n) + (n == 1 ? " problem)" : " problems)")};
        return false;
    }
    const auto& settings = std::get<std::shared_ptr<const Settings>>(loaded);
    if (auto st = init_logging(settings->config->log.level, settings->config->log.format); !st) {
        error = {true, st.error().message};
        return false;
    }
    impl.listen = options.listen.empty() ? settings->config->http.listen : options.listen;
    if (const std::string problem = listen_address_problem(impl.listen); !problem.empty()) {
        error = {true, "listen address " + util::quoted(impl.listen) + " is not HOST:PORT (" + problem + ")"};
        return false;
    }
    // `localhost` is the loopback address, never whatever a resolver says.
    if (impl.listen.rfind("localhost:", 0) == 0) {
        impl.listen = "127.0.0.1" + impl.listen.substr(9);
    }
    auto tls = load_tls(*settings->config);
    if (!tls) {
        error = {true, tls.error().message};
        return false;
    }
    impl.tls = std::move(*tls);
    if (!settings->config->http.metrics_token_file.empty()) {
        auto token = read_metrics_token(settings->config->http.metrics_token_file);
        if (!token) {
            error = {true, settings->config->where("http.metrics_token_file") + ": " + token.error().message};
            return false;
        }
        impl.metrics_token = std::move(*token);
    }
    impl.settings = std::make_unique<SettingsStore>(settings);
    return true;
}

// The access database (tokens, audit) and the stored results.
bool open_stores(Daemon::Impl& impl, DaemonError& error) {
    const Config& config = *impl.settings->current()->config;
    auto access = store::AccessWriter::start(access_options(config), impl.clock);
    if (!access) {
        error = {false, access.error().message};
        return false;
    }
    impl.access = std::move(*access);
    impl.scans = std::make_unique<ScanService>(impl.io, *impl.settings, impl.exporter, impl.clock);
    if (auto restored = impl.scans->restore(); !restored) {
        error = {false, restored.error().message};
        return false;
    }
    return true;
}

// True for a listen address on the loopback interface (127.0.0.0/8, ::1):
// what only this host can reach.
bool loopback_listen(const std::string& listen) {
    std::string host = listen.substr(0, listen.rfind(':'));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return host.rfind("127.", 0) == 0 || host == "::1";
}

void add_daemon_routes(Daemon::Impl& impl) {
    const Config& config = *impl.settings->current()->config;
    // Browser sign-in sends the token and then a session cookie: only over
    // TLS (here, or at the proxy of http.public_origin) or on the loopback
    // interface, never in clear text over a network.
    if (impl.tls || loopback_listen(impl.listen) || !config.http.public_origin.empty()) {
        impl.sessions = std::make_shared<Sessions>(SessionOptions{config.access.database, impl.access.get(),
                                                                  &impl.clock, config.access.session_idle_timeout_seconds,
                                                                  config.access.session_max_age_seconds});
        if (!config.http.public_origin.empty()) {
            log_info("browser sign-in through a TLS-terminating proxy, for the pages of " +
                     config.http.public_origin);
        }
    } else {
        log_warn("browser sign-in is off: http.listen is not a loopback address and neither "
                 "http.tls nor http.public_origin is set (bearer tokens keep working)");
    }
    impl.auth = std::make_shared<Authenticator>(AuthenticatorOptions{
        &impl.exporter, &impl.clock, config.access.database, config.access.failed_auth_per_minute, impl.sessions});
    impl.cards = std::make_shared<CardRoutes>(CardRoutesOptions{&impl.exporter, &impl.clock, impl.auth, impl.access.get()});
    RouteContext context;
    context.exporter = &impl.exporter;
    context.ready = &impl.scans->ready_flag();
    context.lifecycle = config.http.lifecycle;
    context.auth = impl.auth;
    Daemon::Impl* raw = &impl;
    context.reload = [raw] { return raw->reload("POST /-/reload"); };
    context.reload_dry_run = [raw] {
        std::unique_lock lock(raw->preview_mutex, std::try_to_lock);
        if (!lock.owns_lock()) {
            return http::json_error(409, "a rules preview is already running; try again when it is done");
        }
        const auto current = raw->settings->current();
        return dry_run_reload(*current->config, *current->rules, raw->clock);
    };
    context.card_source = [raw] { return raw->card_source(); };
    context.cards = impl.cards;
    context.metrics_token = impl.metrics_token;
    context.web = std::make_shared<WebRoutes>(
        CardRoutesOptions{&impl.exporter, &impl.clock, impl.auth, impl.access.get()}, impl.cards);
    add_routes(impl.router, context);
}

}  // namespace

std::unique_ptr<Daemon> Daemon::create(const DaemonOptions& options, DaemonError& error) {
    auto impl = std::make_unique<Impl>();
    if (!load_startup(options, *impl, error) || !open_stores(*impl, error)) {
        return nullptr;
    }
    add_daemon_routes(*impl);
    Impl* raw = impl.get();
    raw->server = std::make_unique<http::Server>(
        raw->io, raw->router, http_limits(*raw->settings->current()->config),
        [raw](std::string_view route, int status, double seconds) { raw->exporter.http_request(route, status, seconds); });
    raw->server->set_tls(raw->tls);
    raw->server->set_public_origin(raw->settings->current()->config->http.public_origin);
    raw->server->set_connection_observer([raw](http::ConnectionEvent event) {
        raw->exporter.http_connection_closed(event == http::ConnectionEvent::evicted              ? "evicted"
                                             : event == http::ConnectionEvent::refused_per_client ? "per_client_limit"
                                                                                                   : "all_busy");
    });
    return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

int Daemon::run() {
    Impl& d = *m_impl;
    auto bound = d.server->listen(d.listen);
    if (!bound) {
        log_error("cannot start the HTTP server", {{"error", bound.error().message}});
        return 2;  // the configured address cannot be used: a configuration error
    }
    log_info("listening on " + *bound, {{"version", std::string(k_version)}, {"tls", d.tls ? "yes" : "no"},
                                        {"ready", d.scans->ready() ? "yes" : "no"},
                                        {"enabled_rules", std::to_string(d.settings->current()->rules->enabled_count())}});
    d.wait_for_signal();
    d.scans->start();
    d.io.run();
    d.control.join();
    log_info("stopped");
    return 0;
}

}  // namespace spiegel::app
