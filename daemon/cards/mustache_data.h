#pragma once
// Card JSON as kainjow mustache data, shared by the card HTML renderers.
// null and false become a false section, arrays lists, numbers their JSON
// text (templates show the cards' *_text fields for Dutch formatting). Pure.

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace spiegel::cards {

kainjow::mustache::data to_mustache_data(const nlohmann::json& j);

// A card page template with the stylesheet of all cards (personal_style.inc)
// in place of its {{>style}} tags: parsed once with the page, where the
// partial was parsed again on every render.
std::string with_stylesheet(std::string_view page_template);

}  // namespace spiegel::cards
