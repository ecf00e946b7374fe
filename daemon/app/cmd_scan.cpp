// spiegeld scan: one scan of the source database into the state database
// (docs/scan.md), optionally with an NDJSON report of every scanned record.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/engine/scanner.h"
#include "daemon/model/code_list.h"
#include "daemon/model/json.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/source_db.h"
#include "daemon/store/source_stream.h"
#include "daemon/store/state_db.h"
#include "daemon/util/csv.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using engine::ResultRow;
using model::Kind;

std::int64_t wall_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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
std::string rules_fingerprint(const std::string& dir) {
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

engine::EducationRanks education_ranks(const std::string& rules_dir) {
    engine::EducationRanks ranks;
    auto table = util::read_csv_file(rules_dir + "/codes/education_levels.csv");
    if (!table) {
        return ranks;
    }
    const int code = table->column("code");
    const int rank = table->column("rank");
    if (code < 0 || rank < 0) {
        return ranks;
    }
    for (const auto& row : table->rows) {
        try {
            ranks[row[static_cast<std::size_t>(code)]] = std::stoi(row[static_cast<std::size_t>(rank)]);
        } catch (const std::exception&) {
            // A non-numeric rank ranks like an unknown level.
        }
    }
    return ranks;
}

struct Progress {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last = start;
    void operator()(std::int64_t done) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last < std::chrono::seconds(2)) {
            return;
        }
        last = now;
        const double s = std::chrono::duration<double>(now - start).count();
        std::fprintf(stderr, "spiegeld: scan: %lld records, %.0f records/s\n", static_cast<long long>(done),
                     s > 0 ? static_cast<double>(done) / s : 0.0);
    }
};

struct ScanContext {
    Config config;
    std::int64_t as_of = 0;
    std::unique_ptr<rules::RuleSet> rule_set;
    std::unique_ptr<store::SourceDb> source;
    std::unique_ptr<store::StateDb> state;
    std::string fingerprint;
};

// Loads config, --as-of and rules; returns an exit status, or -1 to go on.
int prepare(const ScanOptions& options, ScanContext& ctx) {
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    ctx.config = std::move(*config);
    ctx.as_of = wall_now();
    if (!options.as_of.empty()) {
        const auto t = util::parse_timestamp(options.as_of);
        if (!t) {
            return fail(k_exit_usage, "--as-of: '" + options.as_of + "' is not an RFC 3339 timestamp "
                                      "(e.g. 2026-10-01T12:00:00Z)");
        }
        ctx.as_of = *t;
    }
    auto loaded = rules::load_rule_set(ctx.config.rules.directory);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        return fail(k_exit_usage, "the rules in " + ctx.config.rules.directory + " do not load (" +
                                      std::to_string(loaded.diagnostics.size()) + " problems)");
    }
    ctx.rule_set = std::move(loaded.rule_set);
    ctx.fingerprint = rules_fingerprint(ctx.config.rules.directory);
    auto source = store::SourceDb::open(ctx.config.source.database, store::SourceDb::Mode::read_only);
    if (!source) {
        return fail(k_exit_failure, source.error().message);
    }
    ctx.source = std::move(*source);
    auto state = store::StateDb::open(ctx.config.state.database);
    if (!state) {
        return fail(k_exit_failure, state.error().message);
    }
    ctx.state = std::move(*state);
    return -1;
}

void print_summary(const store::ScanInfo& info, double seconds) {
    std::string line = "spiegeld: scan ";
    line += std::to_string(info.id);
    line += info.full ? " (full):" : " (incremental):";
    for (Kind k : model::k_all_kinds) {
        const auto& ks = info.summary.kinds[static_cast<std::size_t>(k)];
        char part[160];
        std::snprintf(part, sizeof part, " %s %lld%s (%lld unreadable, %lld deleted);",
                      std::string(model::kind_name(k)).c_str(), static_cast<long long>(ks.records),
                      ks.full ? "" : " changed", static_cast<long long>(ks.unreadable),
                      static_cast<long long>(ks.deleted));
        line += part;
    }
    char tail[96];
    std::snprintf(tail, sizeof tail, " %.2f s, %.0f records/s", seconds,
                  seconds > 0 ? static_cast<double>(info.summary.records()) / seconds : 0.0);
    std::cerr << line << tail << "\n";
    for (Kind k : model::k_all_kinds) {
        const auto& ks = info.summary.kinds[static_cast<std::size_t>(k)];
        if (ks.unreadable > 0) {
            std::cerr << "spiegeld: scan: " << ks.unreadable << " " << model::kind_name(k)
                      << " records have values that could not be read (their rules fail)\n";
        }
    }
}

// The scan itself, inside one state transaction. Returns an error message or "".
std::string run_scan(ScanContext& ctx, const ScanOptions& options, std::FILE* report, store::ScanInfo& info) {
    const auto started = std::chrono::steady_clock::now();
    store::StateDb& state = *ctx.state;
    auto previous = state.last_completed_scan();
    if (!previous) {
        return previous.error().message;
    }
    store::SourceRecordSource source(*ctx.source, ctx.config.scan.chunk_size);
    auto watermark = source.change_seq();  // before reading: later changes are seen next time
    if (!watermark) {
        return watermark.error().message;
    }
    const bool have_previous = previous->has_value();
    const std::int64_t since = have_previous ? (*previous)->source_seq : 0;
    info.full = options.full || !have_previous || (*previous)->rules_fingerprint != ctx.fingerprint ||
                *watermark < since;
    auto id = state.start_scan(info.full, ctx.as_of, wall_now());
    if (!id) {
        return id.error().message;
    }
    info.id = *id;
    auto tx = state.begin();
    if (!tx) {
        return tx.error().message;
    }
    const engine::EducationRanks ranks = education_ranks(ctx.config.rules.directory);
    engine::ScanAggregates delta;  // -old +new of kinds scanned incrementally
    auto writer = state.result_writer(info.id, &delta);
    ReportSink report_sink(report ? report : stdout);
    engine::AggregateSink aggregate;
    std::vector<engine::ResultSink*> sinks{writer.get(), &aggregate};
    if (report) {
        sinks.push_back(&report_sink);
    }
    engine::FanOutSink fan_out(sinks);
    engine::ScanRequest request;
    request.full = info.full;
    request.since_seq = since;
    request.as_of = ctx.as_of;
    request.ranks = &ranks;
    request.progress = Progress{};
    engine::Scanner scanner(*ctx.rule_set, source);
    auto summary = scanner.run(request, fan_out);
    if (!summary) {
        return summary.error().message;
    }
    info.summary = *summary;
    info.source_seq = *watermark;
    info.rules_fingerprint = ctx.fingerprint;
    info.as_of = ctx.as_of;
    info.finished_at = wall_now();
    info.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
    std::array<bool, 3> full{};
    for (Kind k : model::k_all_kinds) {
        full[static_cast<std::size_t>(k)] = aggregate.covered(k);
    }
    const std::int64_t previous_id = have_previous ? (*previous)->id : 0;
    if (auto st = state.write_aggregates(info.id, aggregate.aggregates(), full, previous_id, delta); !st) {
        return st.error().message;
    }
    if (auto st = state.finish_scan(info); !st) {
        return st.error().message;
    }
    if (auto st = state.apply_retention(ctx.config.state.retention_days, info.finished_at); !st) {
        return st.error().message;
    }
    if (auto st = tx->commit(); !st) {
        return st.error().message;
    }
    return {};
}

}  // namespace

int cmd_scan(const ScanOptions& options) {
    ScanContext ctx;
    try {
        if (const int status = prepare(options, ctx); status >= 0) {
            return status;
        }
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
        std::FILE* report = nullptr;
        if (options.report == "-") {
            report = stdout;
        } else if (!options.report.empty()) {
            file.reset(std::fopen(options.report.c_str(), "w"));
            if (!file) {
                return fail(k_exit_failure, options.report + ": cannot write the report");
            }
            report = file.get();
        }
        const auto start = std::chrono::steady_clock::now();
        store::ScanInfo info;
        const std::string error = run_scan(ctx, options, report, info);
        if (!error.empty()) {
            if (info.id != 0) {
                (void)ctx.state->fail_scan(info.id, error, wall_now());
            }
            return fail(k_exit_failure, "scan failed: " + error);
        }
        if (report && std::fflush(report) != 0) {
            return fail(k_exit_failure, "writing the report failed");
        }
        print_summary(info, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        return k_exit_ok;
    } catch (const std::exception& e) {
        return fail(k_exit_failure, std::string("scan failed: ") + e.what());
    }
}

}  // namespace spiegel::app
