// spiegeld card: prints a mirror card (docs/cards.md) as JSON or HTML, the
// same bytes the HTTP API serves. The CV card printed here is the adviser's
// view (with contact details): the command is for operators who can read
// the databases anyway. Exit 1 for an unknown id or ISCO code or an
// unreadable database, 2 for usage errors (unknown region, format or card type).

#include <iostream>
#include <variant>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/app/source_access.h"
#include "daemon/cards/card_html.h"
#include "daemon/cards/card_service.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

std::string html_of(const std::string& type, const nlohmann::json& card) {
    if (type == "cv") {
        return cards::cv_card_html(card);
    }
    return type == "vacancy" ? cards::vacancy_card_html(card) : cards::occupation_card_html(card);
}

cards::CardResult card_for(const CardOptions& options, const Config& config) {
    cards::CardSource source{config.state.database, config.rules.directory, config.privacy.min_cell,
                             config.source.database, nullptr, config.privacy.personal_cards_per_hour};
    if (config.source.postgresql()) {
        source.source_pg = pg_settings(config);
    }
    if (options.type == "occupation") {
        return cards::occupation_card_json(source, options.id, options.region);
    }
    auto catalog = cards::CardCatalog::load(config.rules.directory);
    if (!catalog) {
        return cards::CardError{cards::CardErrorKind::failure, catalog.error().message};
    }
    source.catalog = *catalog;
    store::CardReader reader(source.state_db, source.source_db, source.source_pg);
    return options.type == "cv" ? cards::cv_card_json(source, reader, options.id, true)
                                : cards::vacancy_card_json(source, reader, options.id);
}

}  // namespace

int cmd_card(const CardOptions& options) {
    if (options.type != "cv" && options.type != "vacancy" && options.type != "occupation") {
        return fail(k_exit_usage,
                    "unknown card type " + util::quoted(options.type) + " (expected cv, vacancy or occupation)");
    }
    if (options.format != "json" && options.format != "html") {
        return fail(k_exit_usage, "--format: expected json or html");
    }
    if (options.type != "occupation" && !options.region.empty()) {
        return fail(k_exit_usage, "--region applies to the occupation card only");
    }
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    auto card = card_for(options, *config);
    if (const auto* error = std::get_if<cards::CardError>(&card)) {
        return fail(error->kind == cards::CardErrorKind::bad_request ? k_exit_usage : k_exit_failure, error->message);
    }
    const auto& json = std::get<nlohmann::json>(card);
    std::cout << (options.format == "html" ? html_of(options.type, json) : cards::card_text(json));
    return std::cout.good() ? k_exit_ok : k_exit_failure;
}

}  // namespace spiegel::app
