#include "daemon/engine/scanner.h"

#include <algorithm>
#include <future>

namespace spiegel::engine {
namespace {

using model::Kind;

std::size_t index_of(Kind kind) { return static_cast<std::size_t>(kind); }

struct ChunkBuffer {
    model::Arena arena;
    std::vector<model::Record> records;
    util::Expected<std::size_t> count = std::size_t{0};
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
    m_full[index_of(kind)] = full;
    m_active = full;
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
    row.unreadable = row.unreadable || outcome.unreadable;
}

util::Expected<std::array<bool, 3>> Scanner::plan_full(const ScanRequest& request, bool& need_cross) {
    std::array<bool, 3> full{};
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
    model::Arena arena;
    std::vector<model::Record> chunk;
    for (Kind k : m_rules.cross_inputs()) {
        StreamRequest req;
        req.kind = k;
        req.wanted = m_rules.cross_fields(k);
        auto stream = m_source.open(req);
        if (!stream) {
            return stream.error();
        }
        for (;;) {
            chunk.clear();
            arena.reset();
            auto n = (*stream)->next_chunk(arena, chunk);
            if (!n) {
                return n.error();
            }
            if (*n == 0) {
                break;
            }
            for (const model::Record& r : chunk) {
                builder.add(r);
            }
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
    // Double buffering: the next chunk is read (SQLite + decoding) on a
    // helper thread while this one evaluates and writes the current chunk.
    // The stream is only ever used by one thread at a time.
    RecordStream& source = **stream;
    ChunkBuffer buffers[2];
    auto fill = [&source](ChunkBuffer& b) {
        b.records.clear();
        b.arena.reset();
        b.count = source.next_chunk(b.arena, b.records);
    };
    std::future<void> pending = std::async(std::launch::async, fill, std::ref(buffers[0]));
    rules::Outcome outcome;
    ResultRow row;
    for (int current = 0;; current = 1 - current) {
        pending.get();
        ChunkBuffer& chunk = buffers[current];
        if (!chunk.count) {
            return chunk.count.error();
        }
        if (*chunk.count == 0) {
            break;
        }
        // The future's destructor waits, so an early return below never
        // leaves the helper running on a buffer that goes away.
        pending = std::async(std::launch::async, fill, std::ref(buffers[1 - current]));
        for (const model::Record& record : chunk.records) {
            row.clear();
            fill_attributes(record, ranks, row);
            m_rules.evaluate(record, context, outcome);
            fill_outcome(m_rules, kind, outcome, row);
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
    }
    return sink.end_kind(kind, full);
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
