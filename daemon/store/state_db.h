#pragma once
// The state database (docs/state-schema.md): the current result per record,
// the scan history with per-scan aggregates (kept retention_days), and the
// peer statistics of the latest scan. SQLite in WAL mode with a busy
// timeout; a scan writes everything in one BEGIN IMMEDIATE transaction, so
// readers see either the previous scan or the new one, never half of one.
// One StateDb per thread.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/engine/aggregator.h"
#include "daemon/engine/result.h"
#include "daemon/engine/scanner.h"
#include "daemon/store/write_transaction.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

// The DDL of the current schema version (a new file gets it as it is).
std::string state_schema_sql();
// The version state_schema_sql() creates and the last of the migrations
// (docs/state-schema.md#schema-versions) that bring older files to it.
inline constexpr int k_state_schema_version = 8;

// One row of the scan table.
struct ScanInfo {
    std::int64_t id = 0;
    bool full = false;             // type 'full' or 'incremental'
    std::int64_t as_of = 0;        // seconds since the epoch
    std::int64_t started_at = 0;   // wall clock, seconds since the epoch
    std::int64_t finished_at = 0;
    std::string status;            // running, ok, failed, interrupted
    std::int64_t source_seq = 0;   // source watermark taken before reading
    std::string rules_fingerprint;
    engine::ScanSummary summary;
    std::int64_t duration_ms = 0;
    std::string error;
};

// The completed scans the metrics describe (docs/metrics.md).
struct ScanHistory {
    std::optional<ScanInfo> last;              // latest scan with status 'ok'
    std::optional<ScanInfo> last_full;         // latest full one
    std::optional<ScanInfo> last_incremental;  // latest incremental one
    std::optional<bool> last_attempt_success;  // the latest scan row 'ok' or 'failed': was it 'ok'?

    // The history once `scan` completed: it is the last completed scan and
    // the last of its type, and the latest attempt succeeded.
    void add_completed(const ScanInfo& scan);
};

// What a metrics snapshot is built from: the scan history and the
// complete aggregates of its last completed scan (groups only, no peer cells).
struct LastScan {
    ScanHistory history;
    engine::ScanAggregates aggregates;
};

// What read_aggregates reads.
enum class AggregateParts { groups, groups_and_peer_cells };

class StateDb {
public:
    // Opens path for writing, creating the file and schema when absent and
    // applying the migrations of an older schema version in place, in one
    // write transaction (docs/state-schema.md); refuses a file of a newer version.
    // That transaction waits the busy timeout of every connection
    // (store::k_busy_timeout_ms) for another writer's lock, or at most
    // `lock_wait`; later ones wait the busy timeout.
    static util::Expected<std::unique_ptr<StateDb>> open(const std::string& path);
    static util::Expected<std::unique_ptr<StateDb>> open(const std::string& path, std::chrono::milliseconds lock_wait);
    // Opens an existing file read-only, for readers: it never writes, so
    // never waits for a scan's write lock. Errors: no such file, no schema
    // yet, a newer version, or an older one that needs migrating first.
    // The write methods fail on it.
    static util::Expected<std::unique_ptr<StateDb>> open_read_only(const std::string& path);
    ~StateDb();
    StateDb(const StateDb&) = delete;
    StateDb& operator=(const StateDb&) = delete;

    // The latest scan with status 'ok', if any.
    util::Expected<std::optional<ScanInfo>> last_completed_scan();
    // The latest full scan with status 'ok', if any.
    util::Expected<std::optional<ScanInfo>> last_completed_full_scan();
    util::Expected<std::optional<ScanInfo>> scan(std::int64_t id);

    // Records a scan as 'running' (own short transaction); returns its id.
    // Scans still 'running' then were left by a killed process (a running
    // scan holds the write lock): they are marked 'interrupted'.
    util::Expected<std::int64_t> start_scan(bool full, std::int64_t as_of, std::int64_t started_at);
    // Marks scans left 'running' by a killed process 'interrupted', unless
    // another process holds the write lock (then a scan may be running:
    // nothing is changed). Returns how many were marked.
    util::Expected<std::int64_t> mark_interrupted_scans(std::int64_t now);
    // Marks a scan 'failed' with a reason (no personal data in it), or
    // 'interrupted' when it was stopped (SIGTERM): a stop is no failure.
    util::Status fail_scan(std::int64_t id, const std::string& reason, std::int64_t finished_at,
                           bool stopped = false);

    // The scan's write transaction (BEGIN IMMEDIATE): results, aggregates and
    // the finished scan row. Destroying it without commit() rolls back.
    using Transaction = WriteTransaction;
    util::Expected<Transaction> begin();

    // A ResultSink writing the current result per record, stamped with
    // scan_id (and, when its score is new or changed, with the scan's
    // as_of: result.score_as_of), and a score_history row holding the
    // score a changed one replaced. A full kind removes, at end_kind, results of records it did
    // not see (deleted from the source). For kinds not scanned fully, each
    // replaced or removed row is taken out of `delta` (-old) and each new
    // one added (+new), when delta is given; so is each changed or removed
    // row of a full kind with patch_full[kind] (its aggregates are then the
    // previous scan's plus delta, docs/scan.md). A full kind with stored
    // results does not rewrite a result whose digest is unchanged. When
    // the scan allows it (engine::ScanRequest::reuse), the writer also says
    // which stored results hold at `as_of` for unchanged stored values
    // (engine::ResultSink::begin_reuse). Use inside a Transaction.
    std::unique_ptr<engine::ResultSink> result_writer(std::int64_t scan_id,
                                                      engine::ScanAggregates* delta = nullptr,
                                                      const model::PerKind<bool>& patch_full = {},
                                                      std::int64_t as_of = 0);
    // True when a result of the kind is stored.
    util::Expected<bool> has_results(model::Kind kind);

    // Streams the current results of a kind (in id order).
    util::Status for_each_result(model::Kind kind, const std::function<void(const engine::ResultRow&)>& fn);
    util::Expected<std::int64_t> result_count(model::Kind kind);

    // Stores the aggregates of scan_id (history) and the peer statistics.
    // Kinds with full[kind] get `aggregates` (their peer rows replaced); the
    // other kinds get the previous scan's aggregates plus `delta` (peer rows
    // patched). Empty groups, zero rule counts and zero peer cells are dropped.
    // Returns the groups stored (every kind, no peer cells): what
    // read_aggregates(scan_id, AggregateParts::groups) reads back.
    util::Expected<engine::ScanAggregates> write_aggregates(std::int64_t scan_id,
                                                            const engine::ScanAggregates& aggregates,
                                                            const model::PerKind<bool>& full,
                                                            std::int64_t previous_scan_id,
                                                            const engine::ScanAggregates& delta);
    // Every kind from `aggregates`.
    util::Expected<engine::ScanAggregates> write_aggregates(std::int64_t scan_id,
                                                            const engine::ScanAggregates& aggregates);
    // Reads back what write_aggregates stored (peer cells: the current ones).
    util::Expected<engine::ScanAggregates> read_aggregates(
        std::int64_t scan_id, AggregateParts parts = AggregateParts::groups_and_peer_cells);

    // The completed scans of the history (see ScanHistory).
    util::Expected<ScanHistory> read_scan_history();
    // The history and the last completed scan's groups, in one read
    // transaction (one consistent state); no aggregates before the first scan.
    util::Expected<LastScan> read_last_scan();

    // Completes the scan row (status 'ok') from `info`, and raises the
    // latest as-of (latest_as_of) to info.as_of.
    util::Status finish_scan(const ScanInfo& info);
    // The latest as-of of any completed scan since schema 6, kept when
    // retention deletes the scan (state_meta key max_as_of); 0 when none.
    // Every stored result was evaluated at an as-of no later than it.
    util::Expected<std::int64_t> latest_as_of();
    // The enabled rules per kind of the latest completed scan (state_meta
    // key enabled_rules, written with the scan by record_enabled_rules);
    // nullopt when no scan recorded them (state files of earlier versions).
    util::Expected<std::optional<model::PerKind<std::size_t>>> enabled_rules();
    util::Status record_enabled_rules(const model::PerKind<std::size_t>& enabled);
    // Deletes scans (and their aggregates) that started more than `days`
    // before `now`, always keeping the latest completed scan, and the
    // score_history rows of scores replaced before the oldest kept scan,
    // except per record the newest score held before it.
    util::Status apply_retention(int days, std::int64_t now);

    const std::string& path() const { return m_path; }

private:
    explicit StateDb(std::string path);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_path;
};

// Opens path read-only and reads its LastScan (the daemon's start): never
// writes. Errors as open_read_only's and read_last_scan's.
util::Expected<LastScan> read_last_scan(const std::string& path);

// True when the database at path cannot be written now only because
// another connection holds its write lock, or the file (or its disk) is
// read-only: a state to wait out, unlike corruption, an I/O error or a
// full disk, for which this is false. Asks SQLite without waiting.
bool write_blocked(const std::string& path);

}  // namespace spiegel::store
