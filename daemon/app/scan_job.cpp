// One scan of the source database into the state database (docs/scan.md).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "daemon/app/scan_job.h"

#include "daemon/app/config.h"
#include "daemon/app/source_access.h"
#include "daemon/engine/scanner.h"
#include "daemon/model/code_lists.h"
#include "daemon/model/json.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/source_db.h"
#include "daemon/store/sqlite_process.h"
#include "daemon/store/source_stream.h"
#include "daemon/store/state_db.h"
#include "daemon/util/crypto.h"
#include "daemon/util/csv.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using engine::ResultRow;
using model::Kind;

// NDJSON lines {"kind","id","score","failed"} to a file or stdout.
class ReportSink final : public engine::ResultSink {
public:
    explicit ReportSink(std::FILE* out) : m_out(out) {}
    util::Status begin_kind(Kind, bool) override { return {}; }
    util::Status remove(Kind, const std::vector<std::string>&) override { return {}; }
    util::Status end_kind(Kind, bool) override { return {}; }
    util::Status put(const ResultRow& row) override {
        m_line.assign("{\"kind\":\"");
        m_line += model::kind_name(row.kind);
        m_line += "\",\"id\":";
        model::write_json_string(m_line, row.id);
        m_line += ",\"score\":";
        m_line += engine::format_score(row.score);
        m_line += ",\"failed\":[";
        for (std::size_t i = 0; i < row.failed.size(); ++i) {
            if (i) {
                m_line += ',';
            }
            model::write_json_string(m_line, row.failed[i]);
        }
        m_line += "]}\n";
        if (std::fwrite(m_line.data(), 1, m_line.size(), m_out) != m_line.size()) {
            return util::Error{"writing the report failed"};
        }
        return {};
    }

private:
    std::FILE* m_out;
    std::string m_line;
};

// FNV-1a over every file under the rules directory (paths and contents):
// when rules or code lists change, stored results are stale.
std::string fingerprint_of(const std::string& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file()) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h = (h ^ c) * 1099511628211ULL;
        }
    };
    for (const auto& f : files) {
        mix(fs::relative(f, dir, ec).string());
        auto text = util::read_file(f.string());
        mix(text ? *text : std::string("?"));
    }
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// Ranks of the education levels in the shipped code list; none (every
// level ranks as unknown) when the code lists do not load, as in a rules
// directory made for a test without codes/.
engine::EducationRanks education_ranks(const std::string& rules_dir) {
    auto codes = model::CodeLists::load(rules_dir);
    return codes ? codes->education_ranks() : engine::EducationRanks{};
}

struct Progress {
    const util::Clock* clock;
    std::chrono::steady_clock::time_point start = clock->monotonic();
    std::chrono::steady_clock::time_point last = start;
    void operator()(std::int64_t done) {
        const auto now = clock->monotonic();
        if (now - last < std::chrono::seconds(2)) {
            return;
        }
        last = now;
        const double s = std::chrono::duration<double>(now - start).count();
        std::fprintf(stderr, "spiegeld: scan: %lld records, %.0f records/s\n", static_cast<long long>(done),
                     s > 0 ? static_cast<double>(done) / s : 0.0);
    }
};

// What the stored fingerprint also names besides the rules: the source the
// results came from (engine and database, as a hash: no connection string
// is stored). Another source, whose change markers mean nothing against the
// stored watermark (a PostgreSQL cluster shares one transaction counter
// across databases), forces a full scan.
std::string source_identity(const Config::Source& source) {
    const std::string what = source.postgresql() ? "postgresql\n" + source.conninfo + "\n" + source.schema
                                                 : "sqlite\n" + source.database;
    return util::sha256_hex(what).substr(0, 16);
}

// An incremental scan scans a kind fully when at least this many of its
// records changed and at least this share of the records the last full
// scan saw (bench: 1M CVs all touched, 4.9 s incremental against 3.2 s for
// a full rescan that keeps unchanged results; 1% touched, 0.15 s).
constexpr std::int64_t k_promote_min_changed = 50'000;
constexpr std::int64_t k_promote_percent = 40;

// A kind whose rules were all lost since the last completed scan (an empty
// or cut-off rule file) would have every record score 100, replacing the
// results of the working rules: the scan is refused, as a reload is
// (load_settings), unless job.allow_no_rules says it is meant.
std::string lost_kinds(store::StateDb& state, const rules::RuleSet& rule_set, const std::string& rules_dir,
                       const ScanJob& job) {
    if (job.allow_no_rules) {
        return {};
    }
    auto before = state.enabled_rules();
    if (!before) {
        return before.error().message;
    }
    if (!before->has_value()) {
        return {};  // no scan recorded its rules
    }
    std::string lost;
    for (const auto& [k, had] : rules::kinds_without_rules(**before, rule_set)) {
        const std::string kind(model::kind_name(k));
        lost += (lost.empty() ? "" : "; ") + std::string("no enabled ") + kind + " rule left (the last scan had " +
                std::to_string(had) + "): every " + kind + " would score 100";
    }
    if (lost.empty()) {
        return {};
    }
    if (job.rules_refused != nullptr) {
        *job.rules_refused = true;
    }
    return rules::Diagnostic{rules_dir, 1, 1,
                             lost + ", so the scan is refused; an empty or cut-off rule file is the usual cause "
                                    "(to drop a kind's rules on purpose: spiegeld scan --allow-no-rules)"}
        .to_string();
}

std::string run(const Config& config, const rules::RuleSet& rule_set, const std::string& rules_fingerprint,
                const ScanJob& job, store::StateDb& state, ScanResult& result) {
    const util::Clock& clock = *job.clock;
    const std::string fingerprint = rules_fingerprint + "+" + source_identity(config.source) + "+j" +
                                    std::to_string(engine::k_judgement_version);
    const auto started = clock.monotonic();
    store::ScanInfo& info = result.info;
    auto history = state.read_scan_history();
    if (!history) {
        return history.error().message;
    }
    const std::optional<store::ScanInfo>& previous = history->last;
    if (job.source_tried != nullptr) {
        *job.source_tried = true;
    }
    auto opened = open_scan_source(config);  // sqlite or postgresql (config source.kind)
    if (!opened) {
        return opened.error().message;
    }
    engine::RecordSource& source = *opened->source;
    if (job.source_reached != nullptr) {
        *job.source_reached = true;
    }
    auto watermark = source.change_seq();  // before reading: later changes are seen next time
    if (!watermark) {
        return watermark.error().message;
    }
    const bool have_previous = previous.has_value();
    const std::int64_t since = have_previous ? previous->source_seq : 0;
    info.full = job.full || !have_previous || previous->rules_fingerprint != fingerprint || *watermark < since;
    info.started_at = clock.wall_seconds();
    auto id = state.start_scan(info.full, job.as_of, info.started_at);
    if (!id) {
        return id.error().message;
    }
    info.id = *id;
    if (std::string lost = lost_kinds(state, rule_set, config.rules.directory, job); !lost.empty()) {
        return lost;  // after start_scan: the refusal is a failed scan, as the metrics and alerts see it
    }
    auto tx = state.begin();
    if (!tx) {
        return tx.error().message;
    }
    const engine::EducationRanks ranks = education_ranks(config.rules.directory);
    // -old +new of the changed results of kinds scanned incrementally, and
    // of kinds scanned fully whose stored results and aggregates came from
    // the same rules and source (then most results are unchanged, and
    // patching the previous aggregates costs far less than recounting them).
    engine::ScanAggregates delta;
    model::PerKind<bool> patch_full{};
    const bool same_fingerprint = have_previous && previous->rules_fingerprint == fingerprint;
    if (same_fingerprint) {
        for (Kind k : model::k_all_kinds) {
            auto stored = state.has_results(k);
            if (!stored) {
                return stored.error().message;
            }
            patch_full[static_cast<std::size_t>(k)] = *stored;
        }
    }
    // A kind may keep a stored result unevaluated when its record's stored
    // values did not change (docs/scan.md): only with the same
    // fingerprint (patch_full), an as-of no earlier than any before (every
    // stored result was judged at or before it), and no report (which
    // prints every result).
    auto latest_as_of = state.latest_as_of();
    if (!latest_as_of) {
        return latest_as_of.error().message;
    }
    const bool may_reuse = job.report == nullptr && *latest_as_of > 0 && job.as_of >= *latest_as_of;
    auto writer = state.result_writer(info.id, &delta, patch_full, job.as_of);
    ReportSink report_sink(job.report ? job.report : stdout);
    engine::AggregateSink aggregate(patch_full);
    std::vector<engine::ResultSink*> sinks{writer.get(), &aggregate};
    if (job.report) {
        sinks.push_back(&report_sink);
    }
    engine::FanOutSink fan_out(sinks);
    engine::ScanRequest request;
    request.full = info.full;
    request.since_seq = since;
    request.as_of = job.as_of;
    request.ranks = &ranks;
    request.stop = job.stop;
    for (Kind k : model::k_all_kinds) {
        const auto i = static_cast<std::size_t>(k);
        request.reuse[i] = may_reuse && patch_full[i];
        // A kind most of whose records were rewritten since the last scan
        // (a whole re-import) is scanned fully: reading every record and
        // keeping the results of unchanged ones costs less than evaluating
        // every changed one (docs/scan.md). Only where results can be kept,
        // and never with a report (it lists the changed records only).
        if (request.reuse[i] && history->last_full) {
            const std::int64_t records = history->last_full->summary.kinds[i].records;
            request.promote_when_changed[i] =
                std::max<std::int64_t>(k_promote_min_changed, records * k_promote_percent / 100);
        }
    }
    request.previous_cross_fingerprint = same_fingerprint ? previous->summary.cross_fingerprint : 0;
    if (job.progress) {
        request.progress = Progress{job.clock};
    }
    const auto seconds_since = [&clock](std::chrono::steady_clock::time_point& mark) {
        const auto now = clock.monotonic();
        const double s = std::chrono::duration<double>(now - mark).count();
        mark = now;
        return s;
    };
    auto mark = clock.monotonic();
    engine::Scanner scanner(rule_set, source);
    auto summary = scanner.run(request, fan_out);
    result.phases.pass = seconds_since(mark);
    if (!summary) {
        return summary.error().message;
    }
    info.summary = *summary;
    if (info.summary.cross_fingerprint == 0) {
        // No cross-record index was built: no input of one changed, so the
        // stored results were judged with the previous one.
        info.summary.cross_fingerprint = request.previous_cross_fingerprint;
    }
    info.source_seq = *watermark;
    info.rules_fingerprint = fingerprint;
    info.as_of = job.as_of;
    info.finished_at = clock.wall_seconds();
    info.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           clock.monotonic() - started)
                           .count();
    model::PerKind<bool> full{};
    for (Kind k : model::k_all_kinds) {
        full[static_cast<std::size_t>(k)] = aggregate.covered(k);
    }
    const std::int64_t previous_id = have_previous ? previous->id : 0;
    auto stored = state.write_aggregates(info.id, aggregate.aggregates(), full, previous_id, delta);
    if (!stored) {
        return stored.error().message;
    }
    result.phases.aggregates = seconds_since(mark);
    info.status = "ok";
    if (auto st = state.finish_scan(info); !st) {
        return st.error().message;
    }
    if (auto st = state.record_enabled_rules(rule_set.enabled_counts()); !st) {
        return st.error().message;
    }
    if (auto st = state.apply_retention(config.state.retention_days, info.finished_at); !st) {
        return st.error().message;
    }
    result.phases.retention = seconds_since(mark);
    if (auto st = tx->commit(); !st) {
        return st.error().message;
    }
    result.phases.commit = seconds_since(mark);
    history->add_completed(info);
    result.last_scan = {std::move(*history), std::move(*stored)};
    return {};
}

}  // namespace

std::string rules_fingerprint(const std::string& rules_dir) { return fingerprint_of(rules_dir); }

util::Expected<ScanResult> run_scan_job(const Config& config, const rules::RuleSet& rule_set,
                                        const std::string& fingerprint, const ScanJob& job) {
    store::disable_sqlite_memory_statistics();
    auto state = store::StateDb::open(config.state.database);
    if (!state) {
        return state.error();
    }
    ScanResult result;
    std::string error;
    try {
        error = run(config, rule_set, fingerprint, job, **state, result);
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty()) {
        if (result.info.id != 0) {
            // Only the stop itself is no failure: a real error met while
            // the stop was asked for still counts as one.
            const bool stopped = error == engine::k_scan_stopped;
            (void)(*state)->fail_scan(result.info.id, error, job.clock->wall_seconds(), stopped);
        }
        return util::Error{error};
    }
    return result;
}

}  // namespace spiegel::app
