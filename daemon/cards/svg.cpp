#include "daemon/cards/svg.h"

#include <algorithm>
#include <cstdio>

#include "daemon/util/printable.h"

namespace spiegel::cards {
namespace {

std::string num(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
    return buffer;
}

std::string score_words(double score) {
    std::string text = num(score);
    std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

}  // namespace

std::string score_bar_svg(double score, int width_px) {
    const double s = std::clamp(score, 0.0, 100.0);
    std::string out = "<svg class=\"bar\" width=\"" + std::to_string(width_px) +
                      "\" height=\"14\" viewBox=\"0 0 100 14\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Score " + score_words(s) +
                      " van 100\" focusable=\"false\">"
                      "<rect x=\"0\" y=\"3\" width=\"40\" height=\"8\" fill=\"#f1d4d4\"/>"
                      "<rect x=\"40\" y=\"3\" width=\"20\" height=\"8\" fill=\"#f6e6c8\"/>"
                      "<rect x=\"60\" y=\"3\" width=\"15\" height=\"8\" fill=\"#e6eed5\"/>"
                      "<rect x=\"75\" y=\"3\" width=\"15\" height=\"8\" fill=\"#d3e6d3\"/>"
                      "<rect x=\"90\" y=\"3\" width=\"10\" height=\"8\" fill=\"#c2dccb\"/>";
    out += "<rect x=\"0\" y=\"5\" width=\"" + num(s) + "\" height=\"4\" fill=\"#1d4f91\"/>";
    out += "<rect x=\"" + num(std::min(s, 98.8)) + "\" y=\"0\" width=\"1.2\" height=\"14\" fill=\"#111\"/></svg>";
    return out;
}

std::string trend_svg(const std::vector<double>& scores) {
    if (scores.size() < 2) {
        return "";
    }
    const double step = 200.0 / static_cast<double>(scores.size() - 1);
    std::string points;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const double y = 42.0 - std::clamp(scores[i], 0.0, 100.0) * 0.4;
        if (i > 0) {
            points += ' ';
        }
        points += num(4 + step * static_cast<double>(i));
        points += ',';
        points += num(y);
    }
    return "<svg class=\"trend\" width=\"208\" height=\"46\" viewBox=\"0 0 208 46\" role=\"img\" aria-label=\"Score door de "
           "tijd: van " + score_words(scores.front()) + " naar " + score_words(scores.back()) +
           "\" focusable=\"false\"><line x1=\"4\" y1=\"42\" x2=\"204\" y2=\"42\" stroke=\"#999\" stroke-width=\"0.5\"/>"
           "<line x1=\"4\" y1=\"2\" x2=\"204\" y2=\"2\" stroke=\"#ddd\" stroke-width=\"0.5\"/>"
           "<polyline fill=\"none\" stroke=\"#1d4f91\" stroke-width=\"2\" points=\"" + points + "\"/></svg>";
}

std::string paired_bars_svg(const std::vector<BarPair>& rows, const std::string& region_name,
                            const std::string& title) {
    const int row_height = 18;
    const int height = 20 + row_height * static_cast<int>(rows.size());
    std::string out = "<svg class=\"bars\" width=\"340\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 340 " +
                      std::to_string(height) + "\" role=\"img\" aria-label=\"" + util::html_escape(title) +
                      ": " + util::html_escape(region_name) + " tegenover Nederland (de tabel eronder geeft de getallen)\" "
                      "focusable=\"false\"><rect x=\"110\" y=\"2\" width=\"10\" height=\"8\" fill=\"#1d4f91\"/>"
                      "<text x=\"124\" y=\"10\" font-size=\"9\">Nederland</text>"
                      "<rect x=\"200\" y=\"2\" width=\"10\" height=\"8\" fill=\"#8fb3de\"/>"
                      "<text x=\"214\" y=\"10\" font-size=\"9\">" + util::html_escape(region_name) + "</text>";
    int y = 16;
    for (const BarPair& row : rows) {
        out += "<text x=\"0\" y=\"" + std::to_string(y + 10) + "\" font-size=\"9\">" + util::html_escape(row.label.substr(0, 22)) +
               "</text>";
        if (row.national >= 0) {
            out += "<rect x=\"110\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
                   num(std::min(row.national, 100.0) * 2.2) + "\" height=\"6\" fill=\"#1d4f91\"/>";
        }
        if (row.regional >= 0) {
            out += "<rect x=\"110\" y=\"" + std::to_string(y + 9) + "\" width=\"" +
                   num(std::min(row.regional, 100.0) * 2.2) + "\" height=\"6\" fill=\"#8fb3de\"/>";
        }
        y += row_height;
    }
    return out + "</svg>";
}

}  // namespace spiegel::cards
