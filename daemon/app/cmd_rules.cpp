// spiegeld rules preview: what a candidate rule set would change, before a
// reload (docs/rules.md#previewing-a-change). Stores nothing.
// spiegeld rules suggest: rules the data already meets, with their evidence
// (docs/rules.md#suggested-rules).

#include <fstream>
#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/rule_preview.h"
#include "daemon/app/rule_suggest.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/sqlite_process.h"
#include "daemon/util/clock.h"
#include "daemon/util/json_text.h"
#include "daemon/util/printable.h"

namespace spiegel::app {

int cmd_rules_preview(const RulesOptions& options) {
    store::use_sqlite_single_thread_connections();
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    if (const std::string problem = rules_directory_problem(*config); options.rules.empty() && !problem.empty()) {
        return fail(k_exit_usage, problem);
    }
    const std::string dir = options.rules.empty() ? config->rules.directory : options.rules;
    const auto loaded = rules::load_rule_set(dir);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        return fail(k_exit_usage, "the rules in " + util::quoted(dir, util::k_printable_path_bytes) + " do not load (" +
                                      std::to_string(loaded.diagnostics.size()) + " problems); nothing previewed");
    }
    try {
        auto preview = run_rule_preview(*config, *loaded.rule_set, dir, util::system_clock());
        if (!preview) {
            return fail(k_exit_failure, "rules preview: " + preview.error().message);
        }
        if (options.format == "json") {
            std::cout << util::json_text(rule_preview_json(*preview)) << "\n";
        } else {
            std::cout << rule_preview_text(*preview);
        }
        std::cout.flush();
        return std::cout ? k_exit_ok : k_exit_failure;
    } catch (const std::exception& e) {
        return fail(k_exit_failure, std::string("rules preview failed: ") + e.what());
    }
}

int cmd_rules_suggest(const RulesOptions& options) {
    store::use_sqlite_single_thread_connections();
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    if (const std::string problem = rules_directory_problem(*config); !problem.empty()) {
        return fail(k_exit_usage, problem);
    }
    const std::string dir = config->rules.directory;
    const auto loaded = rules::load_rule_set(dir);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        return fail(k_exit_usage, "the rules in " + util::quoted(dir, util::k_printable_path_bytes) + " do not load (" +
                                      std::to_string(loaded.diagnostics.size()) +
                                      " problems); they are needed to leave out rules the set already has");
    }
    const auto kind = model::parse_kind(options.kind);
    if (!kind) {
        return fail(k_exit_usage, "--kind: expected cv, vacancy or employer");
    }
    try {
        auto profile = profile_source(*config, *kind, util::system_clock().wall_seconds());
        if (!profile) {
            return fail(k_exit_failure, "rules suggest: " + profile.error().message);
        }
        const auto suggested = suggest_rules(*profile, dir, *loaded.rule_set);
        const std::string yaml = suggested_rules_yaml(*profile, suggested);
        if (options.out.empty() || options.out == "-") {
            std::cout << yaml;
            std::cout.flush();
            if (!std::cout) {
                return k_exit_failure;  // run_cli reports the failed write
            }
        } else {
            std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
            file << yaml;
            file.close();
            if (!file) {
                return fail(k_exit_failure, util::quoted(options.out, util::k_printable_path_bytes) + ": cannot write the suggested rules");
            }
        }
        std::cerr << "spiegeld: " << suggested.size() << " rules suggested from " << profile->records() << " "
                  << options.kind << " records\n";
        return k_exit_ok;
    } catch (const std::exception& e) {
        return fail(k_exit_failure, std::string("rules suggest failed: ") + e.what());
    }
}

}  // namespace spiegel::app
