#pragma once
// The daemon's only writer of the access database (docs/serving.md): one
// thread that commits audit rows in groups, prunes rows past the retention
// and keeps the WAL file below a configured size, so no HTTP thread ever
// waits for a write lock, a checkpoint or an fsync.
//
// Checkpoints: the writing connection never checkpoints inside a commit
// (wal_autocheckpoint=0). A second thread with its own connection runs the
// PASSIVE checkpoints, with their fsyncs, while the writer goes on
// committing; once it has backfilled a round, the writer copies the few
// frames appended meanwhile between two batches, after notifying their
// callers, so that its next transaction starts the WAL over.
//
// record_async() queues a row and calls back once the transaction holding
// it has committed: every row queued while one transaction commits goes
// into the next (group commit). record() does the same and blocks its caller
// (a handler thread, never the io thread) until then. Callbacks come from
// the writer thread, or from a watchdog thread when the deadline
// (audit_timeout) passes first, so a caller learns its row's fate in time
// even while a commit hangs on a lock. Thread-safe. Destroying the writer
// commits what is queued, calls its callers back, then stops.
// Audit times and the retention cutoff come from the injected clock; the
// thread's own waits (audit_timeout, prune_interval) are real time, as a
// condition variable can only wait on the operating system's clock.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "daemon/store/access_db.h"
#include "daemon/util/clock.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

struct AccessWriterOptions {
    std::string path;                   // the access database
    std::string legacy_state_db;        // moved from once (AccessDb::open)
    std::int64_t wal_max_bytes = 16 * 1024 * 1024;
    std::chrono::milliseconds audit_timeout{2000};
    int audit_retention_days = 365;
    std::chrono::seconds prune_interval{3600};  // first pass at start; 0: only prune_now()
    std::int64_t prune_batch = 10000;   // rows examined (the old ones deleted) per transaction
};

class AccessWriter {
public:
    // Opens (creating, migrating) the database and starts the thread.
    static util::Expected<std::unique_ptr<AccessWriter>> start(const AccessWriterOptions& options,
                                                               const util::Clock& clock);
    ~AccessWriter();
    AccessWriter(const AccessWriter&) = delete;
    AccessWriter& operator=(const AccessWriter&) = delete;

    // Called exactly once with the row's fate; must be quick (it runs on the
    // writer or the watchdog thread) and must not call back into the writer.
    using Done = std::function<void(util::Status)>;
    // Queues `row`; `done` gets what record() would return. When the writer
    // is closing, `done` is called at once on the calling thread.
    void record_async(const AccessRow& row, Done done);
    // Queues `row` and waits until it is committed. Error: the commit failed
    // or did not happen within audit_timeout (the row may still be written
    // later: an audit row too many, never one too few).
    util::Status record(const AccessRow& row);
    // Runs `job` on the writer thread with the writing connection (session
    // writes) and waits for it like record(); the job's own result. The job
    // may run after a timed-out wait: it must own what it captures.
    util::Status write(std::function<util::Status(AccessDb&)> job);

    // Applies a reloaded retention (days).
    void set_retention_days(int days);
    // Runs a prune pass now (tests; the thread also runs one every
    // prune_interval). Returns rows deleted.
    util::Expected<std::int64_t> prune_now();
    // Size of the WAL file in bytes (0 when absent).
    std::int64_t wal_bytes() const;
    // Transactions committed so far (tests, benchmarks).
    std::int64_t commits() const;
    // Checkpoints run by the checkpoint thread and catch-ups by the writer
    // so far (tests, benchmarks).
    std::int64_t checkpoints() const;

private:
    struct Pending;
    AccessWriter(AccessWriterOptions options, const util::Clock& clock, std::unique_ptr<AccessDb> db,
                 std::unique_ptr<AccessDb> checkpoint_db, std::int64_t checkpoint_frames);
    void run();
    void run_checkpoints();
    void run_watchdog();
    void enqueue(const std::shared_ptr<Pending>& pending);
    util::Status wait_for(const std::shared_ptr<Pending>& pending);
    void commit_batch(std::deque<std::shared_ptr<Pending>>& batch);
    void after_commit();  // the writer thread, between batches
    void bound_wal();
    std::int64_t prune();

    AccessWriterOptions m_options;
    const util::Clock& m_clock;
    std::unique_ptr<AccessDb> m_db;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;       // the thread: rows queued or stop
    std::condition_variable m_watch;      // the watchdog: something to watch, or stop
    std::deque<std::shared_ptr<Pending>> m_queue;
    std::deque<std::shared_ptr<Pending>> m_inflight;  // the batch being committed
    bool m_stop = false;
    bool m_watchdog_stop = false;  // after the writer thread has ended
    bool m_watchdog_idle = false;  // waiting without a deadline
    int m_retention_days;
    std::int64_t m_commits = 0;
    std::mutex m_db_mutex;  // the connection: the thread, prune_now()

    // The checkpoint thread's state, under m_mutex.
    std::unique_ptr<AccessDb> m_checkpoint_db;  // its own connection
    const std::int64_t m_checkpoint_frames;     // WAL frames that start a round
    std::condition_variable m_checkpoint_wake;  // the checkpoint thread: asked or stop
    std::condition_variable m_checkpoint_idle;  // the writer: a round ended
    bool m_checkpoint_asked = false;    // the writer asked for a round
    bool m_checkpoint_running = false;  // a round is running
    bool m_checkpoint_done = false;     // a round ended: the writer catches up
    std::int64_t m_checkpoints = 0;
    std::atomic<int> m_wal_frames{0};  // frames in the WAL after the last commit (the writer's wal hook)

    std::thread m_checkpointer;  // last: started when everything else exists
    std::thread m_watchdog;
    std::thread m_thread;
};

}  // namespace spiegel::store
