// GET /overzicht and /overzicht.csv (web_routes.h): quality per region and
// target group from the scan aggregates, the failing share per rule, and
// the change since the scan a week earlier. Every group under
// privacy.min_cell records is suppressed: its count shows "<k", its mean
// and change "–".
#include <cmath>
#include <unordered_map>

#include "daemon/app/web_lists_html.h"
#include "daemon/app/web_page.h"
#include "daemon/app/web_routes.h"
#include "daemon/cards/card_json.h"
#include "daemon/cards/record_summary.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

using http::Request;
using http::Response;

constexpr std::int64_t k_week_seconds = 7 * 86400;
constexpr const char* k_dash = "\u2013";

std::string signed_text(double delta) {
    const double rounded = std::round(delta * 10.0) / 10.0;
    if (rounded == 0) {
        return "0,0";
    }
    return (rounded > 0 ? "+" : "\u2212") + cards::score_text(std::fabs(rounded));
}

// The row of the values a record holds that are not in the code list: as
// the metrics do (docs/metrics.md, `unknown`), the overview never shows a
// stored value that is not a code (it may be anything an ETL wrote).
constexpr const char* k_unknown_code = "onbekend";
constexpr const char* k_unknown_name = "Code niet in de lijst";

// The groups of one split: every code of the code list in its order (one
// without records too: leaving it out would show its 0, which is under k
// like any small group), then every stored value outside the list summed
// into one k_unknown_code group; records without a value are left out.
std::vector<store::GroupFigures> coded_groups(const std::vector<store::GroupFigures>& groups,
                                              const model::CodeList& codes) {
    std::vector<store::GroupFigures> out;
    std::unordered_map<std::string, std::size_t> at;
    for (const std::string& code : codes.codes()) {
        at.emplace(code, out.size());
        store::GroupFigures g;
        g.value = code;
        out.push_back(std::move(g));
    }
    store::GroupFigures unknown;
    unknown.value = k_unknown_code;
    for (const auto& g : groups) {
        if (g.value.empty()) {
            continue;  // no region / no target group
        }
        if (const auto it = at.find(g.value); it != at.end()) {
            out[it->second] = g;
        } else {
            unknown.split = g.split;
            unknown.records += g.records;
            unknown.score_tenths += g.score_tenths;
        }
    }
    if (unknown.records > 0) {
        // As scan_group.avg_score: the mean, one decimal.
        unknown.avg_score = std::round(static_cast<double>(unknown.score_tenths) /
                                       static_cast<double>(unknown.records)) / 10.0;
        out.push_back(unknown);
    }
    return out;
}

// Rows of one split: kind, code, name, records, mean score, change.
nlohmann::json split_rows(const std::vector<store::GroupFigures>& stored_now,
                          const std::vector<store::GroupFigures>& stored_before, const model::CodeList& names,
                          const std::string& kind, int k) {
    const std::vector<store::GroupFigures> now = coded_groups(stored_now, names);
    const std::vector<store::GroupFigures> before = coded_groups(stored_before, names);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& g : now) {
        const bool hidden = g.records < k;
        nlohmann::json row{{"kind", kind},
                           {"code", g.value},
                           {"name", g.value == k_unknown_code ? std::string(k_unknown_name)
                                                              : std::string(names.get(g.value, "name"))},
                           {"suppressed", hidden},
                           {"records", hidden ? nlohmann::json(nullptr) : nlohmann::json(g.records)},
                           {"records_text", hidden ? "<" + std::to_string(k) : cards::dutch_count(g.records)},
                           {"avg_score", hidden ? nlohmann::json(nullptr) : nlohmann::json(g.avg_score)},
                           {"avg_score_text", hidden ? k_dash : cards::score_text(g.avg_score)},
                           {"change", nullptr},
                           {"change_text", k_dash}};
        for (const auto& b : before) {
            if (b.value == g.value && !hidden && b.records >= k) {
                row["change"] = std::round((g.avg_score - b.avg_score) * 10.0) / 10.0;
                row["change_text"] = signed_text(g.avg_score - b.avg_score);
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

// A text field that a spreadsheet would read as a formula (=, +, -, @, a
// tab or carriage return first) starts with an apostrophe instead (the
// OWASP advice on CSV injection). Codes and names come from the code
// lists, so this is a second line of defence.
std::string csv_text(const std::string& text) {
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
        return csv_field("'" + text);
    }
    return csv_field(text);
}

std::string overview_csv(const nlohmann::json& j) {
    std::string out = "soort,indeling,code,naam,aantal,gemiddelde_score,verschil_week\n";
    for (const char* split : {"regions", "target_groups"}) {
        for (const auto& row : j[split]) {
            out += (row["kind"].get<std::string>() == "vacancy" ? std::string("vacature") : std::string("cv")) + "," +
                   (std::string(split) == "regions" ? "regio" : "doelgroep") + "," +
                   csv_text(row["code"].get<std::string>()) + "," + csv_text(row["name"].get<std::string>()) + "," +
                   csv_field(row["records_text"].get<std::string>()) + "," +
                   csv_field(row["avg_score_text"].get<std::string>()) + "," +
                   csv_field(row["change_text"].get<std::string>()) + "\n";
        }
    }
    return out;
}

}  // namespace

Response WebRoutes::overview(const cards::CardSource& source, bool csv, const Request& request) {
    auto admitted = admit(source, request, !csv, store::Role::officer);
    if (auto* refusal = std::get_if<Response>(&admitted)) {
        return std::move(*refusal);
    }
    const Caller& caller = std::get<Caller>(admitted);
    const int k = source.min_cell;
    const cards::CardCatalog& catalog = *source.catalog;
    auto lists = lease(source);
    auto scan = lists->current_scan();
    if (!scan) {
        return http::json_error(500, "cannot read the stored results");
    }
    nlohmann::json j{{"min_cell", k}, {"as_of", nullptr}, {"previous_as_of", nullptr},
                     {"regions", nlohmann::json::array()}, {"target_groups", nlohmann::json::array()},
                     {"rules", nlohmann::json::array()}};
    if (*scan) {
        std::vector<std::pair<double, nlohmann::json>> ranked;  // (share, or -1 when hidden; row)
        const store::ScanStamp now = **scan;
        j["as_of"] = now.as_of;
        std::optional<store::ScanStamp> before;
        if (const auto t = util::parse_timestamp(now.as_of)) {
            auto found = lists->scan_at_or_before(util::format_timestamp(*t - k_week_seconds));
            if (found && *found && (*found)->id != now.id) {
                before = **found;
                j["previous_as_of"] = before->as_of;
            }
        }
        for (const char* kind : {"cv", "vacancy"}) {
            for (const auto& [split, key, names] :
                 {std::tuple{"region", "regions", &catalog.codes.regions},
                  std::tuple{"target_group", "target_groups", &catalog.codes.target_groups}}) {
                auto current = lists->groups(now.id, kind, split);
                auto previous = before ? lists->groups(before->id, kind, split)
                                       : util::Expected<std::vector<store::GroupFigures>>(std::vector<store::GroupFigures>{});
                if (!current || !previous) {
                    return http::json_error(500, "cannot read the stored results");
                }
                for (auto& row : split_rows(*current, *previous, *names, kind, k)) {
                    j[key].push_back(std::move(row));
                }
            }
            auto all = lists->groups(now.id, kind, "all");
            auto failing = lists->rules(now.id, kind);
            if (!all || !failing) {
                return http::json_error(500, "cannot read the stored results");
            }
            const std::int64_t records = all->empty() ? 0 : all->front().records;
            for (const auto& rule : *failing) {
                const auto info = catalog.rules.find(rule.rule_id);
                const bool hidden = rule.failing < k || records < k;
                const double share = records > 0 ? 100.0 * static_cast<double>(rule.failing) / static_cast<double>(records)
                                                 : 0.0;
                ranked.push_back(
                    {hidden ? -1.0 : share,
                     {{"kind", kind},
                      {"rule", rule.rule_id},
                      {"title", info == catalog.rules.end() ? rule.rule_id : info->second.title},
                      {"suppressed", hidden},
                      {"failing_text", hidden ? "<" + std::to_string(k) : cards::dutch_count(rule.failing)},
                      {"share_text", hidden ? std::string(k_dash) : cards::dutch_decimal(share, 1) + "%"}}});
            }
        }
        // The rules failed most often first (by share of their kind's
        // records); the hidden ones, whose share is not shown, last.
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (auto& [share, row] : ranked) {
            j["rules"].push_back(std::move(row));
        }
    }
    give_back(std::move(lists), source);
    if (!audit(caller.principal, "overview", csv ? "format=csv" : "format=html", 200)) {
        return http::json_error(500, "the overview could not be audit-logged, so it is not shown");
    }
    if (csv) {
        Response r = Response::text(200, overview_csv(j));
        r.content_type = "text/csv; charset=utf-8";
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"spiegel-overzicht.csv\"");
        r.headers.emplace_back("Cache-Control", "no-store");
        return r;
    }
    return page(200, "Overzicht", overview_body(j), caller.session);
}

}  // namespace spiegel::app
