#include "daemon/store/access_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <future>
#include <optional>
#include <vector>

namespace spiegel::store {

namespace {

constexpr std::size_t k_max_batch = 4096;
constexpr std::int64_t k_min_autocheckpoint_pages = 16;

}  // namespace

struct AccessWriter::Pending {
    AccessRow row;
    std::function<util::Status(AccessDb&)> job;  // set: a write job instead of an audit row
    Done done;                                   // called once, without m_mutex held
    std::chrono::steady_clock::time_point deadline;
    bool finished = false;  // under m_mutex: `done` was called or is being called
    util::Status status;
};

util::Expected<std::unique_ptr<AccessWriter>> AccessWriter::start(const AccessWriterOptions& options,
                                                                  const util::Clock& clock) {
    auto db = AccessDb::open(options.path, AccessDb::Mode::read_write, options.legacy_state_db);
    if (!db) {
        return db.error();
    }
    auto checkpoint_db = AccessDb::open(options.path, AccessDb::Mode::read_write);
    if (!checkpoint_db) {
        return checkpoint_db.error();
    }
    std::int64_t frames = 0;
    try {
        SQLite::Database& c = (*db)->connection();
        const std::int64_t page = c.execAndGet("PRAGMA page_size").getInt64();
        // A checkpoint round once a commit leaves the WAL above half the
        // limit (each round ends in a short stall of the writer, see
        // after_commit); the WAL is truncated to the limit when it resets.
        frames = std::max(k_min_autocheckpoint_pages, options.wal_max_bytes / 2 / page);
        c.exec("PRAGMA wal_autocheckpoint=0");  // never inside a commit
        c.exec("PRAGMA journal_size_limit=" + std::to_string(options.wal_max_bytes));
        (*checkpoint_db)->connection().exec("PRAGMA wal_autocheckpoint=0");
    } catch (const std::exception& e) {
        return util::Error{"cannot configure access database " + options.path + ": " + e.what()};
    }
    return std::unique_ptr<AccessWriter>(
        new AccessWriter(options, clock, std::move(*db), std::move(*checkpoint_db), frames));
}

AccessWriter::AccessWriter(AccessWriterOptions options, const util::Clock& clock, std::unique_ptr<AccessDb> db,
                           std::unique_ptr<AccessDb> checkpoint_db, std::int64_t checkpoint_frames)
    : m_options(std::move(options)),
      m_clock(clock),
      m_db(std::move(db)),
      m_retention_days(m_options.audit_retention_days),
      m_checkpoint_db(std::move(checkpoint_db)),
      m_checkpoint_frames(checkpoint_frames) {
    // The hook replaces SQLite's automatic checkpoint: it only notes the size.
    sqlite3_wal_hook(
        m_db->connection().getHandle(),
        [](void* self, sqlite3*, const char*, int frames) {
            static_cast<AccessWriter*>(self)->m_wal_frames.store(frames, std::memory_order_relaxed);
            return SQLITE_OK;
        },
        this);
    m_checkpointer = std::thread([this] { run_checkpoints(); });
    m_watchdog = std::thread([this] { run_watchdog(); });
    m_thread = std::thread([this] { run(); });
}

AccessWriter::~AccessWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();  // commits what is queued and calls its callers back
    m_checkpoint_wake.notify_all();
    m_checkpointer.join();
    {
        std::lock_guard lock(m_mutex);
        m_watchdog_stop = true;
    }
    m_watch.notify_all();
    m_watchdog.join();
}

void AccessWriter::record_async(const AccessRow& row, Done done) {
    auto pending = std::make_shared<Pending>();
    pending->row = row;
    pending->done = std::move(done);
    enqueue(pending);
}

util::Status AccessWriter::record(const AccessRow& row) {
    auto pending = std::make_shared<Pending>();
    pending->row = row;
    return wait_for(pending);
}

util::Status AccessWriter::write(std::function<util::Status(AccessDb&)> job) {
    auto pending = std::make_shared<Pending>();
    pending->job = std::move(job);
    return wait_for(pending);
}

util::Status AccessWriter::wait_for(const std::shared_ptr<Pending>& pending) {
    auto result = std::make_shared<std::promise<util::Status>>();
    auto future = result->get_future();
    pending->done = [result](util::Status status) { result->set_value(std::move(status)); };
    enqueue(pending);
    return future.get();  // the watchdog answers by the deadline at the latest
}

void AccessWriter::enqueue(const std::shared_ptr<Pending>& pending) {
    pending->deadline = std::chrono::steady_clock::now() + m_options.audit_timeout;
    {
        std::lock_guard lock(m_mutex);
        if (!m_stop) {
            // Deadlines grow in queue order: the watchdog needs waking only
            // when it had nothing to watch.
            if (m_watchdog_idle) {
                m_watch.notify_one();
            }
            m_queue.push_back(pending);
            m_wake.notify_one();
            return;
        }
        pending->finished = true;
    }
    pending->done(util::Error{"the audit log is closing"});
}

// Answers, with a timeout error, every caller whose deadline passed before
// its transaction committed (the row may still be committed later: an audit
// row too many, never one too few).
void AccessWriter::run_watchdog() {
    std::unique_lock lock(m_mutex);
    while (!m_watchdog_stop) {
        std::optional<std::chrono::steady_clock::time_point> next;
        for (const auto* list : {&m_inflight, &m_queue}) {
            for (const auto& p : *list) {
                if (!p->finished) {
                    next = p->deadline;
                    break;
                }
            }
            if (next) {
                break;
            }
        }
        if (!next) {
            m_watchdog_idle = true;
            m_watch.wait(lock);
            m_watchdog_idle = false;
            continue;
        }
        if (std::chrono::steady_clock::now() < *next) {
            m_watch.wait_until(lock, *next);
            continue;
        }
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::shared_ptr<Pending>> expired;
        for (auto* list : {&m_inflight, &m_queue}) {
            for (auto& p : *list) {
                if (!p->finished && p->deadline <= now) {
                    p->finished = true;
                    expired.push_back(p);
                }
            }
        }
        lock.unlock();
        for (auto& p : expired) {
            p->done(util::Error{"the access database write was not committed within " +
                                std::to_string(m_options.audit_timeout.count()) + " ms"});
        }
        lock.lock();
    }
}

void AccessWriter::set_retention_days(int days) {
    std::lock_guard lock(m_mutex);
    m_retention_days = days;
}

util::Expected<std::int64_t> AccessWriter::prune_now() {
    std::lock_guard lock(m_db_mutex);
    return prune();
}

std::int64_t AccessWriter::wal_bytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(m_options.path + "-wal", ec);
    return ec ? 0 : static_cast<std::int64_t>(size);
}

std::int64_t AccessWriter::commits() const {
    std::lock_guard lock(m_mutex);
    return m_commits;
}

std::int64_t AccessWriter::checkpoints() const {
    std::lock_guard lock(m_mutex);
    return m_checkpoints;
}

void AccessWriter::run() {
    const bool pruning = m_options.prune_interval.count() > 0;
    auto next_prune = pruning ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point::max();
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait_until(lock, next_prune, [&] { return m_stop || !m_queue.empty(); });
        if (!m_queue.empty()) {
            while (!m_queue.empty() && m_inflight.size() < k_max_batch) {
                m_inflight.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            std::deque<std::shared_ptr<Pending>> batch = m_inflight;  // the watchdog sees m_inflight
            lock.unlock();
            commit_batch(batch);
            lock.lock();
            std::vector<std::shared_ptr<Pending>> answered;
            for (auto& p : batch) {
                if (!p->finished) {
                    p->finished = true;
                    answered.push_back(p);
                }
            }
            m_inflight.clear();
            ++m_commits;
            lock.unlock();
            for (auto& p : answered) {
                p->done(std::move(p->status));
            }
            after_commit();
            lock.lock();
            continue;  // drain the queue before anything else
        }
        if (m_stop) {
            return;
        }
        if (pruning && std::chrono::steady_clock::now() >= next_prune) {
            lock.unlock();
            {
                std::lock_guard db_lock(m_db_mutex);
                (void)prune();
            }
            lock.lock();
            next_prune = std::chrono::steady_clock::now() + m_options.prune_interval;
        }
    }
}

void AccessWriter::commit_batch(std::deque<std::shared_ptr<Pending>>& batch) {
    std::vector<AccessRow> rows;
    rows.reserve(batch.size());
    for (const auto& p : batch) {
        if (!p->job) {
            rows.push_back(p->row);
        }
    }
    std::lock_guard db_lock(m_db_mutex);
    const util::Status status = rows.empty() ? util::Status() : m_db->record_access(rows);
    for (auto& p : batch) {
        p->status = p->job ? p->job(*m_db) : status;
    }
}

// Runs on the writer thread once the batch's callers are notified: asks the
// checkpoint thread for a round when the WAL is past half its limit,
// and after a round copies the frames appended meanwhile (few, so the fsyncs
// are short), so that the next transaction starts the WAL over.
void AccessWriter::after_commit() {
    bool catch_up = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_checkpoint_done) {
            m_checkpoint_done = false;
            catch_up = true;
        } else if (!m_checkpoint_running && !m_checkpoint_asked &&
                   m_wal_frames.load(std::memory_order_relaxed) >= m_checkpoint_frames) {
            m_checkpoint_asked = true;
            m_checkpoint_wake.notify_one();
        }
    }
    std::lock_guard db_lock(m_db_mutex);
    if (catch_up) {
        (void)sqlite3_wal_checkpoint_v2(m_db->connection().getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                        nullptr, nullptr);
        std::lock_guard lock(m_mutex);
        ++m_checkpoints;
    }
    bound_wal();
}

void AccessWriter::run_checkpoints() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_checkpoint_wake.wait(lock, [&] { return m_stop || m_checkpoint_asked; });
        if (m_stop) {
            return;
        }
        m_checkpoint_asked = false;
        m_checkpoint_running = true;
        lock.unlock();
        // PASSIVE: never waits for the writer or readers; busy is fine.
        (void)sqlite3_wal_checkpoint_v2(m_checkpoint_db->connection().getHandle(), nullptr,
                                        SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        m_checkpoint_running = false;
        m_checkpoint_done = true;
        ++m_checkpoints;
        m_checkpoint_idle.notify_all();
    }
}

// Checkpoints are PASSIVE: a reader in the way can leave frames behind, and
// commits faster than a round's fsyncs can outrun it, so the WAL can grow
// past the limit. Past three quarters of it, wait for the round and for readers
// (their statements are short) and truncate: a stall, but a bounded file.
void AccessWriter::bound_wal() {
    // Three quarters of the limit, in frames (the hook's count: no stat per commit).
    if (m_wal_frames.load(std::memory_order_relaxed) < m_checkpoint_frames * 3 / 2) {
        return;
    }
    {
        std::unique_lock lock(m_mutex);
        m_checkpoint_idle.wait(lock, [&] { return !m_checkpoint_running; });
    }
    try {
        m_db->connection().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception&) {
        // Busy: the next commit tries again.
    }
}

std::int64_t AccessWriter::prune() {
    int days = 0;
    {
        std::lock_guard lock(m_mutex);
        days = m_retention_days;
    }
    const std::int64_t now = m_clock.wall_seconds();
    const std::int64_t before = now - std::int64_t{86400} * days;
    // Rows stamped more than a day ahead were written while the clock ran
    // ahead: they say nothing about the rows behind them.
    const std::int64_t future = now + 86400;
    std::int64_t total = 0;
    std::int64_t after = 0;
    for (;;) {
        // Oldest first; ends at the end of the table or at the first batch
        // with no old row and a row of the present (the rows behind it are
        // newer; one written while the clock was behind waits for them).
        auto step = m_db->prune_access_log(before, after, m_options.prune_batch, future);
        if (!step) {
            break;
        }
        total += step->deleted;
        after = step->last_rowid;
        if (step->examined < m_options.prune_batch || (step->deleted == 0 && step->future < step->examined)) {
            break;
        }
    }
    return total;
}

}  // namespace spiegel::store
