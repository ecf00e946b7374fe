// build_vacancy_card (personal_card.h): the vacancy card's JSON. The shared
// parts come from record_summary.h; here: the comparison with peer
// vacancies (salary, hours, education) and the anonymous candidate pool.
// The vacancy itself is always among its peers' counts, so it is subtracted
// from every count it contributes to before a share is computed.

#include <algorithm>

#include "daemon/cards/card_json.h"
#include "daemon/cards/personal_card.h"
#include "daemon/cards/record_summary.h"
#include "daemon/cards/suppression.h"

namespace spiegel::cards {
namespace {

using nlohmann::json;

const std::string k_unknown_level = "onbekend";

// Counts of `attribute` of the peers, without the vacancy's own `value`.
std::map<std::string, std::int64_t> others_of(const AttributeCounts& counts,
                                              const std::string& attribute,
                                              const std::string& own) {
    std::map<std::string, std::int64_t> out;
    const auto a = counts.find(attribute);
    if (a != counts.end()) {
        out = a->second;
    }
    const auto self = out.find(own);
    if (self != out.end() && self->second > 0) {
        --self->second;
    }
    return out;
}

std::string hours_text(double hours) {
    const double rounded = round_to(hours, 1);
    return rounded == static_cast<double>(static_cast<std::int64_t>(rounded))
               ? std::to_string(static_cast<std::int64_t>(rounded))
               : dutch_decimal(rounded, 1);
}

// Median of the stated hours (value '' ignored); empty under k values.
std::optional<double> median_hours(const std::map<std::string, std::int64_t>& counts, int k) {
    std::vector<std::pair<double, std::int64_t>> values;
    std::int64_t n = 0;
    for (const auto& [text, count] : counts) {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (!text.empty() && end != nullptr && *end == '\0' && count > 0) {
            values.push_back({v, count});
            n += count;
        }
    }
    if (n < k || n == 0) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    auto nth = [&](std::int64_t index) {
        for (const auto& [v, count] : values) {
            if (index < count) {
                return v;
            }
            index -= count;
        }
        return values.back().first;
    };
    return n % 2 == 1 ? nth(n / 2) : (nth(n / 2 - 1) + nth(n / 2)) / 2.0;
}

void write_salary(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result) {
    const std::int64_t stating =
        attribute_count(choice.group->counts, "salary", "") - (result.peer.salary ? 1 : 0);
    const int percent = whole_percent(std::max<std::int64_t>(stating, 0), choice.others);
    std::string text = std::to_string(percent) + "% van vergelijkbare vacatures noemt een salaris.";
    text += result.peer.salary ? " Uw vacature noemt ook een salaris."
                               : " Noem ook het salaris, dan weten werkzoekenden waar ze aan "
                                 "toe zijn.";
    out.begin_object();
    out.field("percent", percent);
    out.field("states_salary", result.peer.salary);
    out.field("text", text);
    out.end_object();
}

void write_hours(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result, int k) {
    const auto low =
        median_hours(others_of(choice.group->counts, "hours_min", result.peer.hours_min), k);
    const auto high =
        median_hours(others_of(choice.group->counts, "hours_max", result.peer.hours_max), k);
    std::string text;
    if (low && high && *low > *high) {
        // The two medians are of different vacancies: the usual minimum can
        // lie above the usual maximum ("36 tot 8" would be nonsense).
        text = "Vergelijkbare vacatures noemen heel verschillende aantallen uren per week.";
    } else if (low && high) {
        const std::string range =
            *low == *high ? hours_text(*low) : hours_text(*low) + " tot " + hours_text(*high);
        text = "Vergelijkbare vacatures vragen meestal " + range + " uur per week.";
    } else if (low || high) {
        text = "Vergelijkbare vacatures vragen meestal " + std::string(low ? "minimaal " : "maximaal ") +
               hours_text(low ? *low : *high) + " uur per week.";
    } else {
        text = "Te weinig vergelijkbare vacatures noemen het aantal uren.";
    }
    out.begin_object();
    high ? out.field("max", *high) : out.field("max", nullptr);
    low ? out.field("min", *low) : out.field("min", nullptr);
    out.field("text", text);
    out.end_object();
}

std::string usual_level(const CodeLists& codes, const std::map<std::string, std::int64_t>& counts) {
    std::map<std::string, std::int64_t> merged;
    for (const auto& [level, n] : counts) {
        merged[codes.education.contains(level) ? level : k_unknown_level] += n;
    }
    std::string best = k_unknown_level;
    std::int64_t most = 0;
    for (const auto& [level, n] : merged) {
        if (n > most) {
            best = level;
            most = n;
        }
    }
    return best;
}

void write_education(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result,
                     const CodeLists& codes) {
    const std::string& own = result.peer.education;
    const auto counts = others_of(choice.group->counts, "education", own);
    const std::string usual = usual_level(codes, counts);
    const std::string usual_label(codes.education.get(usual, "name"));
    const int own_rank = level_rank(codes, own);
    std::int64_t lower = 0;
    for (const auto& [level, n] : counts) {
        lower += level_rank(codes, level) < own_rank ? n : 0;
    }
    const int percent = whole_percent(lower, choice.others);
    std::string text = usual == k_unknown_level
                           ? "Veel vergelijkbare vacatures noemen geen opleidingsniveau."
                           : full_stop("Vergelijkbare vacatures vragen het vaakst " + in_sentence(usual_label));
    if (own_rank > 0 && lower > 0) {
        text += " Uw eis is hoger dan bij " + std::to_string(percent) +
                "% van vergelijkbare vacatures.";
    } else if (own_rank > 0) {
        text += " Geen enkele vergelijkbare vacature vraagt een lager niveau dan uw vacature.";
    }
    if (percent >= 50) {
        text += " Met een hogere eis kunnen minder mensen op uw vacature reageren.";
    }
    out.begin_object();
    out.field("higher_than_percent", percent);
    out.field("required", own);
    out.field("required_label", codes.education.get(own, "name"));
    out.field("text", text);
    out.field("usual", usual);
    out.field("usual_label", usual_label);
    out.end_object();
}

void write_peers(util::JsonSink& out, const VacancyCardInput& input, const CardCatalog& catalog,
                 const PeerChoice& choice, int k) {
    const engine::ResultRow& result = input.result;
    const bool known = known_occupation(catalog.codes, result.occupation);
    const std::string code = choice.group ? choice.group->code : known ? result.occupation : std::string();
    const std::string title = code.empty() ? std::string() : occupation_title(catalog.codes, code);
    out.begin_object();
    out.field("basis", choice.basis);
    if (!choice.group) {
        out.field("better_than_percent", nullptr);
        out.field("code", code);
        out.field("education", nullptr);
        out.field("hours", nullptr);
        out.field("peers", nullptr);
        out.field("salary", nullptr);
        out.field("same_percent", nullptr);
        out.field("text", result.occupation.empty()
                              ? "Uw vacature heeft geen beroep. Daarom kunnen we haar niet "
                                "vergelijken met andere vacatures."
                          : !known ? "Het beroep van uw vacature heeft geen bekende beroepscode. Daarom kunnen we "
                                     "haar niet vergelijken met andere vacatures."
                                   : "Er zijn te weinig vergelijkbare vacatures om uw vacature mee "
                                     "te vergelijken.");
        out.field("title", title);
        out.end_object();
        return;
    }
    const int percent = whole_percent(std::min(choice.group->below, choice.others), choice.others);
    out.field("better_than_percent", percent);
    out.field("code", code);
    out.key("education");
    write_education(out, choice, result, catalog.codes);
    out.key("hours");
    write_hours(out, choice, result, k);
    out.field("peers", choice.others);
    out.key("salary");
    write_salary(out, choice, result);
    out.field("same_percent", same_percent(choice.others_equal, choice.others, percent));
    out.field("text", "Uw vacature scoort beter dan " + std::to_string(percent) + "% van " +
                          dutch_count(choice.others) + " vergelijkbare vacatures " +
                          full_stop((choice.basis == "occupation" ? "voor " : "in de beroepsgroep ") +
                                    in_sentence(title) +
                                    same_score_text(choice.others_equal, choice.others, percent)));
    out.field("title", title);
    out.end_object();
}

// The pool by education level, suppressed as the occupation card's
// education column of the same scope (`national`: the country's pool when
// the pool is a region's), so the two cards never differ in what they hide.
void write_pool_education(util::JsonSink& out, const AttributeCounts& pool,
                          const std::optional<AttributeCounts>& national, const CodeLists& codes,
                          std::int64_t visible, int k) {
    const std::vector<CountRow> levels = education_rows(codes);
    const std::vector<std::int64_t> counts = row_counts(pool, "education", levels, k_unknown_level);
    std::vector<std::int64_t> outer;
    if (national) {
        outer = row_counts(*national, "education", levels, k_unknown_level);
    }
    Cell total;
    const std::vector<Cell> cells = suppress_column(counts, visible, k, total, national ? &outer : nullptr);
    out.begin_object();
    out.key("rows");
    out.begin_array();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        out.begin_object();
        out.key("cell");
        write_figure(out, cells[i], k);
        out.field("key", levels[i].key);
        out.field("label", levels[i].label);
        out.end_object();
    }
    out.end_array();
    out.field("title", "Opleidingsniveau");
    out.key("total");
    write_figure(out, total, k);
    out.end_object();
}

std::string amount_text(const Cell& cell, std::int64_t count, int k) {
    return cell.suppressed ? "minder dan " + std::to_string(k) : dutch_count(count);
}

void write_pool(util::JsonSink& out, const VacancyCardInput& input, const CardCatalog& catalog, int k) {
    const std::string& region = input.result.region;
    const std::string area =
        region.empty() ? std::string("in heel Nederland")
                       : in_region(catalog.codes.regions.get(region, "name"));
    const std::int64_t visible = attribute_count(input.pool, "visible", "");
    const std::int64_t target = attribute_count(input.pool, "target_group", "banenafspraak");
    const Cell visible_cell = single_cell(visible, k);
    // The job seekers in the target group and the others are one column:
    // a figure whose complement is under k (say 10 of 10) would say of
    // (almost) everyone that they have a work disability. A regional pool
    // is also held to the rest of the country, as the education column: an
    // employer with a second vacancy without region sees the national pool,
    // and "12 of 25 here, 15 of 28 nationally" would say that the 3 outside
    // the region all have one.
    std::optional<std::vector<std::int64_t>> national_column;
    if (input.national_pool) {
        const std::int64_t national_visible = attribute_count(*input.national_pool, "visible", "");
        const std::int64_t national_target = attribute_count(*input.national_pool, "target_group", "banenafspraak");
        national_column = std::vector<std::int64_t>{national_target,
                                                    std::max<std::int64_t>(0, national_visible - national_target)};
    }
    Cell pool_total;
    const Cell target_cell = suppress_column({target, std::max<std::int64_t>(0, visible - target)}, visible, k,
                                             pool_total, national_column ? &*national_column : nullptr)[0];
    out.begin_object();
    out.field("area", area);
    if (!known_occupation(catalog.codes, input.result.occupation)) {
        // No occupation (or a code that is none), no pool: a sentence about
        // "dit beroep" would be about nothing.
        out.field("occupation_missing", true);
        out.field("region", region);
        out.field("sentence",
                  input.result.occupation.empty()
                      ? "Uw vacature heeft geen beroep. Kies een beroep, dan laten we zien hoeveel werkzoekenden dat "
                        "beroep zoeken."
                      : "Het beroep van uw vacature heeft geen bekende beroepscode. Kies een beroep uit de lijst, dan "
                        "laten we zien hoeveel werkzoekenden dat beroep zoeken.");
        out.end_object();
        return;
    }
    out.key("banenafspraak");
    if (target_cell.suppressed) {
        // One text whatever hid it: "<10" for a small figure beside "x" for
        // one hidden for its complement would say "x" = at least k, so with
        // 10 visible job seekers "x" would mean all 10 (the case the
        // complement rule exists for).
        Cell hidden = target_cell;
        hidden.secondary = true;
        const std::string sentence =
            "Hoeveel van deze werkzoekenden bij de doelgroep banenafspraak horen, laten we niet zien: het zou iets "
            "zeggen over te weinig mensen.";
        write_figure(out, hidden, k, &sentence);
    } else {
        const std::string sentence = dutch_count(target) + " van deze werkzoekenden horen bij de doelgroep banenafspraak.";
        write_figure(out, target_cell, k, &sentence);
    }
    out.key("education");
    write_pool_education(out, input.pool, input.national_pool, catalog.codes, visible, k);
    out.field("occupation_missing", false);
    out.field("region", region);
    out.key("visible");
    const std::string sentence = "Er zijn " + amount_text(visible_cell, visible, k) +
                                 " werkzoekenden met een zichtbaar cv die dit beroep zoeken " + area + ".";
    write_figure(out, visible_cell, k, &sentence);
    out.end_object();
}

}  // namespace

void write_vacancy_card(util::JsonSink& out, const VacancyCardInput& input, const CardCatalog& catalog,
                        const PersonalParams& params) {
    const int k = params.min_cell;
    const engine::ResultRow& result = input.result;
    const double score = round_to(result.score, 1);
    const Grade grade = grade_for(score);
    const bool known = known_occupation(catalog.codes, result.occupation);
    const PeerChoice choice =
        known ? choose_peers(input.occupation_peers, input.group_peers, true, k) : PeerChoice{};
    out.begin_object();
    out.field("as_of", input.scan_as_of);
    out.key("dimensions");
    write_dimensions(out, result);
    out.field("employer_id", input.employer_id);
    out.key("failing_rules");
    write_failing_rules(out, result, catalog);
    out.field("grade", grade.letter);
    out.field("grade_label", grade.label);
    out.field("id", result.id);
    out.field("min_cell", k);
    out.key("occupation");
    out.begin_object();
    out.field("code", result.occupation);
    // A made-up code has no title (not the code again).
    out.field("title", known ? occupation_title(catalog.codes, result.occupation) : std::string());
    out.end_object();
    out.key("peers");
    write_peers(out, input, catalog, choice, k);
    out.key("pool");
    write_pool(out, input, catalog, k);
    out.field("score", score);
    out.field("score_text", score_text(score));
    if (params.vacancy_title && !input.title.empty()) {
        out.field("title", input.title);  // its own text, to its own employer only
    }
    out.key("trend");
    write_trend(out, input.trend, "De score van uw vacature");
    out.field("type", "vacancy");
    out.end_object();
}

json build_vacancy_card(const VacancyCardInput& input, const CardCatalog& catalog,
                        const PersonalParams& params) {
    util::JsonDomSink tree;
    write_vacancy_card(tree, input, catalog, params);
    return tree.take();
}

}  // namespace spiegel::cards
