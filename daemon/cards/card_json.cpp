#include "daemon/cards/card_json.h"

#include <cmath>
#include <cstdio>

namespace spiegel::cards {
namespace {

using nlohmann::json;

std::string hidden_text(int k) {
    std::string text = "<";
    text += std::to_string(k);
    return text;
}

// A share or ratio computed from a hidden count: no number at all ("<10"
// would read as "under ten percent"); the page's note explains the dash.
constexpr const char* k_hidden_share = "\u2013";

}  // namespace

void write_figure(util::JsonSink& out, const Cell& c, int k, const std::string* sentence) {
    out.begin_object();
    c.count ? out.field("count", *c.count) : out.field("count", nullptr);
    c.percent ? out.field("percent", *c.percent) : out.field("percent", nullptr);
    out.field("percent_text", c.suppressed ? std::string(k_hidden_share)
                                           : (c.percent ? dutch_decimal(*c.percent, 1) + "%" : std::string()));
    if (sentence != nullptr) {
        out.field("sentence", *sentence);
    }
    out.field("suppressed", c.suppressed);
    out.field("text", c.secondary    ? std::string(k_secondary_text)
                      : c.suppressed ? hidden_text(k)
                                     : dutch_count(c.count.value_or(0)));
    out.end_object();
}

json figure_json(const Cell& c, int k) {
    util::JsonDomSink tree;
    write_figure(tree, c, k);
    return tree.take();
}

namespace {

// The region's share of the national figure, as seed 002's regional
// tables show it ("Amsterdam 3 = 3,4% of Landelijk 88"): a percent with
// one decimal, null without a region or when either count is hidden (a
// share of a hidden count would give the count away).
void add_regional_share(json& row, const Cell& national, const std::optional<Cell>& regional) {
    if (!regional) {
        row["regional_share"] = nullptr;
        row["regional_share_text"] = "";
        return;
    }
    if (!national.count || !regional->count || national.suppressed || regional->suppressed ||
        *national.count <= 0) {
        row["regional_share"] = nullptr;
        row["regional_share_text"] = k_hidden_share;
        return;
    }
    const double share = std::round(1000.0 * static_cast<double>(*regional->count) /
                                    static_cast<double>(*national.count)) / 10.0;
    row["regional_share"] = share;
    row["regional_share_text"] = dutch_decimal(share, 1) + "%";
}

json table_json(const Table& t, int k) {
    json rows = json::array();
    for (const auto& r : t.rows) {
        json row{{"key", r.key}, {"label", r.label}, {"national", figure_json(r.national, k)}};
        row["regional"] = r.regional ? figure_json(*r.regional, k) : json(nullptr);
        add_regional_share(row, r.national, r.regional);
        rows.push_back(std::move(row));
    }
    json j{{"id", t.id}, {"title", t.title}, {"rows", std::move(rows)}};
    json total{{"national", figure_json(t.national_total, k)}};
    total["regional"] = t.regional_total ? figure_json(*t.regional_total, k) : json(nullptr);
    add_regional_share(total, t.national_total, t.regional_total);
    j["total"] = std::move(total);
    return j;
}

json optional_number(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

json list_json(const std::vector<ListItem>& items) {
    json out = json::array();
    for (const auto& i : items) {
        out.push_back({{"key", i.key},
                       {"label", i.label},
                       {"count", i.count},
                       {"percent", i.percent},
                       {"percent_text", dutch_decimal(i.percent, 1) + "%"}});
    }
    return out;
}

json scope_json(const Scope& s, int k) {
    json tension{{"job_seekers", figure_json(s.tension.job_seekers, k)},
                 {"vacancies", figure_json(s.tension.vacancies, k)},
                 {"vacancies_per_job_seeker", optional_number(s.tension.per_job_seeker)}};
    tension["text"] =
        s.tension.per_job_seeker ? dutch_decimal(*s.tension.per_job_seeker, 2) : k_hidden_share;
    json scores{{"cvs", figure_json(s.scores.cvs, k)},
                {"cv_average", optional_number(s.scores.cv_average)},
                {"vacancies", figure_json(s.scores.vacancies, k)},
                {"vacancy_average", optional_number(s.scores.vacancy_average)}};
    return {{"code", s.code},
            {"name", s.name},
            {"tension", std::move(tension)},
            {"scores", std::move(scores)},
            {"top_skills", list_json(s.top_skills)},
            {"alternative_occupations", list_json(s.alternatives)}};
}

}  // namespace

std::string in_region(std::string_view region_name) {
    // Some names carry the word already ("Regio Zwolle"): "in Regio Zwolle".
    if (region_name.size() > 6 && (region_name.substr(0, 6) == "Regio " || region_name.substr(0, 6) == "regio ")) {
        return "in " + std::string(region_name);
    }
    return "in de regio " + std::string(region_name);
}

std::string dutch_count(std::int64_t n) {
    const std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    if (n < 0) {
        out.push_back('-');
    }
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out.push_back('.');
        }
        out.push_back(digits[i]);
    }
    return out;
}

std::string dutch_decimal(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, value);
    std::string s(buf);
    for (auto& ch : s) {
        if (ch == '.') {
            ch = ',';
        }
    }
    return s;
}

json card_json(const OccupationCard& card) {
    json tables = json::array();
    for (const auto& t : card.tables) {
        tables.push_back(table_json(t, card.min_cell));
    }
    json j{{"type", "occupation"},        {"isco", card.isco},
           {"title", card.title},         {"min_cell", card.min_cell},
           {"tables", std::move(tables)}, {"national", scope_json(card.national, card.min_cell)}};
    j["region"] = card.regional ? json(card.regional->code) : json(nullptr);
    j["regional"] = card.regional ? scope_json(*card.regional, card.min_cell) : json(nullptr);
    return j;
}

}  // namespace spiegel::cards
