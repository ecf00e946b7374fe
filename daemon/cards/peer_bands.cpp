#include "daemon/cards/peer_bands.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "daemon/cards/card_json.h"
#include "daemon/cards/suppression.h"

namespace spiegel::cards {

void write_peer_bands(util::JsonSink& out, const std::array<std::int64_t, 10>& bands, double score, int k) {
    const int own = std::clamp(static_cast<int>(score / 10), 0, 9);
    std::string under_k = "<";
    under_k += std::to_string(k);
    // The bands are a table column like the occupation card's: every band
    // under k hidden (0 included), and another one while the hidden ones
    // could be worked out from the peer count the card states.
    const std::vector<std::int64_t> counts(bands.begin(), bands.end());
    std::int64_t total = 0;
    for (const std::int64_t n : counts) {
        total += n;
    }
    Cell total_cell;
    std::vector<Cell> cells = suppress_column(counts, total, k, total_cell);
    // The card also says how many peers score lower ("beter dan N% van M").
    // That splits the bands in those below the own band and those above:
    // a side with one hidden band would give it away (the own band's split
    // around the score aside, which is 0 for a score at a band's start).
    // So each side hides none or at least two (suppress_group). A side with
    // no second band to hide stays as it is: the sentence itself then says
    // how many peers score lower, which no band suppression can take back.
    if (!total_cell.suppressed) {
        suppress_group(counts, cells, 0, static_cast<std::size_t>(own));
        suppress_group(counts, cells, static_cast<std::size_t>(own) + 1, cells.size());
    }
    out.begin_object();
    out.key("bands");
    out.begin_array();
    for (int b = 0; b < 10; ++b) {
        const Cell& cell = cells[static_cast<std::size_t>(b)];
        out.begin_object();
        cell.suppressed ? out.field("count", nullptr) : out.field("count", *cell.count);
        out.field("from", b * 10);
        out.field("text", cell.secondary    ? std::string(k_secondary_text)
                          : cell.suppressed ? under_k
                                            : dutch_count(*cell.count));
        out.field("to", b == 9 ? 100 : b * 10 + 10);
        out.field("you", b == own);
        out.end_object();
    }
    out.end_array();
    std::string text = "Uw score valt in de groep ";
    text += std::to_string(own * 10);
    text += " tot ";
    text += own == 9 ? std::string("100") : std::to_string(own * 10 + 10);
    text += ". De balken tonen hoeveel vergelijkbare cv's in elke groep vallen; een groep van minder dan ";
    text += std::to_string(k);
    text += " cv's tonen we niet.";
    out.field("text", text);
    out.end_object();
}

nlohmann::json peer_bands_json(const std::array<std::int64_t, 10>& bands, double score, int k) {
    util::JsonDomSink tree;
    write_peer_bands(tree, bands, score, k);
    return tree.take();
}

std::string peer_bands_svg(const nlohmann::json& peer_bands) {
    std::int64_t top = 1;
    for (const auto& band : peer_bands.at("bands")) {
        if (band["count"].is_number()) {
            top = std::max(top, band["count"].get<std::int64_t>());
        }
    }
    std::string out = "<svg class=\"bands\" width=\"320\" height=\"92\" viewBox=\"0 0 320 92\" role=\"img\" aria-label=\"";
    out += peer_bands.value("text", "");
    out += "\" focusable=\"false\">";
    int x = 10;
    for (const auto& band : peer_bands.at("bands")) {
        const bool you = band.value("you", false);
        if (band["count"].is_number()) {
            const double h = 56.0 * static_cast<double>(band["count"].get<std::int64_t>()) / static_cast<double>(top);
            char rect[160];
            std::snprintf(rect, sizeof rect, "<rect x=\"%d\" y=\"%.1f\" width=\"26\" height=\"%.1f\" fill=\"%s\"/>", x,
                          70.0 - h, h, you ? "#1d4f91" : "#9db7d9");
            out += rect;
        } else {
            char rect[160];
            std::snprintf(rect, sizeof rect,
                          "<rect x=\"%d\" y=\"62\" width=\"26\" height=\"8\" fill=\"none\" stroke=\"#777\" "
                          "stroke-dasharray=\"2 2\"/>",
                          x);
            out += rect;
        }
        char label[200];
        std::snprintf(label, sizeof label, "<text x=\"%d\" y=\"82\" font-size=\"8\" text-anchor=\"middle\">%d</text>",
                      x + 13, band["from"].get<int>());
        out += label;
        if (you) {
            std::snprintf(label, sizeof label,
                          "<text x=\"%d\" y=\"10\" font-size=\"9\" text-anchor=\"middle\" font-weight=\"bold\">u bent "
                          "hier</text><path d=\"M%d 13 h8 l-4 5 z\" fill=\"#111\"/>",
                          x + 13, x + 9);
            out += label;
        }
        x += 30;
    }
    return out + "</svg>";
}

}  // namespace spiegel::cards
