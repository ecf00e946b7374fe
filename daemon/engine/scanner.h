#pragma once
// The scan engine (docs/scan.md): one streaming pass per kind over a
// RecordSource, every enabled rule evaluated per record in that pass;
// cross-record rules served by a CrossIndex built in a first phase. Results
// go to a ResultSink (the state database, a report, an aggregate). Memory is
// bounded by one chunk: the arena is reset after every chunk.
// Not thread-safe; one Scanner per scan.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "daemon/engine/aggregator.h"
#include "daemon/engine/record_stream.h"
#include "daemon/engine/result.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/expected.h"

namespace spiegel::engine {

// Receives the results of a scan, kind by kind. An error aborts the scan.
class ResultSink {
public:
    virtual ~ResultSink() = default;
    // `full`: every record of the kind follows, so any stored result of a
    // record not put before end_kind belongs to a deleted record.
    virtual util::Status begin_kind(model::Kind kind, bool full) = 0;
    virtual util::Status put(const ResultRow& row) = 0;
    // Records deleted from the source (incremental scans); called before put.
    virtual util::Status remove(model::Kind kind, const std::vector<std::string>& ids) = 0;
    virtual util::Status end_kind(model::Kind kind, bool full) = 0;
    // Called after begin_kind of a kind whose stored results the scan may
    // keep (ScanRequest::reuse): the check that says which ones, or
    // null to evaluate every record. A sink that returns one takes rows
    // with `reused` set (kind and source row only) as "the stored result
    // stands"; it owns the check until end_kind.
    virtual ReuseCheck* begin_reuse(model::Kind kind) {
        (void)kind;
        return nullptr;
    }
    // True when the sink can take rows with `reused` set in the kind begun
    // (it needs nothing of the result but that it is unchanged).
    virtual bool accepts_reused() const { return false; }
    // How many stored results the calls since begin_kind removed (remove,
    // and end_kind of a full kind: records gone from the source, deleted
    // or renamed without a tombstone), or -1 for a sink that stores none;
    // the scan's deleted count (KindSummary::deleted).
    virtual std::int64_t removed_count() const { return -1; }
};

// Forwards every call to several sinks in order; stops at the first error.
class FanOutSink final : public ResultSink {
public:
    explicit FanOutSink(std::vector<ResultSink*> sinks) : m_sinks(std::move(sinks)) {}
    util::Status begin_kind(model::Kind kind, bool full) override;
    util::Status put(const ResultRow& row) override;
    util::Status remove(model::Kind kind, const std::vector<std::string>& ids) override;
    util::Status end_kind(model::Kind kind, bool full) override;
    // The one check a sink offers, when every other sink accepts reused rows.
    ReuseCheck* begin_reuse(model::Kind kind) override;
    bool accepts_reused() const override;
    // The first sink's count that is not -1.
    std::int64_t removed_count() const override;

private:
    std::vector<ResultSink*> m_sinks;
};

// Aggregates the rows of kinds scanned fully; records which kinds those were.
class AggregateSink final : public ResultSink {
public:
    AggregateSink() = default;
    // Kinds whose aggregates are patched by the result writer even when
    // scanned fully (-old +new of the changed results, docs/scan.md): not
    // accumulated here, and not covered().
    explicit AggregateSink(const model::PerKind<bool>& patched) : m_patched(patched) {}
    util::Status begin_kind(model::Kind kind, bool full) override;
    util::Status put(const ResultRow& row) override;
    util::Status remove(model::Kind, const std::vector<std::string>&) override { return {}; }
    util::Status end_kind(model::Kind, bool) override { return {}; }
    // Only when it is not accumulating the kind (a patched kind).
    bool accepts_reused() const override { return !m_active; }
    ScanAggregates& aggregates() { return m_aggregates; }
    bool covered(model::Kind kind) const { return m_full[static_cast<std::size_t>(kind)]; }

private:
    ScanAggregates m_aggregates;
    model::PerKind<bool> m_patched{};
    model::PerKind<bool> m_full{};
    bool m_active = false;
};

// Fills score, failed ids, dimension scores and unreadable from an Outcome.
void fill_outcome(const rules::RuleSet& rule_set, model::Kind kind, const rules::Outcome& outcome,
                  ResultRow& row);

// The error of a scan that stopped because ScanRequest::stop was set.
inline constexpr const char* k_scan_stopped = "scan stopped";

struct ScanRequest {
    bool full = false;           // scan every record of every kind
    std::int64_t since_seq = 0;  // incremental: source watermark of the previous scan
    std::int64_t as_of = 0;      // seconds since the epoch, UTC
    const EducationRanks* ranks = nullptr;
    // Kinds whose stored results a scan may keep when the record's stored
    // content did not change and the result still holds at as_of
    // (ReuseCheck). The caller allows it only when those results came from
    // the same rules, program and source, at an as-of no later than this
    // one. For kinds with cross rules the scan also requires the
    // cross-record index to equal the one the stored results were judged
    // with: its fingerprint then equals previous_cross_fingerprint.
    model::PerKind<bool> reuse{};
    std::uint64_t previous_cross_fingerprint = 0;  // 0: unknown
    // Per kind, from how many changed records on (RecordSource::changed_count)
    // an incremental scan scans the kind fully instead: when most of a
    // kind was rewritten without changes (a whole re-import), reading every
    // record and keeping the unchanged ones' results costs less than
    // evaluating each changed one. 0: never (the default).
    model::PerKind<std::int64_t> promote_when_changed{};
    // Called after each chunk with the number of records evaluated so far.
    std::function<void(std::int64_t)> progress;
    // When set and true, run() stops after the current chunk with an error.
    const std::atomic<bool>* stop = nullptr;
};

struct KindSummary {
    bool full = false;            // every record of the kind was scanned
    std::int64_t records = 0;     // records evaluated
    std::int64_t unreadable = 0;  // of which had a value that could not be read
    std::int64_t deleted = 0;     // results removed for records gone from the source (ResultSink::removed_count)
    std::int64_t reused = 0;      // of the records, those whose stored result was kept unevaluated
};

struct ScanSummary {
    model::PerKind<KindSummary> kinds{};
    // rules::CrossIndex::fingerprint() of the index this scan built; 0 when
    // it built none (the stored results' index is then the previous one).
    std::uint64_t cross_fingerprint = 0;
    // A count summed over the kinds, e.g. total(&KindSummary::deleted).
    std::int64_t total(std::int64_t KindSummary::*count) const {
        std::int64_t n = 0;
        for (const auto& k : kinds) {
            n += k.*count;
        }
        return n;
    }
    std::int64_t records() const { return total(&KindSummary::records); }
    std::int64_t unreadable() const { return total(&KindSummary::unreadable); }
};

class Scanner {
public:
    Scanner(const rules::RuleSet& rule_set, RecordSource& source)
        : m_rules(rule_set), m_source(source) {}

    // Runs one scan. Incremental requests scan only records changed after
    // since_seq, except that kinds with cross rules are rescanned fully when
    // a cross-input kind changed. Errors come from the source or the sink.
    util::Expected<ScanSummary> run(const ScanRequest& request, ResultSink& sink);

private:
    util::Expected<model::PerKind<bool>> plan_full(const ScanRequest& request, bool& need_cross);
    util::Status build_cross(std::unique_ptr<rules::CrossIndex>& out);
    util::Status scan_kind(model::Kind kind, bool full, const ScanRequest& request,
                           const rules::CrossIndex* cross, bool cross_unchanged, ResultSink& sink,
                           KindSummary& summary, std::int64_t& done);
    util::Status run_chunks(RecordStream& source, model::Kind kind, const EducationRanks& ranks,
                            const rules::EvalContext& context, const ScanRequest& request,
                            const std::function<util::Status(ReuseCheck*&)>& begin, bool begin_before_reading,
                            ResultSink& sink,
                            KindSummary& summary, std::int64_t& done);

    const rules::RuleSet& m_rules;
    RecordSource& m_source;
};

}  // namespace spiegel::engine
