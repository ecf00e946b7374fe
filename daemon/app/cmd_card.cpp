// spiegeld card: prints a mirror card (docs/cards.md). Only the occupation
// card exists yet; cv and vacancy cards answer "not implemented yet" (exit 2).
// Exit 1 for an unknown ISCO code or an unreadable state, 2 for usage errors
// (unknown region, format or card type).

#include <iostream>
#include <variant>

#include "daemon/app/commands.h"
#include "daemon/app/config.h"
#include "daemon/cards/card_html.h"
#include "daemon/cards/card_service.h"

namespace spiegel::app {

int cmd_card(const CardOptions& options) {
    if (options.type == "cv" || options.type == "vacancy") {
        return fail(k_exit_usage,
                    "the " + options.type + " card is not implemented yet (mirror-cards issue)");
    }
    if (options.type != "occupation") {
        return fail(k_exit_usage, "unknown card type '" + options.type +
                                      "' (expected cv, vacancy or occupation)");
    }
    if (options.format != "json" && options.format != "html") {
        return fail(k_exit_usage, "--format: expected json or html");
    }
    auto config = load_config(options.config);
    if (!config) {
        return fail(k_exit_usage, config.error().message);
    }
    const cards::CardSource source{config->state.database, config->rules.directory,
                                   config->privacy.min_cell};
    auto card = cards::occupation_card_json(source, options.id, options.region);
    if (const auto* error = std::get_if<cards::CardError>(&card)) {
        return fail(
            error->kind == cards::CardErrorKind::bad_request ? k_exit_usage : k_exit_failure,
            error->message);
    }
    const auto& json = std::get<nlohmann::json>(card);
    std::cout << (options.format == "html" ? cards::occupation_card_html(json)
                                           : cards::card_text(json));
    return std::cout.good() ? k_exit_ok : k_exit_failure;
}

}  // namespace spiegel::app
