#include "daemon/metrics/exporter.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>
#include <optional>
#include <vector>

#include "daemon/metrics/snapshot.h"
#include "daemon/model/schema.h"

namespace spiegel::metrics {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

const char* scan_label(bool full) { return full ? "full" : "incremental"; }
const char* result_label(bool success) { return success ? "success" : "failure"; }

prometheus::MetricFamily single_gauge(const std::string& name, const std::string& help, double value) {
    prometheus::MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric m;
    m.gauge.value = value;
    f.metric.push_back(std::move(m));
    return f;
}

}  // namespace

struct Exporter::Impl {
    prometheus::Registry registry;
    Family<Gauge>& build_info = prometheus::BuildGauge()
                                    .Name("spiegel_build_info")
                                    .Help("Build information; always 1.")
                                    .Register(registry);
    Family<Gauge>& source_up = prometheus::BuildGauge()
                                   .Name("spiegel_source_up")
                                   .Help("1 when the last scan reached the source database, 0 when it could not "
                                         "(0 before the first scan).")
                                   .Register(registry);
    Family<Gauge>& in_progress =
        prometheus::BuildGauge().Name("spiegel_scan_in_progress").Help("1 while a scan runs.").Register(registry);
    Family<Counter>& scans = prometheus::BuildCounter()
                                 .Name("spiegel_scans_total")
                                 .Help("Scans run by this process, by type and result.")
                                 .Register(registry);
    Family<Counter>& records_scanned = prometheus::BuildCounter()
                                           .Name("spiegel_records_scanned_total")
                                           .Help("Records evaluated by this process.")
                                           .Register(registry);
    Family<Counter>& reloads = prometheus::BuildCounter()
                                   .Name("spiegel_rule_reloads_total")
                                   .Help("Rule and configuration reloads by this process, by result.")
                                   .Register(registry);
    Family<Counter>& requests = prometheus::BuildCounter()
                                    .Name("spiegel_http_requests_total")
                                    .Help("HTTP requests by route pattern and status code.")
                                    .Register(registry);
    Family<Histogram>& request_seconds = prometheus::BuildHistogram()
                                             .Name("spiegel_http_request_duration_seconds")
                                             .Help("HTTP request latency by route pattern.")
                                             .Register(registry);
    Family<Counter>& card_reads = prometheus::BuildCounter()
                                      .Name("spiegel_personal_card_reads_total")
                                      .Help("Personal cards (CV, vacancy) served, by token role.")
                                      .Register(registry);
    Family<Counter>& auth_failures = prometheus::BuildCounter()
                                         .Name("spiegel_auth_failures_total")
                                         .Help("Failed authentications on personal routes, by reason.")
                                         .Register(registry);
    Family<Counter>& auth_throttled =
        prometheus::BuildCounter()
            .Name("spiegel_auth_throttled_total")
            .Help("Requests refused because their client address failed authentication too often.")
            .Register(registry);
    Family<Counter>& audit_failures =
        prometheus::BuildCounter()
            .Name("spiegel_audit_failures_total")
            .Help("Personal cards refused because their audit row could not be committed.")
            .Register(registry);

    Family<Counter>& connections_closed =
        prometheus::BuildCounter()
            .Name("spiegel_http_connections_closed_total")
            .Help("Connections closed by the HTTP connection caps, by reason.")
            .Register(registry);

    // Guarded by mutex: what render() combines with the registry.
    mutable std::mutex mutex;
    std::shared_ptr<const Snapshot> snapshot;
    std::optional<bool> last_success;         // from scan_finished in this process
    std::optional<std::size_t> rules_loaded;  // from a reload after the snapshot
};

Exporter::Exporter(std::string version) : m_impl(std::make_unique<Impl>()) {
    m_impl->build_info.Add({{"version", std::move(version)}}).Set(1);
    m_impl->in_progress.Add({}).Set(0);
    m_impl->source_up.Add({}).Set(0);
    // Zero series exist from the start, so rate() and increase() see the first event.
    for (bool full : {true, false}) {
        for (bool success : {true, false}) {
            m_impl->scans.Add({{"scan", scan_label(full)}, {"result", result_label(success)}});
        }
    }
    for (model::Kind k : model::k_all_kinds) {
        m_impl->records_scanned.Add({{"kind", std::string(model::kind_name(k))}});
    }
    for (bool success : {true, false}) {
        m_impl->reloads.Add({{"result", result_label(success)}});
    }
    // The token roles (docs/cards.md): a bulk-viewing alert sees the first read.
    for (const char* role : {"adviser", "employer", "officer"}) {
        m_impl->card_reads.Add({{"role", role}});
    }
    for (const char* reason : {"malformed", "unknown"}) {
        m_impl->auth_failures.Add({{"reason", reason}});
    }
    m_impl->auth_throttled.Add({});
    for (const char* reason : {"evicted", "per_client_limit", "all_busy"}) {
        m_impl->connections_closed.Add({{"reason", reason}});
    }
    m_impl->audit_failures.Add({});
}

Exporter::~Exporter() = default;

void Exporter::publish(std::shared_ptr<const Snapshot> snapshot) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->snapshot = std::move(snapshot);
    m_impl->rules_loaded.reset();
}

void Exporter::scan_started() { m_impl->in_progress.Add({}).Set(1); }

void Exporter::scan_stopped() { m_impl->in_progress.Add({}).Set(0); }

void Exporter::source_up(bool reached) { m_impl->source_up.Add({}).Set(reached ? 1 : 0); }

void Exporter::scan_finished(const ScanEvent& event) {
    m_impl->scans.Add({{"scan", scan_label(event.full)}, {"result", result_label(event.success)}}).Increment();
    for (model::Kind k : model::k_all_kinds) {
        const auto n = event.records_scanned[static_cast<std::size_t>(k)];
        if (n > 0) {
            m_impl->records_scanned.Add({{"kind", std::string(model::kind_name(k))}})
                .Increment(static_cast<double>(n));
        }
    }
    m_impl->in_progress.Add({}).Set(0);
    std::lock_guard lock(m_impl->mutex);
    m_impl->last_success = event.success;
}

void Exporter::rules_reloaded(bool success, std::size_t enabled_rules) {
    m_impl->reloads.Add({{"result", result_label(success)}}).Increment();
    if (success) {
        std::lock_guard lock(m_impl->mutex);
        m_impl->rules_loaded = enabled_rules;
    }
}

void Exporter::http_request(std::string_view route, int status, double seconds) {
    const std::string r(route);
    m_impl->requests.Add({{"route", r}, {"code", std::to_string(status)}}).Increment();
    static const Histogram::BucketBoundaries k_bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                         0.1,   0.25,   0.5,   1,    2.5,   5, 10};
    m_impl->request_seconds.Add({{"route", r}}, k_bounds).Observe(seconds);
}

void Exporter::personal_card_read(std::string_view role) {
    m_impl->card_reads.Add({{"role", std::string(role)}}).Increment();
}

void Exporter::auth_failure(std::string_view reason) {
    m_impl->auth_failures.Add({{"reason", std::string(reason)}}).Increment();
}

void Exporter::auth_throttled() { m_impl->auth_throttled.Add({}).Increment(); }

void Exporter::audit_failure() { m_impl->audit_failures.Add({}).Increment(); }

void Exporter::http_connection_closed(std::string_view reason) {
    m_impl->connections_closed.Add({{"reason", std::string(reason)}}).Increment();
}

std::string Exporter::render() const {
    std::shared_ptr<const Snapshot> snapshot;
    std::optional<bool> last_success;
    std::optional<std::size_t> rules_loaded;
    {
        std::lock_guard lock(m_impl->mutex);
        snapshot = m_impl->snapshot;
        last_success = m_impl->last_success;
        rules_loaded = m_impl->rules_loaded;
    }
    std::vector<prometheus::MetricFamily> families = m_impl->registry.Collect();
    if (!last_success && snapshot) {
        last_success = snapshot->last_attempt_success;
    }
    if (last_success) {
        families.push_back(single_gauge("spiegel_last_scan_success",
                                        "1 when the last scan attempt succeeded, 0 when it failed.",
                                        *last_success ? 1.0 : 0.0));
    }
    if (!rules_loaded && snapshot) {
        rules_loaded = snapshot->rules_loaded;
    }
    families.push_back(single_gauge("spiegel_rules_loaded", "Enabled rules in force.",
                                    static_cast<double>(rules_loaded.value_or(0))));
    std::string text = prometheus::TextSerializer().Serialize(families);
    if (snapshot) {
        text += prometheus::TextSerializer().Serialize(snapshot->families);
    }
    return text;
}

}  // namespace spiegel::metrics
