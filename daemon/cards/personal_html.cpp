// cv_card_html and vacancy_card_html (personal_card.h): the card JSON plus
// a few display-only fields, rendered through compiled-in mustache
// templates (cv_template.inc, vacancy_template.inc; HTML auto-escaped).

#include <kainjow/mustache.hpp>

#include "daemon/cards/mustache_data.h"
#include "daemon/cards/personal_card.h"
#include "daemon/cards/record_summary.h"
#include "daemon/cards/svg.h"
#include "daemon/cards/peer_bands.h"

namespace spiegel::cards {
namespace {

using nlohmann::json;

constexpr const char* k_cv_template =
#include "daemon/cards/cv_template.inc"
    ;

constexpr const char* k_vacancy_template =
#include "daemon/cards/vacancy_template.inc"
    ;

bool non_empty(const json& j, const char* key) {
    return j.contains(key) && j[key].is_array() && !j[key].empty();
}

// Fields shared by both cards: dates, the trend table, the rules' fields.
json common_view(const json& card) {
    json view = card;
    view["as_of_text"] = dutch_date(card.value("as_of", std::string()));
    view["has_trend_table"] = card.contains("trend") && card["trend"]["points"].size() >= 2;
    // Pictures: the score on its grade bands, the trend as a line; the
    // sentence and the table beside them are their text equivalents.
    view["score_svg"] = card.contains("score") && card["score"].is_number() ? score_bar_svg(card["score"].get<double>(), 220)
                                                                            : std::string();
    std::vector<double> trend;
    if (card.contains("trend")) {
        for (const auto& p : card["trend"]["points"]) {
            trend.push_back(p.value("score", 0.0));
        }
    }
    view["trend_svg"] = trend_svg(trend);
    view["has_rules"] = non_empty(card, "failing_rules");
    if (!view.contains("failing_rules")) {
        view["failing_rules"] = json::array();
    }
    for (auto& rule : view["failing_rules"]) {
        std::string fields;
        for (const auto& f : rule["fields"]) {
            fields += (fields.empty() ? "" : ", ") + f["label"].get<std::string>();
        }
        rule["fields_text"] = fields;
        rule["has_fix"] = !rule["score_if_fixed"].is_null();
    }
    return view;
}

json cv_view(const json& card) {
    json view = common_view(card);
    if (card.contains("peer_bands")) {
        view["peer_bands_svg"] = peer_bands_svg(card["peer_bands"]);
    }
    json& s = view["suggestions"];
    if (s.is_null()) {
        s = json::object();
    }
    view["has_skills"] = non_empty(s, "skills");
    view["has_alternatives"] = non_empty(s, "alternative_occupations");
    if (view["has_alternatives"].get<bool>()) {
        for (auto& item : s["alternative_occupations"]) {
            item["percent_text"] = std::to_string(item["percent"].get<int>()) + "%";
        }
    }
    view["has_suggestions"] =
        view["has_skills"].get<bool>() || view["has_alternatives"].get<bool>() ||
        !s.value("licence", json()).is_null() || !s.value("open_vacancies", json()).is_null();
    return view;
}

json vacancy_view(const json& card) {
    json view = common_view(card);
    // A pool under k is one sentence; a table of hidden cells would be noise.
    const json& pool = card.value("pool", json::object());
    view["has_pool"] = pool.contains("visible") && !pool["visible"].value("suppressed", true);
    view["occupation_title"] =
        card.contains("occupation") && !card["occupation"].value("title", "").empty();
    return view;
}

// Parsing a template costs more than rendering it: each thread parses once.
std::string render(kainjow::mustache::mustache& tpl, const json& view) {
    return tpl.render(to_mustache_data(view));
}

}  // namespace

std::string cv_card_html(const json& card) {
    thread_local kainjow::mustache::mustache tpl{with_stylesheet(k_cv_template)};
    return render(tpl, cv_view(card));
}

std::string vacancy_card_html(const json& card) {
    thread_local kainjow::mustache::mustache tpl{with_stylesheet(k_vacancy_template)};
    return render(tpl, vacancy_view(card));
}

}  // namespace spiegel::cards
