// spiegeld scan: one scan of the source database into the state database
// (docs/scan.md), optionally with an NDJSON report of every scanned record.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/scan_job.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/sqlite_process.h"
#include "daemon/util/clock.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

using model::Kind;

struct ScanContext {
    Config config;
    std::int64_t as_of = 0;
    std::unique_ptr<rules::RuleSet> rule_set;
};

// Loads config, --as-of and rules; returns an exit status, or -1 to go on.
int prepare(const ScanOptions& options, ScanContext& ctx) {
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    ctx.config = std::move(*config);
    ctx.as_of = util::system_clock().wall_seconds();
    if (!options.as_of.empty()) {
        const auto t = util::parse_timestamp(options.as_of);
        if (!t) {
            return fail(k_exit_usage, "--as-of: " + util::quoted(options.as_of) + " is not an RFC 3339 timestamp "
                                      "(e.g. 2026-10-01T12:00:00Z)");
        }
        ctx.as_of = *t;
    }
    if (const std::string problem = rules_directory_problem(ctx.config); !problem.empty()) {
        return fail(k_exit_usage, problem);
    }
    auto loaded = rules::load_rule_set(ctx.config.rules.directory);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        return fail(k_exit_usage, "the rules in " + util::quoted(ctx.config.rules.directory, util::k_printable_path_bytes) +
                                      " do not load (" + std::to_string(loaded.diagnostics.size()) +
                                      (loaded.diagnostics.size() == 1 ? " problem)" : " problems)"));
    }
    ctx.rule_set = std::move(loaded.rule_set);
    return -1;
}

void print_summary(const store::ScanInfo& info, const ScanPhases& phases, double seconds) {
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
    char timing[200];
    std::snprintf(timing, sizeof timing,
                  "spiegeld: scan phases: pass %.3f s, aggregates %.3f s, retention %.3f s, commit %.3f s; "
                  "%lld results kept unevaluated\n",
                  phases.pass, phases.aggregates, phases.retention, phases.commit,
                  static_cast<long long>(info.summary.total(&engine::KindSummary::reused)));
    std::cerr << timing;
    for (Kind k : model::k_all_kinds) {
        const auto& ks = info.summary.kinds[static_cast<std::size_t>(k)];
        if (ks.unreadable > 0) {
            std::cerr << "spiegeld: scan: " << ks.unreadable << " " << model::kind_name(k)
                      << " records have values that could not be read (their rules fail)\n";
        }
    }
}

}  // namespace

int cmd_scan(const ScanOptions& options) {
    store::use_sqlite_single_thread_connections();
    ScanContext ctx;
    try {
        if (const int status = prepare(options, ctx); status >= 0) {
            return status;
        }
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
        ScanJob job;
        job.as_of = ctx.as_of;
        job.full = options.full;
        job.allow_no_rules = options.allow_no_rules;
        bool rules_refused = false;
        job.rules_refused = &rules_refused;
        job.progress = true;
        if (options.report == "-") {
            job.report = stdout;
        } else if (!options.report.empty()) {
            file.reset(std::fopen(options.report.c_str(), "w"));
            if (!file) {
                return fail(k_exit_failure,
                            util::quoted(options.report, util::k_printable_path_bytes) + ": cannot write the report");
            }
            job.report = file.get();
        }
        const util::Clock& clock = util::system_clock();
        const auto start = clock.monotonic();
        auto scanned = run_scan_job(ctx.config, *ctx.rule_set, rules_fingerprint(ctx.config.rules.directory), job);
        if (!scanned) {
            // Rules that lost a kind are a rule problem (2), like rules that do not load.
            return fail(rules_refused ? k_exit_usage : k_exit_failure, "scan failed: " + scanned.error().message);
        }
        if (job.report && std::fflush(job.report) != 0) {
            return fail(k_exit_failure, "writing the report failed");
        }
        print_summary(scanned->info, scanned->phases, std::chrono::duration<double>(clock.monotonic() - start).count());
        return k_exit_ok;
    } catch (const std::exception& e) {
        return fail(k_exit_failure, std::string("scan failed: ") + e.what());
    }
}

}  // namespace spiegel::app
