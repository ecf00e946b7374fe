#pragma once
// HTML of the occupation card: the card's JSON rendered through a mustache
// template compiled into the binary (occupation_template.inc; HTML auto-escaped),
// one inline stylesheet, no external assets. Pure.

#include <nlohmann/json.hpp>
#include <string>

namespace spiegel::cards {

// `card` is card_json(...) of an occupation card.
std::string occupation_card_html(const nlohmann::json& card);

}  // namespace spiegel::cards
