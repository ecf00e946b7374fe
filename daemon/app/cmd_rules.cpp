// spiegeld rules preview: what a candidate rule set would change, before a
// reload (docs/rules.md#previewing-a-change). Stores nothing.

#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/rule_preview.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/sqlite_process.h"
#include "daemon/util/clock.h"

namespace spiegel::app {

int cmd_rules_preview(const RulesOptions& options) {
    store::use_sqlite_single_thread_connections();
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    const std::string dir = options.rules.empty() ? config->rules.directory : options.rules;
    const auto loaded = rules::load_rule_set(dir);
    if (!loaded.rule_set) {
        for (const auto& d : loaded.diagnostics) {
            std::cerr << d.to_string() << "\n";
        }
        return fail(k_exit_usage, "the rules in " + dir + " do not load (" +
                                      std::to_string(loaded.diagnostics.size()) + " problems); nothing previewed");
    }
    try {
        auto preview = run_rule_preview(*config, *loaded.rule_set, dir, util::system_clock());
        if (!preview) {
            return fail(k_exit_failure, "rules preview: " + preview.error().message);
        }
        if (options.format == "json") {
            std::cout << rule_preview_json(*preview).dump() << "\n";
        } else {
            std::cout << rule_preview_text(*preview);
        }
        std::cout.flush();
        return std::cout ? k_exit_ok : k_exit_failure;
    } catch (const std::exception& e) {
        return fail(k_exit_failure, std::string("rules preview failed: ") + e.what());
    }
}

}  // namespace spiegel::app
