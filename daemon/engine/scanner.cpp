#include "daemon/engine/scanner.h"

#include <algorithm>
#include <atomic>
#include <future>

namespace spiegel::engine {
namespace {

using model::Kind;

std::size_t index_of(Kind kind) { return static_cast<std::size_t>(kind); }

struct ChunkBuffer {
    model::Arena arena;
    std::vector<model::Record> records;
    util::Expected<std::size_t> count = std::size_t{0};
    std::vector<ResultRow> rows;  // rows[i] is the result of records[i]
};

// Records are evaluated in blocks claimed from an atomic cursor, so the
// helper thread (after reading a chunk) and the scan thread (after writing
// the previous one) share the evaluation of a chunk without a fixed split.
constexpr std::size_t k_eval_block = 16;

// Evaluates one chunk; several threads may call run() at once.
struct ChunkEval {
    const rules::RuleSet& rules;
    model::Kind kind;
    const EducationRanks& ranks;
    const rules::EvalContext& context;
    ChunkBuffer* chunk = nullptr;
    std::atomic<std::size_t> next{0};

    void run(rules::Outcome& outcome) {
        const std::size_t n = chunk->records.size();
        for (;;) {
            const std::size_t begin = next.fetch_add(k_eval_block, std::memory_order_relaxed);
            if (begin >= n) {
                return;
            }
            for (std::size_t i = begin; i < std::min(n, begin + k_eval_block); ++i) {
                ResultRow& row = chunk->rows[i];
                row.clear();
                fill_attributes(chunk->records[i], ranks, row);
                rules.evaluate(chunk->records[i], context, outcome);
                fill_outcome(rules, kind, outcome, row);
                row.digest = result_digest(row);
            }
        }
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
                                const rules::CrossIndex* cross, ResultSink& sink,
                                KindSummary& summary, std::int64_t& done) {
    summary.full = full;
    if (auto st = sink.begin_kind(kind, full); !st) {
        return st;
    }
    if (!full) {
        auto deleted = m_source.deleted_since(kind, request.since_seq);
        if (!deleted) {
            return deleted.error();
        }
        summary.deleted = static_cast<std::int64_t>(deleted->size());
        if (auto st = sink.remove(kind, *deleted); !st) {
            return st;
        }
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
    if (auto st = run_chunks(**stream, kind, ranks, context, request, sink, summary, done); !st) {
        return st;
    }
    return sink.end_kind(kind, full);
}

// Double buffering on both cores: a helper thread reads (SQLite + decoding)
// chunk N+1 and then evaluates it, while this thread writes the results of
// chunk N and then joins the evaluation of chunk N+1. The stream is only
// ever used by the helper; sinks only by this thread.
util::Status Scanner::run_chunks(RecordStream& source, Kind kind, const EducationRanks& ranks,
                                 const rules::EvalContext& context, const ScanRequest& request,
                                 ResultSink& sink, KindSummary& summary, std::int64_t& done) {
    ChunkBuffer buffers[2];
    ChunkEval evals[2] = {{m_rules, kind, ranks, context, &buffers[0], {}},
                          {m_rules, kind, ranks, context, &buffers[1], {}}};
    rules::Outcome helper_outcome;
    rules::Outcome outcome;
    std::promise<void> read_done;
    std::future<void> read_ready;
    auto fill = [&source, &helper_outcome](ChunkEval& eval, std::promise<void>& ready) {
        ChunkBuffer& b = *eval.chunk;
        try {
            b.records.clear();
            b.arena.reset();
            b.count = source.next_chunk(b.arena, b.records);
            if (b.rows.size() < b.records.size()) {
                b.rows.resize(b.records.size());
            }
            eval.next.store(0, std::memory_order_relaxed);
        } catch (...) {
            ready.set_exception(std::current_exception());  // never leave the scan thread waiting
            throw;
        }
        ready.set_value();
        eval.run(helper_outcome);
    };
    auto launch = [&](ChunkEval& eval) {
        read_done = std::promise<void>();
        read_ready = read_done.get_future();
        return std::async(std::launch::async, fill, std::ref(eval), std::ref(read_done));
    };
    // The future's destructor waits, so an early return below never leaves
    // the helper running on a buffer that goes away.
    std::future<void> pending = launch(evals[0]);
    for (int current = 0;; current = 1 - current) {
        read_ready.get();
        evals[current].run(outcome);
        pending.get();
        ChunkBuffer& chunk = buffers[current];
        if (!chunk.count) {
            return chunk.count.error();
        }
        if (*chunk.count == 0) {
            return {};
        }
        pending = launch(evals[1 - current]);
        for (std::size_t i = 0; i < *chunk.count; ++i) {
            const ResultRow& row = chunk.rows[i];
            ++summary.records;
            summary.unreadable += row.unreadable ? 1 : 0;
            if (auto st = sink.put(row); !st) {
                return st;
            }
        }
        done += static_cast<std::int64_t>(*chunk.count);
        if (request.progress) {
            request.progress(done);
        }
        if (request.stop && request.stop->load(std::memory_order_relaxed)) {
            return util::Error{"scan stopped"};
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
    if (need_cross) {
        if (auto st = build_cross(cross); !st) {
            return st.error();
        }
    }
    ScanSummary summary;
    std::int64_t done = 0;
    for (Kind k : model::k_all_kinds) {
        if (auto st = scan_kind(k, (*full)[index_of(k)], request, cross.get(), sink,
                                summary.kinds[index_of(k)], done);
            !st) {
            return st.error();
        }
    }
    return summary;
}

}  // namespace spiegel::engine
