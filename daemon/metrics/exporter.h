#pragma once
// Prometheus exposition for spiegeld (docs/metrics.md). Thread-safe: the
// scan thread publishes snapshots and reports scans while HTTP threads
// report requests and render.
//
// Last-scan gauges come from an immutable Snapshot built once per completed
// scan (and at start-up from the stored results) and swapped in atomically;
// process-lifetime counters live in the Exporter itself.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/model/code_lists.h"
#include "daemon/model/schema.h"
#include "daemon/util/expected.h"

namespace spiegel::rules {
class RuleSet;
}
namespace spiegel::store {
struct LastScan;
}

namespace spiegel::metrics {

// The metric families of one completed scan. Immutable once built.
class Snapshot;

struct ScanEvent {
    bool full = false;
    bool success = false;
    double duration_seconds = 0;
    model::PerKind<std::int64_t> records_scanned{};
};

class Exporter {
public:
    explicit Exporter(std::string version);
    ~Exporter();
    Exporter(const Exporter&) = delete;
    Exporter& operator=(const Exporter&) = delete;

    // Replaces the last-scan gauges; a scrape sees the old or the new set, never a mix.
    void publish(std::shared_ptr<const Snapshot> snapshot);
    void scan_started();
    void scan_finished(const ScanEvent& event);
    // Whether the last scan reached the source database (spiegel_source_up).
    void source_up(bool reached);
    // A scan stopped at shutdown: no longer in progress, counted as neither result.
    void scan_stopped();
    void rules_reloaded(bool success, std::size_t enabled_rules);
    // route is the route pattern ("/api/v1/cards/cv/{id}"), never a raw path.
    void http_request(std::string_view route, int status, double seconds);
    void personal_card_read(std::string_view role);
    // A bearer token or session that did not authenticate; reason is
    // "malformed" or "unknown" (unknown or revoked).
    void auth_failure(std::string_view reason);
    // A request refused (429) because its client address failed too often.
    void auth_throttled();
    // A personal card refused because its audit row was not committed.
    void audit_failure();
    // A connection closed by the HTTP caps: reason "evicted" (idle, to admit
    // a new one), "per_client_limit" or "all_busy" (new ones refused).
    void http_connection_closed(std::string_view reason);

    // Prometheus text format 0.0.4.
    std::string render() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Builds the snapshot of the last completed scan from its history and
// aggregates (what the scan hands over, or LastScan as the state database
// holds it), with split labels from the code lists, leaving out split
// series of fewer than min_cell records. An
// empty snapshot when no scan has completed yet. Pure: no database.
std::shared_ptr<const Snapshot> build_snapshot(const store::LastScan& scan, const rules::RuleSet& rules,
                                               const model::CodeLists& codes, int min_cell);
// The same from the state database, opened read-only (the daemon's start):
// never writes, never waits for a scan's write lock. Errors: the file
// cannot be read, or its schema version is not this build's.
util::Expected<std::shared_ptr<const Snapshot>> load_snapshot(const std::string& state_db,
                                                              const rules::RuleSet& rules,
                                                              const model::CodeLists& codes, int min_cell);

}  // namespace spiegel::metrics
