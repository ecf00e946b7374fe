#include "daemon/app/web_lists_html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "daemon/cards/card_json.h"
#include "daemon/cards/record_summary.h"
#include "daemon/cards/svg.h"
#include "daemon/http/router.h"
#include "daemon/util/json_text.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

using nlohmann::json;

std::string esc(const json& value) {
    return util::html_escape(value.is_string() ? value.get<std::string>() : util::json_text(value));
}

std::string options(const model::CodeList& list, const std::string& selected, const char* all_label) {
    std::string out = std::string("<option value=\"\">") + all_label + "</option>";
    for (const auto& row : list.table().rows) {
        if (row.empty()) {
            continue;
        }
        const std::string code = row[0];
        const std::string name(list.get(code, "name"));
        out += "<option value=\"" + util::html_escape(code) + "\"" + (code == selected ? " selected" : "") + ">" +
               util::html_escape(name) + " (" + util::html_escape(code) + ")</option>";
    }
    return out;
}

std::string filter_form(const json& page, const cards::CardCatalog& catalog) {
    const std::string region = page.is_object() ? page.value("region", "") : "";
    const std::string group = page.is_object() ? page.value("target_group", "") : "";
    const json visible = page.is_object() ? page.value("visible", json(nullptr)) : json(nullptr);
    std::string out = "<form method=\"get\" action=\"/werklijst\" aria-label=\"Kies uw lijst\">"
                      "<label for=\"region\">Regio</label><select id=\"region\" name=\"region\" required>" +
                      options(catalog.codes.regions, region, "Kies een regio") +
                      "</select><label for=\"target_group\">Doelgroep</label>"
                      "<select id=\"target_group\" name=\"target_group\">" +
                      options(catalog.codes.target_groups, group, "Alle doelgroepen") +
                      "</select><label for=\"visible\">Zichtbaar voor werkgevers</label>"
                      "<select id=\"visible\" name=\"visible\"><option value=\"\">Alle cv's</option>"
                      "<option value=\"ja\"" +
                      std::string(visible.is_boolean() && visible.get<bool>() ? " selected" : "") +
                      ">Alleen zichtbare cv's</option><option value=\"nee\"" +
                      std::string(visible.is_boolean() && !visible.get<bool>() ? " selected" : "") +
                      ">Alleen verborgen cv's</option></select>"
                      "<p><button type=\"submit\">Toon lijst</button></p></form>\n";
    return out;
}

std::string page_link(const json& page, std::size_t number, const char* label, const char* rel) {
    std::string query = "region=" + page.value("region", "") + "&page=" + std::to_string(number);
    if (!page.value("target_group", "").empty()) {
        query += "&target_group=" + page.value("target_group", "");
    }
    if (page["visible"].is_boolean()) {
        query += std::string("&visible=") + (page["visible"].get<bool>() ? "ja" : "nee");
    }
    return "<a rel=\"" + std::string(rel) + "\" href=\"/werklijst?" + util::html_escape(query) + "\">" + label + "</a>";
}

std::string fix_cells(const json& fix) {
    if (!fix.is_object()) {
        return "<td>Geen verbetering nodig of bekend</td><td class=\"num\">&ndash;</td>";
    }
    return "<td>" + esc(fix["title"]) + "</td><td class=\"num\">+" +
           util::html_escape(cards::score_text(fix["gain"].get<double>())) + "</td>";
}

}  // namespace

std::string score_bar_svg(double score) { return cards::score_bar_svg(score); }

std::string worklist_body(const json& page, const cards::CardCatalog& catalog) {
    std::string out = "<p>De cv's van een regio. Bovenaan staan de cv's waar één verbetering de meeste punten "
                      "oplevert. U ziet geen namen: open een cv voor de details.</p>\n" +
                      filter_form(page, catalog);
    if (!page.is_object()) {
        return out;
    }
    const std::size_t total = page["total"].get<std::size_t>();
    const std::size_t number = page["page"].get<std::size_t>();
    const std::size_t pages = page["pages"].get<std::size_t>();
    out += "<p>" + cards::dutch_count(static_cast<std::int64_t>(total)) + (total == 1 ? " cv in " : " cv's in ") +
           esc(page["region_name"]) +
           (pages > 1 && number <= pages ? ", pagina " + std::to_string(number) + " van " + std::to_string(pages) : "") +
           ".</p>\n";
    if (page["items"].empty()) {
        return out + (number > 1 && number > pages
                          ? "<p>Deze pagina is leeg: er " + std::string(pages == 1 ? "is" : "zijn") + " maar " +
                                std::to_string(pages) + (pages == 1 ? " pagina" : " pagina's") + ".</p>\n"
                          : "<p>Geen cv's gevonden met deze keuze.</p>\n");
    }
    out += "<table><caption>Werklijst " + esc(page["region_name"]) +
           "</caption><thead><tr><th scope=\"col\">Cv</th><th scope=\"col\" class=\"num\">Score</th>"
           "<th scope=\"col\">Oordeel</th><th scope=\"col\">Beste verbetering</th>"
           "<th scope=\"col\" class=\"num\">Levert op</th></tr></thead><tbody>\n";
    for (const auto& item : page["items"]) {
        out += "<tr><th scope=\"row\"><a href=\"" + esc(item["card"]) + "\">" + esc(item["id"]) +
               "</a></th><td class=\"num\">" + score_bar_svg(item["score"].get<double>()) + " " +
               esc(item["score_text"]) + "</td><td>" + esc(item["grade"]) + " (" + esc(item["grade_label"]) + ")</td>" +
               fix_cells(item["fix"]) + "</tr>\n";
    }
    out += "</tbody></table>\n<nav class=\"pager\" aria-label=\"Pagina's\">";
    if (number > 1) {
        out += page_link(page, number - 1, "Vorige pagina", "prev");
    }
    if (number < pages) {
        out += page_link(page, number + 1, "Volgende pagina", "next");
    }
    out += "</nav>\n";
    return out;
}

std::string employer_body(const json& list) {
    std::string out = "<p>Uw vacatures met hun score. Open een vacature voor uitleg en tips.</p>\n";
    if (list["items"].empty()) {
        return out + "<p>Wij hebben nog geen vacatures van u beoordeeld.</p>\n";
    }
    out += "<table><caption>Uw vacatures</caption><thead><tr><th scope=\"col\">Vacature</th><th scope=\"col\">Beroep</th>"
           "<th scope=\"col\" class=\"num\">Score</th><th scope=\"col\">Oordeel</th><th scope=\"col\">Beste verbetering</th>"
           "<th scope=\"col\" class=\"num\">Levert op</th></tr></thead><tbody>\n";
    for (const auto& item : list["items"]) {
        const std::string occupation = item.value("occupation", "");
        out += "<tr><th scope=\"row\"><a href=\"/cards/vacancy/" + esc(item["id"]) + "\">" + esc(item["id"]) +
               "</a></th><td>" + (occupation.empty() ? std::string("Geen beroep") : util::html_escape(occupation)) +
               "</td><td class=\"num\">" + score_bar_svg(item["score"].get<double>()) + " " + esc(item["score_text"]) +
               "</td><td>" + esc(item["grade"]) + " (" + esc(item["grade_label"]) + ")</td>" + fix_cells(item["fix"]) +
               "</tr>\n";
    }
    return out + "</tbody></table>\n";
}

std::string overview_body(const json& j) {
    const int k = j["min_cell"].get<int>();
    std::string out;
    if (j["as_of"].is_null()) {
        return "<p>Er is nog geen scan klaar.</p>\n";
    }
    out += "<p>Stand van " + util::html_escape(cards::dutch_date(j["as_of"].get<std::string>())) + ". " +
           (j["previous_as_of"].is_null()
                ? std::string("Er is nog geen scan van een week eerder om mee te vergelijken.")
                : "Verschil met de scan van " + util::html_escape(cards::dutch_date(j["previous_as_of"].get<std::string>())) +
                      ".") +
           " Groepen kleiner dan " + std::to_string(k) + " tonen we als &lt;" + std::to_string(k) +
           ", hun score en verschil als &ndash;. <a href=\"/overzicht.csv\">Download de tabellen per regio en per doelgroep (CSV)</a>.</p>\n";
    for (const auto& [key, title, column] :
         {std::tuple{"regions", "Kwaliteit per regio", "Regio"}, std::tuple{"target_groups", "Kwaliteit per doelgroep", "Doelgroep"}}) {
        out += std::string("<h2>") + title + "</h2>\n<table><caption>" + title +
               " (cv's en vacatures)</caption><thead><tr><th scope=\"col\">" + column +
               "</th><th scope=\"col\">Soort</th><th scope=\"col\" class=\"num\">Aantal</th>"
               "<th scope=\"col\" class=\"num\">Gemiddelde score</th><th scope=\"col\" class=\"num\">Verschil week</th>"
               "</tr></thead><tbody>\n";
        for (const auto& row : j[key]) {
            out += "<tr><th scope=\"row\">" + esc(row["name"]) + " (" + esc(row["code"]) + ")</th><td>" +
                   (row["kind"] == "cv" ? "cv's" : "vacatures") + "</td><td class=\"num\">" + esc(row["records_text"]) +
                   "</td><td class=\"num\">" + esc(row["avg_score_text"]) + "</td><td class=\"num\">" +
                   esc(row["change_text"]) + "</td></tr>\n";
        }
        out += "</tbody></table>\n";
    }
    out += "<h2>Regels die het vaakst niet kloppen</h2>\n<table><caption>Aandeel dat niet voldoet, per regel</caption>"
           "<thead><tr><th scope=\"col\">Regel</th><th scope=\"col\">Soort</th><th scope=\"col\" class=\"num\">Aantal</th>"
           "<th scope=\"col\" class=\"num\">Aandeel</th></tr></thead><tbody>\n";
    for (const auto& row : j["rules"]) {
        out += "<tr><th scope=\"row\">" + esc(row["title"]) + "</th><td>" + (row["kind"] == "cv" ? "cv's" : "vacatures") +
               "</td><td class=\"num\">" + esc(row["failing_text"]) + "</td><td class=\"num\">" + esc(row["share_text"]) +
               "</td></tr>\n";
    }
    return out + "</tbody></table>\n";
}

}  // namespace spiegel::app
