#include "daemon/cards/personal_card.h"

namespace spiegel::cards {

std::shared_ptr<const CardCatalog> CardCatalog::from_rules(const rules::RuleSet& rule_set, const CodeLists& codes) {
    auto catalog = std::make_shared<CardCatalog>();
    catalog->codes = codes;
    for (const model::Kind kind : {model::Kind::cv, model::Kind::vacancy, model::Kind::employer}) {
        for (const rules::RuleInfo& info : rule_set.rules(kind)) {
            catalog->rules.emplace(info.id, info);
        }
    }
    return std::shared_ptr<const CardCatalog>(std::move(catalog));
}

util::Expected<std::shared_ptr<const CardCatalog>> CardCatalog::load(const std::string& rules_dir) {
    rules::LoadResult loaded = rules::load_rule_set(rules_dir);
    if (!loaded.rule_set) {
        const std::string first = loaded.diagnostics.empty() ? std::string("no rules") : loaded.diagnostics.front().to_string();
        return util::Error{"the rules do not load (spiegeld check lists every problem): " + first};
    }
    auto codes = CodeLists::load(rules_dir);
    if (!codes) {
        return codes.error();
    }
    return from_rules(*loaded.rule_set, *codes);
}

}  // namespace spiegel::cards
