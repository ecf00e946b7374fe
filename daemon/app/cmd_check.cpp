// spiegeld check: validates the configuration and the rule set, changes
// nothing. Every problem goes to stderr as FILE:LINE:COLUMN: message.

#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/web_setup.h"
#include "daemon/app/source_access.h"
#include "daemon/store/pg_source.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/printable.h"

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

// --connect: reaches the source and checks its schema and grants. A
// source that cannot be reached is a runtime failure (1); a schema or grant
// problem is a configuration problem (2).
int check_source(const Config& config) {
    // Each problem at the key that names the source (FILE:LINE:COLUMN).
    const std::string at = config.where(config.source.postgresql() ? "source.conninfo" : "source.database") + ": ";
    if (!config.source.postgresql()) {
        auto opened = open_scan_source(config);
        if (!opened) {
            std::cerr << at << opened.error().message << "\n";
            return k_exit_failure;
        }
        return k_exit_ok;
    }
    auto conn = store::PgConn::connect(pg_settings(config));
    if (!conn) {
        std::cerr << at << conn.error().message << "\n";
        return k_exit_failure;
    }
    auto problems = store::pg_check_schema(**conn);
    if (!problems) {
        std::cerr << at << problems.error().message << "\n";
        return k_exit_failure;
    }
    // What the schema lacks (tables, columns, grants) is the schema's
    // problem when the file names one, else the connection's.
    const std::string schema_at =
        config.key_positions.count("source.schema") != 0 ? config.where("source.schema") + ": " : at;
    for (const auto& p : *problems) {
        std::cerr << schema_at << p << "\n";
    }
    if (!problems->empty()) {
        return k_exit_usage;
    }
    std::cout << "ok: connected to " << (*conn)->where() << ", schema " << config.source.schema
              << " readable\n";
    return k_exit_ok;
}

}  // namespace

int cmd_check(const CheckOptions& options) {
    bool problems = false;
    std::string rules_dir = options.rules;
    const auto config = load_config_all(options.config);
    for (const auto& problem : config.problems) {
        std::cerr << problem << "\n";
    }
    // The rules directory of the config, even of one with other problems
    // (check reports every problem it finds).
    const Config* read = config.config ? &*config.config : config.partial ? &*config.partial : nullptr;
    if (!config.config) {
        problems = true;
    } else {
        // The files the daemon would load at start: TLS certificate and key, the /metrics token.
        for (const std::string& problem : web_setup_problems(*config.config)) {
            std::cerr << problem << "\n";
            problems = true;
        }
    }
    if (rules_dir.empty() && read && !read->rules.directory.empty()) {
        if (const std::string problem = rules_directory_problem(*read); !problem.empty()) {
            std::cerr << problem << "\n";
            return k_exit_usage;
        }
        rules_dir = read->rules.directory;
    }
    if (rules_dir.empty()) {
        return k_exit_usage;  // nowhere to find the rules
    }
    const auto result = rules::load_rule_set(rules_dir);
    for (const auto& d : result.diagnostics) {
        std::cerr << d.to_string() << "\n";
    }
    if (problems || !result.rule_set) {
        return k_exit_usage;
    }
    if (options.connect) {
        if (const int status = check_source(*config.config); status != k_exit_ok) {
            return status;
        }
    }
    std::cout << summary(*result.rule_set) << "\n";
    return k_exit_ok;
}

}  // namespace spiegel::app
