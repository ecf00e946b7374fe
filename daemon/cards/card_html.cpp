#include "daemon/cards/card_html.h"

#include <kainjow/mustache.hpp>

#include "daemon/cards/card_json.h"
#include "daemon/cards/mustache_data.h"
#include "daemon/cards/svg.h"

namespace spiegel::cards {
namespace {

namespace mu = kainjow::mustache;
using nlohmann::json;

constexpr const char* k_template =
#include "daemon/cards/occupation_template.inc"
    ;

// The mean of a hidden group is a dash (the note explains it), never "<10",
// which would read as a mean below ten.
std::string average_text(const json& v, const json&) {
    return v.is_null() ? std::string("\u2013") : dutch_decimal(v.get<double>(), 1);
}

double percent_or_hidden(const json& cell) {
    return cell.is_object() && cell.contains("percent") && cell["percent"].is_number() ? cell["percent"].get<double>()
                                                                                       : -1.0;
}

// Display-only additions: score texts, list counts in Dutch notation
// (1.975), region name, the scopes to list.
json view_model(const json& card) {
    json view = card;
    json scopes = json::array();
    for (const char* name : {"national", "regional"}) {
        if (view[name].is_null()) {
            continue;
        }
        json& scope = view[name];
        const json& scores = scope.at("scores");
        scope["scores_text"] = {
            {"cv", average_text(scores.at("cv_average"), scores.at("cvs"))},
            {"vacancy", average_text(scores.at("vacancy_average"), scores.at("vacancies"))}};
        for (const char* list : {"top_skills", "alternative_occupations"}) {
            for (json& item : scope.at(list)) {
                item["count_text"] = dutch_count(item.at("count").get<std::int64_t>());
            }
        }
        json listed = scope;
        listed["key"] = name;
        scopes.push_back(std::move(listed));
    }
    view["scopes"] = std::move(scopes);
    view["region_name"] = view["regional"].is_null() ? json("") : view["regional"].at("name");
    // With a region: its shares against the nation's as paired bars; the table below holds the numbers.
    if (!view["regional"].is_null() && view.contains("tables")) {
        for (json& table : view["tables"]) {
            std::vector<BarPair> bars;
            for (const json& row : table.at("rows")) {
                bars.push_back({row.value("label", ""), percent_or_hidden(row.value("national", json())),
                                percent_or_hidden(row.value("regional", json()))});
            }
            table["bars_svg"] = paired_bars_svg(bars, view["region_name"].get<std::string>(), table.value("title", ""));
        }
    }
    return view;
}

}  // namespace

std::string occupation_card_html(const json& card) {
    // Parsing a template costs more than rendering it: each thread parses once.
    thread_local mu::mustache tpl{with_stylesheet(k_template)};
    mu::data data = to_mustache_data(view_model(card));
    return tpl.render(data);
}

}  // namespace spiegel::cards
