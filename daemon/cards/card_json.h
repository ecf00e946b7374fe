#pragma once
// JSON of the occupation card (schema in docs/cards.md). The CLI and the
// HTTP API both print card_text(card_json(...)) (card_service.h), so they
// agree byte for byte.

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "daemon/cards/card_model.h"
#include "daemon/util/json_sink.h"

namespace spiegel::cards {

nlohmann::json card_json(const OccupationCard& card);

// A figure under small-cell suppression (k = min_cell), on every card:
// { count|null, percent|null, suppressed, text ("53" | "<10"), percent_text }.
nlohmann::json figure_json(const Cell& cell, int k);
// The same into a sink; with a sentence, that as its "sentence" member too.
void write_figure(util::JsonSink& out, const Cell& cell, int k, const std::string* sentence = nullptr);
// `text` ending a sentence: with a full stop, unless it already ends with
// one (an occupation title such as "Bouwelektriciens e.d.").
inline std::string full_stop(std::string text) {
    if (text.empty() || text.back() != '.') {
        text += '.';
    }
    return text;
}

// A code-list label inside a sentence: Dutch writes a common noun in lower
// case there ("als softwareontwikkelaars", "het vaakst basisonderwijs").
// A label that starts with an abbreviation ("MBO-2", "HBO/bachelor",
// "WW-uitkering": a second capital) keeps its case. Once the first word is
// lowered, an abbreviation joined to it by "/" is lowered too: "Havo/VWO"
// is "havo/vwo", as Dutch writes both school types. The label fields of
// the JSON keep the code list's own spelling.
inline std::string in_sentence(std::string label) {
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (label.empty() || !upper(label[0]) || (label.size() > 1 && upper(label[1]))) {
        return label;
    }
    const auto lower = [](char& c) { c = static_cast<char>(c - 'A' + 'a'); };
    lower(label[0]);
    for (std::size_t slash = label.find('/'); slash != std::string::npos; slash = label.find('/', slash + 1)) {
        const auto first = label.begin() + static_cast<std::ptrdiff_t>(slash) + 1;
        const auto last = std::find(first, label.end(), '/');
        if (last - first >= 2 && std::all_of(first, last, upper)) {
            std::for_each(first, last, lower);
        }
    }
    return label;
}

// The text of a cell hidden by secondary suppression (Cell::secondary).
inline constexpr const char* k_secondary_text = "x";

// Dutch display texts: 18595 -> "18.595", 41.5 -> "41,5%", 0.57 -> "0,57".
std::string dutch_count(std::int64_t n);
// "in de regio Haaglanden", but "in Regio Zwolle" for a name that starts with Regio.
std::string in_region(std::string_view region_name);
std::string dutch_decimal(double value, int digits);

}  // namespace spiegel::cards
