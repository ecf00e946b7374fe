#pragma once
// Card JSON as kainjow mustache data, shared by the card HTML renderers.
// null and false become a false section, arrays lists, numbers their JSON
// text (templates show the cards' *_text fields for Dutch formatting). Pure.

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

namespace spiegel::cards {

kainjow::mustache::data to_mustache_data(const nlohmann::json& j);

}  // namespace spiegel::cards
