#include "daemon/engine/scanner.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

namespace spiegel::engine {
namespace {

using model::Kind;

struct ChunkBuffer {
    model::Arena arena;
    std::vector<model::Record> records;
    util::Expected<std::size_t> count = std::size_t{0};
    std::vector<ResultRow> rows;  // rows[i] is the result of records[i]
};

// Records are evaluated in blocks claimed from an atomic cursor, so the
// reader thread (when it is ahead) and the scan thread share the
// evaluation of a chunk without a fixed split.
constexpr std::size_t k_eval_block = 16;

// Evaluates one chunk; several threads may call run_block() at once.
struct ChunkEval {
    const rules::RuleSet& rules;
    model::Kind kind;
    const EducationRanks& ranks;
    const rules::EvalContext& context;
    ChunkBuffer* chunk = nullptr;
    std::atomic<std::size_t> next{0};       // the first record not yet claimed
    std::atomic<std::size_t> evaluated{0};  // records whose rows are complete

    // Evaluates the next unclaimed block; false when none was left.
    bool run_block(rules::Outcome& outcome) {
        const std::size_t n = chunk->records.size();
        if (next.load(std::memory_order_relaxed) >= n) {
            return false;
        }
        const std::size_t begin = next.fetch_add(k_eval_block, std::memory_order_relaxed);
        if (begin >= n) {
            return false;
        }
        const std::size_t end = std::min(n, begin + k_eval_block);
        for (std::size_t i = begin; i < end; ++i) {
            ResultRow& row = chunk->rows[i];
            const model::Record& record = chunk->records[i];
            if (record.reused) {  // the stored result stands (ReuseCheck): sinks read nothing else
                row.kind = kind;
                row.source_row = record.row;
                row.unreadable = false;
                row.reused = true;
                continue;
            }
            row.clear();
            fill_attributes(record, ranks, context.as_of, row);
            const std::int64_t attributes_until = row.valid_until;
            rules.evaluate(record, context, outcome);
            fill_outcome(rules, kind, outcome, row);
            row.content_hash = record.content_hash;
            // An unreadable record is evaluated again every time: its
            // outcome depends on why the value could not be read.
            row.valid_until = row.unreadable ? 0 : std::min(outcome.valid_until, attributes_until);
            row.digest = result_digest(row);
        }
        evaluated.fetch_add(end - begin, std::memory_order_release);
        return true;
    }
};

std::vector<bool> union_of(std::vector<bool> a, const std::vector<bool>& b) {
    if (a.size() < b.size()) {
        a.resize(b.size(), false);
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
        a[i] = a[i] || b[i];
    }
    return a;
}

}  // namespace

util::Status FanOutSink::begin_kind(Kind kind, bool full) {
    for (ResultSink* s : m_sinks) {
        if (auto st = s->begin_kind(kind, full); !st) {
            return st;
        }
    }
    return {};
}

util::Status FanOutSink::put(const ResultRow& row) {
    for (ResultSink* s : m_sinks) {
        if (auto st = s->put(row); !st) {
            return st;
        }
    }
    return {};
}

util::Status FanOutSink::remove(Kind kind, const std::vector<std::string>& ids) {
    for (ResultSink* s : m_sinks) {
        if (auto st = s->remove(kind, ids); !st) {
            return st;
        }
    }
    return {};
}

util::Status FanOutSink::end_kind(Kind kind, bool full) {
    for (ResultSink* s : m_sinks) {
        if (auto st = s->end_kind(kind, full); !st) {
            return st;
        }
    }
    return {};
}

bool FanOutSink::accepts_reused() const {
    return std::all_of(m_sinks.begin(), m_sinks.end(), [](const ResultSink* s) { return s->accepts_reused(); });
}

std::int64_t FanOutSink::removed_count() const {
    for (const ResultSink* s : m_sinks) {
        if (const std::int64_t n = s->removed_count(); n >= 0) {
            return n;
        }
    }
    return -1;
}

ReuseCheck* FanOutSink::begin_reuse(Kind kind) {
    if (!accepts_reused()) {
        return nullptr;
    }
    ReuseCheck* check = nullptr;
    for (ResultSink* s : m_sinks) {
        if (ReuseCheck* c = s->begin_reuse(kind); c != nullptr && check == nullptr) {
            check = c;
        }
    }
    return check;
}

util::Status AggregateSink::begin_kind(Kind kind, bool full) {
    const bool accumulate = full && !m_patched[index_of(kind)];
    m_full[index_of(kind)] = accumulate;
    m_active = accumulate;
    return {};
}

util::Status AggregateSink::put(const ResultRow& row) {
    if (m_active) {
        m_aggregates.add(row);
    }
    return {};
}

void fill_outcome(const rules::RuleSet& rule_set, Kind kind, const rules::Outcome& outcome,
                  ResultRow& row) {
    const auto& infos = rule_set.rules(kind);
    row.score = outcome.score;
    row.failed.clear();
    for (std::uint16_t index : outcome.failed) {
        row.failed.push_back(infos[index].id);
    }
    row.dimensions = outcome.dimension_scores;
    fill_applicability(infos, outcome, row);
    row.unreadable = row.unreadable || outcome.unreadable;
}

util::Expected<model::PerKind<bool>> Scanner::plan_full(const ScanRequest& request, bool& need_cross) {
    model::PerKind<bool> full{};
    bool inputs_changed = request.full;
    for (Kind k : m_rules.cross_inputs()) {
        if (inputs_changed) {
            break;
        }
        auto changed = m_source.changed_since(k, request.since_seq);
        if (!changed) {
            return changed.error();
        }
        inputs_changed = *changed;
    }
    need_cross = false;
    for (Kind k : model::k_all_kinds) {
        const bool cross = m_rules.has_cross_rules(k);
        full[index_of(k)] = request.full || (cross && inputs_changed);
        if (!full[index_of(k)] && request.promote_when_changed[index_of(k)] > 0) {
            auto changed = m_source.changed_count(k, request.since_seq);
            if (!changed) {
                return changed.error();
            }
            full[index_of(k)] = *changed >= request.promote_when_changed[index_of(k)];
        }
        if (cross && !need_cross) {
            if (full[index_of(k)]) {
                need_cross = true;
            } else {
                auto changed = m_source.changed_since(k, request.since_seq);
                if (!changed) {
                    return changed.error();
                }
                need_cross = *changed;
            }
        }
    }
    return full;
}

util::Status Scanner::build_cross(std::unique_ptr<rules::CrossIndex>& out) {
    rules::CrossIndexBuilder builder(m_rules);
    for (Kind k : m_rules.cross_inputs()) {
        StreamRequest req;
        req.kind = k;
        req.wanted = m_rules.cross_fields(k);
        if (auto st = for_each_record(m_source, req, [&](const model::Record& r) { builder.add(r); }); !st) {
            return st;
        }
    }
    out = builder.finish();
    return {};
}

util::Status Scanner::scan_kind(Kind kind, bool full, const ScanRequest& request,
                                const rules::CrossIndex* cross, bool cross_unchanged, ResultSink& sink,
                                KindSummary& summary, std::int64_t& done) {
    summary.full = full;
    std::vector<std::string> deleted;
    if (!full) {
        auto ids = m_source.deleted_since(kind, request.since_seq);
        if (!ids) {
            return ids.error();
        }
        deleted = std::move(*ids);
        summary.deleted = static_cast<std::int64_t>(deleted.size());
    }
    StreamRequest req;
    req.kind = kind;
    req.changes_only = !full;
    req.since_seq = request.since_seq;
    req.wanted = union_of(m_rules.used_fields(kind), attribute_fields(kind));
    auto stream = m_source.open(req);
    if (!stream) {
        return stream.error();
    }
    static const EducationRanks k_no_ranks;
    const EducationRanks& ranks = request.ranks ? *request.ranks : k_no_ranks;
    const rules::EvalContext context{request.as_of, cross};
    // Stored results may be kept unevaluated only in a kind the caller
    // allows, and for a kind with cross rules only when the cross-record
    // index is the one they were judged with. In an incremental kind that
    // keeps the results of records changed in the source whose stored
    // values are still the ones evaluated (a row touched or rewritten as
    // it was).
    const bool reuse = request.reuse[index_of(kind)] && (!m_rules.has_cross_rules(kind) || cross_unchanged);
    // The sink begins the kind while the reader thread reads its first
    // chunks, or before when it may keep stored results (run_chunks).
    const auto begin = [&](ReuseCheck*& check) -> util::Status {
        if (auto st = sink.begin_kind(kind, full); !st) {
            return st;
        }
        if (reuse) {
            check = sink.begin_reuse(kind);
        }
        return full ? util::Status{} : sink.remove(kind, deleted);
    };
    if (auto st = run_chunks(**stream, kind, ranks, context, request, begin, reuse, sink, summary, done); !st) {
        return st;
    }
    if (auto st = sink.end_kind(kind, full); !st) {
        return st;
    }
    // The results a storing sink removed: a full kind's records gone from
    // the source too, and no tombstone of an id that had no result. Without
    // one, the ids the tombstones name.
    if (const std::int64_t removed = sink.removed_count(); removed >= 0) {
        summary.deleted = removed;
    }
    return {};
}

// Reading and evaluating on both cores. A reader thread reads chunk after
// chunk (SQLite or PostgreSQL, and decoding) into a ring of buffers, as far
// as k_ring chunks ahead of the writer; when every buffer is taken it helps
// evaluate the oldest chunks. This thread evaluates each chunk in order
// (sharing its blocks with the reader), then writes its results and frees
// its buffer. Reading, the one part that cannot be shared, so never waits
// for writing. The stream is only ever used by the reader; sinks only by
// this thread.
namespace {

constexpr std::size_t k_ring = 3;

struct Ring {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t read = 0;      // chunks [0, read) are in their buffers (or failed)
    std::size_t released = 0;  // chunks [0, released) were written; their buffers are free
    bool stop = false;         // the scan thread stopped early: the reader must end
    std::atomic<bool> failed{false};
    std::exception_ptr failure;  // what the reader threw, when failed
};

}  // namespace

util::Status Scanner::run_chunks(RecordStream& source, Kind kind, const EducationRanks& ranks,
                                 const rules::EvalContext& context, const ScanRequest& request,
                                 const std::function<util::Status(ReuseCheck*&)>& begin,
                                 bool begin_before_reading, ResultSink& sink,
                                 KindSummary& summary, std::int64_t& done) {
    ChunkBuffer buffers[k_ring];
    std::array<ChunkEval, k_ring> evals = {ChunkEval{m_rules, kind, ranks, context, &buffers[0], {}, {}},
                                           ChunkEval{m_rules, kind, ranks, context, &buffers[1], {}, {}},
                                           ChunkEval{m_rules, kind, ranks, context, &buffers[2], {}, {}}};
    Ring ring;
    // Evaluates one unclaimed block of the oldest chunks read and not yet
    // written; false when there was none.
    auto help = [&](rules::Outcome& outcome) {
        std::size_t from = 0;
        std::size_t to = 0;
        {
            std::lock_guard lock(ring.mutex);
            from = ring.released;
            to = ring.read;
        }
        for (std::size_t n = from; n < to; ++n) {
            if (evals[n % k_ring].run_block(outcome)) {
                return true;
            }
        }
        return false;
    };
    auto reader = [&] {
        rules::Outcome outcome;
        try {
            for (std::size_t n = 0;; ++n) {
                for (;;) {
                    std::unique_lock lock(ring.mutex);
                    if (ring.stop) {
                        return;
                    }
                    if (n - ring.released < k_ring) {
                        break;
                    }
                    lock.unlock();
                    if (!help(outcome)) {
                        // Nothing left to evaluate until this thread reads
                        // again: wait for a buffer.
                        lock.lock();
                        ring.changed.wait(lock, [&] { return ring.stop || n - ring.released < k_ring; });
                    }
                }
                ChunkEval& eval = evals[n % k_ring];
                ChunkBuffer& b = *eval.chunk;
                b.records.clear();
                b.arena.reset();
                b.count = source.next_chunk(b.arena, b.records);
                if (b.rows.size() < b.records.size()) {
                    b.rows.resize(b.records.size());
                }
                eval.next.store(0, std::memory_order_relaxed);
                eval.evaluated.store(0, std::memory_order_relaxed);
                const bool last = !b.count || *b.count == 0;
                {
                    std::lock_guard lock(ring.mutex);
                    ring.read = n + 1;
                }
                ring.changed.notify_all();
                if (last) {
                    return;
                }
            }
        } catch (...) {
            {
                std::lock_guard lock(ring.mutex);
                ring.failure = std::current_exception();
                ring.failed.store(true);
            }
            ring.changed.notify_all();
        }
    };
    // A kind that may keep stored results is begun before reading: the
    // stream needs the check from its first chunk on, or those records
    // would be decoded and evaluated for nothing. Handed over before the
    // reader thread starts; only that thread uses it afterwards.
    ReuseCheck* reuse = nullptr;
    if (begin_before_reading) {
        if (auto st = begin(reuse); !st) {
            return st;
        }
        source.set_reuse(reuse);
    }
    std::future<void> reading = std::async(std::launch::async, reader);
    // Declared after `reading`, so destroyed first: an early return stops
    // the reader before the future's destructor waits for it.
    struct StopReader {
        Ring& ring;
        ~StopReader() {
            {
                std::lock_guard lock(ring.mutex);
                ring.stop = true;
            }
            ring.changed.notify_all();
        }
    } stop_reader{ring};
    if (!begin_before_reading) {
        if (auto st = begin(reuse); !st) {
            return st;
        }
    }
    rules::Outcome outcome;
    for (std::size_t n = 0;; ++n) {
        {
            std::unique_lock lock(ring.mutex);
            ring.changed.wait(lock, [&] { return ring.read > n || ring.failed.load(); });
            if (ring.failed.load()) {
                std::rethrow_exception(ring.failure);
            }
        }
        ChunkEval& eval = evals[n % k_ring];
        ChunkBuffer& chunk = *eval.chunk;
        if (!chunk.count) {
            return chunk.count.error();
        }
        if (*chunk.count == 0) {
            return {};
        }
        const std::size_t count = *chunk.count;  // the buffer is the reader's again once released
        while (eval.run_block(outcome)) {
        }
        // The reader may still be finishing a block it claimed.
        while (eval.evaluated.load(std::memory_order_acquire) < chunk.records.size()) {
            if (ring.failed.load()) {
                std::lock_guard lock(ring.mutex);
                std::rethrow_exception(ring.failure);
            }
            std::this_thread::yield();
        }
        for (std::size_t i = 0; i < count; ++i) {
            const ResultRow& row = chunk.rows[i];
            ++summary.records;
            summary.unreadable += row.unreadable ? 1 : 0;
            summary.reused += row.reused ? 1 : 0;
            if (auto st = sink.put(row); !st) {
                return st;
            }
        }
        {
            std::lock_guard lock(ring.mutex);
            ring.released = n + 1;
        }
        ring.changed.notify_all();
        done += static_cast<std::int64_t>(count);
        if (request.progress) {
            request.progress(done);
        }
        if (request.stop && request.stop->load(std::memory_order_relaxed)) {
            return util::Error{k_scan_stopped};
        }
    }
}

util::Expected<ScanSummary> Scanner::run(const ScanRequest& request, ResultSink& sink) {
    bool need_cross = false;
    auto full = plan_full(request, need_cross);
    if (!full) {
        return full.error();
    }
    std::unique_ptr<rules::CrossIndex> cross;
    ScanSummary summary;
    if (need_cross) {
        if (auto st = build_cross(cross); !st) {
            return st.error();
        }
        summary.cross_fingerprint = cross->fingerprint();
    }
    const bool cross_unchanged =
        request.previous_cross_fingerprint != 0 && summary.cross_fingerprint == request.previous_cross_fingerprint;
    std::int64_t done = 0;
    for (Kind k : model::k_all_kinds) {
        if (auto st = scan_kind(k, (*full)[index_of(k)], request, cross.get(), cross_unchanged, sink,
                                summary.kinds[index_of(k)], done);
            !st) {
            return st.error();
        }
    }
    return summary;
}

}  // namespace spiegel::engine
