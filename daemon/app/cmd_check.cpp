// spiegeld check: validates the configuration and the rule set, changes
// nothing. Every problem goes to stderr as FILE:LINE:COLUMN: message.

#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/web_setup.h"
#include "daemon/rules/rule_set.h"

namespace spiegel::app {
namespace {

std::string summary(const rules::RuleSet& set) {
    std::string per_kind;
    std::size_t total = 0;
    for (model::Kind k : model::k_all_kinds) {
        const auto n = set.rules(k).size();
        total += n;
        per_kind += (per_kind.empty() ? "" : ", ") + std::string(model::kind_name(k)) + " " + std::to_string(n);
    }
    return "ok: " + std::to_string(total) + " rules (" + per_kind + "), " + std::to_string(set.enabled_count()) +
           " enabled";
}

}  // namespace

int cmd_check(const CheckOptions& options) {
    bool problems = false;
    std::string rules_dir = options.rules;
    const auto config = load_config_all(options.config);
    for (const auto& problem : config.problems) {
        std::cerr << problem << "\n";
    }
    if (!config.config) {
        problems = true;
        if (rules_dir.empty()) {
            return k_exit_usage;  // nowhere to find the rules
        }
    } else {
        // The files the daemon would load at start: TLS certificate and key, the /metrics token.
        for (const std::string& problem : web_setup_problems(*config.config)) {
            std::cerr << problem << "\n";
            problems = true;
        }
        if (rules_dir.empty()) {
            rules_dir = config.config->rules.directory;
        }
    }
    const auto result = rules::load_rule_set(rules_dir);
    for (const auto& d : result.diagnostics) {
        std::cerr << d.to_string() << "\n";
    }
    if (problems || !result.rule_set) {
        return k_exit_usage;
    }
    std::cout << summary(*result.rule_set) << "\n";
    return k_exit_ok;
}

}  // namespace spiegel::app
