#include "daemon/cards/card_service.h"

#include "daemon/cards/card_json.h"
#include "daemon/cards/peer_reader.h"

namespace spiegel::cards {

std::variant<nlohmann::json, CardError> occupation_card_json(const CardSource& source,
                                                             const std::string& isco,
                                                             const std::string& region) {
    auto codes = CodeLists::load(source.rules_dir);
    if (!codes) {
        return CardError{CardErrorKind::failure, codes.error().message};
    }
    const OccupationParams params{isco, region, source.min_cell};
    if (auto invalid = validate_occupation(*codes, params)) {
        return *invalid;
    }
    auto data = read_peer_data(source.state_db, isco, region);
    if (!data) {
        return CardError{CardErrorKind::failure, data.error().message};
    }
    return card_json(build_occupation_card(*data, *codes, params));
}

std::string card_text(const nlohmann::json& card) {
    return card.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace spiegel::cards
