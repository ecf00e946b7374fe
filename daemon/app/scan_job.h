#pragma once
// One scan of the configured source database into the state database
// (docs/scan.md), shared by `spiegeld scan` and the daemon's scheduler.
// Opens its own database connections per call; run one job at a time per
// state database (its BEGIN IMMEDIATE transaction serialises writers anyway).

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "daemon/app/config.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/state_db.h"
#include "daemon/util/clock.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

struct ScanJob {
    std::int64_t as_of = 0;       // the scan's notion of now, seconds since the epoch
    bool full = false;            // scan everything (otherwise incremental when possible)
    std::FILE* report = nullptr;  // NDJSON line per scanned record, or none
    bool progress = false;        // "N records, R records/s" on stderr every ~2 s
    // When set and true, the scan stops at the next chunk and commits nothing.
    const std::atomic<bool>* stop = nullptr;
    // Where start and finish times, durations and progress come from.
    const util::Clock* clock = &util::system_clock();
    // When set: true once the scan tries to open the source, and once it
    // has opened it (connected and taken its snapshot, or opened the file),
    // whatever happens after. A scan that fails before it tries (the state
    // database is locked, say) says nothing about the source.
    bool* source_tried = nullptr;
    bool* source_reached = nullptr;
    // Scan even when a kind that had enabled rules at the last completed
    // scan has none now (otherwise refused: every record of it would score 100).
    bool allow_no_rules = false;
    // When set: true when the scan was refused for that reason.
    bool* rules_refused = nullptr;
};

// Wall time of a scan's phases, in seconds (bench/bench_scan prints them).
struct ScanPhases {
    double pass = 0;        // reading, evaluating and writing the results (engine::Scanner::run)
    double aggregates = 0;  // scan_group, scan_rule and peer_stat (StateDb::write_aggregates)
    double retention = 0;   // pruning old scans (StateDb::apply_retention)
    double commit = 0;      // the scan's one transaction
};

// What a completed scan hands on.
struct ScanResult {
    store::ScanInfo info;  // its scan row
    ScanPhases phases;
    // The scan history including it, and its complete aggregates (groups):
    // for an incremental scan the previous scan's plus the delta. What the
    // metrics snapshot is built from, without reading the database again.
    store::LastScan last_scan;
};

// Runs one scan. Errors (source unreadable, state database busy or full)
// leave the previous results in place and the scan row marked 'failed'.
util::Expected<ScanResult> run_scan_job(const Config& config, const rules::RuleSet& rule_set,
                                        const std::string& rules_fingerprint, const ScanJob& job);

// Hash of every file under the rules directory; a change forces a full scan.
std::string rules_fingerprint(const std::string& rules_dir);

}  // namespace spiegel::app
