#include "daemon/app/settings.h"

#include "daemon/app/scan_job.h"

namespace spiegel::app {

std::variant<std::shared_ptr<const Settings>, SettingsError> load_settings(const std::string& config_file) {
    auto config = load_config(config_file);
    if (!config) {
        return SettingsError{true, config.error().message, {}};
    }
    if (std::string problem = rules_directory_problem(*config); !problem.empty()) {
        return SettingsError{true, std::move(problem), {}};
    }
    auto loaded = rules::load_rule_set(config->rules.directory);
    if (!loaded.rule_set) {
        std::string text;
        for (const auto& d : loaded.diagnostics) {
            if (!text.empty()) {
                text += '\n';
            }
            text += d.to_string();
        }
        return SettingsError{false, std::move(text), std::move(loaded.diagnostics)};
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
