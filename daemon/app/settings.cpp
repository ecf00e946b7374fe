#include "daemon/app/settings.h"

#include "daemon/app/scan_job.h"

namespace spiegel::app {

std::variant<std::shared_ptr<const Settings>, SettingsError> load_settings(const std::string& config_file) {
    auto config = load_config(config_file);
    if (!config) {
        return SettingsError{true, config.error().message, {}};
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
    auto catalog = cards::CardCatalog::from_rules(*settings->rules, config->rules.directory);
    if (catalog) {
        settings->catalog = *catalog;
    } else {
        settings->catalog_error = catalog.error().message;
    }
    settings->config = std::make_shared<const Config>(std::move(*config));
    return std::shared_ptr<const Settings>(std::move(settings));
}

}  // namespace spiegel::app
