#pragma once
// The one path from (state DB, code lists, k, ISCO, region) to the occupation
// card's JSON, shared by `spiegeld card` and the HTTP routes so both print
// the same JSON. Opens its own read-only connection; safe from any thread.

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "daemon/cards/occupation_card.h"

namespace spiegel::cards {

struct CardSource {
    std::string state_db;   // state database path
    std::string rules_dir;  // codes under <rules_dir>/codes
    int min_cell = 10;      // privacy.min_cell
};

// The card's JSON, or not_found (unknown ISCO), bad_request (unknown region),
// failure (code lists or database unreadable).
std::variant<nlohmann::json, CardError> occupation_card_json(const CardSource& source,
                                                             const std::string& isco,
                                                             const std::string& region);

// card_json dumped as served and printed: two-space indent, trailing newline.
std::string card_text(const nlohmann::json& card);

}  // namespace spiegel::cards
