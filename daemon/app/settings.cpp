#include "daemon/app/settings.h"

#include "daemon/app/scan_job.h"

namespace spiegel::app {
namespace {

// The diagnostics as SettingsError::message: one "FILE:LINE:COLUMN: message" per line.
std::string lines_of(const std::vector<rules::Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        if (!text.empty()) {
            text += '\n';
        }
        text += d.to_string();
    }
    return text;
}

}  // namespace

std::variant<std::shared_ptr<const Settings>, SettingsError> load_settings(const std::string& config_file,
                                                                          const rules::RuleSet* in_force) {
    auto config = load_config(config_file);
    if (!config) {
        return SettingsError{true, config.error().message, {}};
    }
    if (std::string problem = rules_directory_problem(*config); !problem.empty()) {
        return SettingsError{true, std::move(problem), {}};
    }
    auto loaded = rules::load_rule_set(config->rules.directory);
    if (!loaded.rule_set) {
        std::string text = lines_of(loaded.diagnostics);
        return SettingsError{false, std::move(text), std::move(loaded.diagnostics)};
    }
    if (in_force != nullptr) {
        std::vector<rules::Diagnostic> dropped;
        for (const auto& [kind, before] : rules::kinds_without_rules(in_force->enabled_counts(), *loaded.rule_set)) {
            dropped.push_back({config->rules.directory, 1, 1,
                               "no enabled " + std::string(model::kind_name(kind)) + " rule left (the rules in "
                               "force have " + std::to_string(before) + "): every " +
                               std::string(model::kind_name(kind)) + " would score 100, so the reload is "
                               "refused; an empty or cut-off rule file is the usual cause"});
        }
        if (!dropped.empty()) {
            std::string text = lines_of(dropped);
            return SettingsError{false, std::move(text), std::move(dropped)};
        }
    }
    auto settings = std::make_shared<Settings>();
    settings->fingerprint = rules_fingerprint(config->rules.directory);
    settings->rules = std::shared_ptr<const rules::RuleSet>(std::move(loaded.rule_set));
    auto codes = model::CodeLists::load(config->rules.directory);
    if (!codes) {
        rules::Diagnostic d{config->rules.directory, 1, 1, "the code lists do not load: " + codes.error().message};
        return SettingsError{false, d.to_string(), {d}};
    }
    settings->codes = std::make_shared<const model::CodeLists>(std::move(*codes));
    settings->catalog = cards::CardCatalog::from_rules(*settings->rules, *settings->codes);
    settings->config = std::make_shared<const Config>(std::move(*config));
    return std::shared_ptr<const Settings>(std::move(settings));
}

}  // namespace spiegel::app
