#pragma once
// JSON of the occupation card (schema in docs/cards.md). The CLI and the
// HTTP API both print card_json(...).dump(2) + "\n", so they agree byte for byte.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "daemon/cards/card_model.h"

namespace spiegel::cards {

nlohmann::json card_json(const OccupationCard& card);

// A figure under small-cell suppression (k = min_cell), on every card:
// { count|null, percent|null, suppressed, text ("53" | "<10"), percent_text }.
nlohmann::json figure_json(const Cell& cell, int k);
// `text` ending a sentence: with a full stop, unless it already ends with
// one (an occupation title such as "Bouwelektriciens e.d.").
inline std::string full_stop(std::string text) {
    if (text.empty() || text.back() != '.') {
        text += '.';
    }
    return text;
}

// The text of a cell hidden by secondary suppression (Cell::secondary).
inline constexpr const char* k_secondary_text = "x";

// Dutch display texts: 18595 -> "18.595", 41.5 -> "41,5%", 0.57 -> "0,57".
std::string dutch_count(std::int64_t n);
// "in de regio Haaglanden", but "in Regio Zwolle" for a name that starts with Regio.
std::string in_region(std::string_view region_name);
std::string dutch_decimal(double value, int digits);

}  // namespace spiegel::cards
