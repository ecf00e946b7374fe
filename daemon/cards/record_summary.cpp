#include "daemon/cards/record_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <set>

#include "daemon/cards/card_json.h"
#include "daemon/cards/field_labels.h"
#include "daemon/cards/suppression.h"

namespace spiegel::cards {
namespace {

constexpr std::array<std::string_view, rules::k_dimension_count> k_dimension_labels = {
    "Volledigheid", "Juistheid", "Samenhang", "Actualiteit", "Uniciteit", "Privacy"};

constexpr std::array<std::string_view, 12> k_months = {
    "januari", "februari", "maart",     "april",   "mei",      "juni",
    "juli",    "augustus", "september", "oktober", "november", "december"};

std::string_view severity_label(const std::string& severity) {
    if (severity == "error") {
        return "Belangrijk";
    }
    return severity == "warning" ? "Let op" : "Tip";
}

// Sum of the weights of the enabled rules of the record's kind that applied.
double applicable_weight(const engine::ResultRow& result, const CardCatalog& catalog) {
    const std::set<std::string> skipped(result.not_applicable.begin(), result.not_applicable.end());
    double sum = 0;
    for (const auto& [id, info] : catalog.rules) {
        if (info.kind == result.kind && info.enabled && skipped.count(id) == 0) {
            sum += info.weight;
        }
    }
    return sum;
}

// The score the record would have with one failed rule fixed, per rule id;
// empty when the catalog no longer matches the scan (the recomputed score
// differs from the stored one) or applicability is unknown.
std::optional<std::pair<double, double>> weights_if_honest(const engine::ResultRow& result,
                                                           const CardCatalog& catalog) {
    if (!result.rated) {
        return std::nullopt;
    }
    const double applicable = applicable_weight(result, catalog);
    double failed = 0;
    for (const auto& id : result.failed) {
        const auto it = catalog.rules.find(id);
        if (it == catalog.rules.end() || it->second.kind != result.kind || !it->second.enabled) {
            return std::nullopt;
        }
        failed += it->second.weight;
    }
    if (applicable <= 0 || std::fabs(round_to(100.0 * (applicable - failed) / applicable, 1) -
                                     round_to(result.score, 1)) > 0.05) {
        return std::nullopt;
    }
    return std::make_pair(applicable, applicable - failed);
}

// A failing rule's object; score_if_fixed null when weights is not known.
void write_rule(util::JsonSink& out, const rules::RuleInfo& info,
                const std::optional<std::pair<double, double>>& weights) {
    const std::size_t d = static_cast<std::size_t>(info.dimension);
    out.begin_object();
    out.field("advice", info.advice);
    out.field("dimension", rules::dimension_name(info.dimension));
    out.field("dimension_label", k_dimension_labels[d]);
    out.key("fields");
    out.begin_array();
    for (const auto& f : info.fields) {
        out.begin_object();
        out.field("field", f);
        out.field("label", field_label(f));
        out.end_object();
    }
    out.end_array();
    out.field("id", info.id);
    if (weights) {
        const double fixed = round_to(100.0 * (weights->second + info.weight) / weights->first, 1);
        out.field("score_if_fixed", fixed);
        out.field("score_if_fixed_text", score_text(fixed));
    } else {
        out.field("score_if_fixed", nullptr);
        out.field("score_if_fixed_text", "");
    }
    out.field("severity", info.severity);
    out.field("severity_label", severity_label(info.severity));
    out.field("title", info.title);
    out.field("weight", info.weight);
    out.end_object();
}

std::string point_date(std::string_view as_of) {
    return std::string(as_of.substr(0, std::min<std::size_t>(10, as_of.size())));
}

}  // namespace

void write_dimensions(util::JsonSink& out, const engine::ResultRow& result) {
    out.begin_array();
    for (std::size_t i = 0; i < rules::k_dimension_count; ++i) {
        const double s = result.dimensions[i];
        out.begin_object();
        out.field("id", rules::dimension_name(static_cast<rules::Dimension>(i)));
        out.field("label", k_dimension_labels[i]);
        s < 0 ? out.field("score", nullptr) : out.field("score", round_to(s, 1));
        out.field("text", s < 0 ? std::string("niet van toepassing") : score_text(s));
        out.end_object();
    }
    out.end_array();
}

Grade grade_for(double score) {
    if (score >= 90) {
        return {"A", "uitstekend"};
    }
    if (score >= 75) {
        return {"B", "goed"};
    }
    if (score >= 60) {
        return {"C", "voldoende"};
    }
    return score >= 40 ? Grade{"D", "matig"} : Grade{"E", "onvoldoende"};
}

std::string score_text(double score) {
    return dutch_decimal(round_to(score, 1), 1);
}

std::string dutch_date(std::string_view rfc3339) {
    if (rfc3339.size() < 10 || rfc3339[4] != '-' || rfc3339[7] != '-') {
        return std::string(rfc3339);
    }
    const std::string year(rfc3339.substr(0, 4));
    const int month = std::atoi(std::string(rfc3339.substr(5, 2)).c_str());
    const int day = std::atoi(std::string(rfc3339.substr(8, 2)).c_str());
    if (month < 1 || month > 12 || day < 1 || day > 31) {
        return std::string(rfc3339);
    }
    return std::to_string(day) + " " + std::string(k_months[static_cast<std::size_t>(month - 1)]) +
           " " + year;
}

void write_failing_rules(util::JsonSink& out, const engine::ResultRow& result, const CardCatalog& catalog) {
    std::vector<const rules::RuleInfo*> found;
    for (const auto& id : result.failed) {
        const auto it = catalog.rules.find(id);
        if (it != catalog.rules.end()) {
            found.push_back(&it->second);
        }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto* a, const auto* b) { return a->weight > b->weight; });
    const auto weights = weights_if_honest(result, catalog);
    out.begin_array();
    for (const auto* info : found) {
        write_rule(out, *info, weights);
    }
    out.end_array();
}

void write_trend(util::JsonSink& out, const std::vector<TrendPoint>& trend, std::string_view subject) {
    out.begin_object();
    std::string text;
    if (trend.size() < 2) {
        out.field("direction", nullptr);
        text = "Er is nog geen eerdere score om mee te vergelijken.";
    } else {
        const double first = round_to(trend.front().score, 1);
        const double last = round_to(trend.back().score, 1);
        const std::string since = dutch_date(trend.front().as_of);
        text = subject;
        if (first == last) {
            out.field("direction", "same");
            text += " is gelijk gebleven sinds " + since + ".";
        } else {
            out.field("direction", last > first ? "up" : "down");
            text += last > first ? " is gestegen van " : " is gedaald van ";
            text += score_text(first) + " naar " + score_text(last) + " sinds " + since + ".";
        }
    }
    out.key("points");
    out.begin_array();
    for (const auto& p : trend) {
        out.begin_object();
        out.field("as_of", point_date(p.as_of));
        out.field("date_text", dutch_date(p.as_of));
        out.field("score", round_to(p.score, 1));
        out.field("score_text", score_text(p.score));
        out.end_object();
    }
    out.end_array();
    out.field("text", text);
    out.end_object();
}

PeerChoice choose_peers(const std::optional<PeerGroupCounts>& occupation,
                        const std::optional<PeerGroupCounts>& minor_group, bool self_counted,
                        int k) {
    for (const auto* group : {&occupation, &minor_group}) {
        if (!group->has_value()) {
            continue;
        }
        const std::int64_t self = self_counted ? 1 : 0;
        const std::int64_t others = (*group)->members - self;
        if (others >= k) {
            const std::int64_t equal = std::clamp<std::int64_t>((*group)->equal - self, 0, others);
            return {group == &occupation ? "occupation" : "minor_group", &**group, others, equal};
        }
    }
    return {};
}

int same_percent(std::int64_t equal, std::int64_t others, int better_percent) {
    if (equal <= 0 || others <= 0) {
        return 0;
    }
    return std::max(1, std::min(whole_percent(equal, others), 100 - better_percent));
}

std::string same_score_text(std::int64_t equal, std::int64_t others, int better_percent) {
    const int percent = same_percent(equal, others, better_percent);
    if (percent == 0) {
        return "";
    }
    return equal >= others ? "; alle anderen scoren even hoog" : "; " + std::to_string(percent) + "% scoort even hoog";
}

std::int64_t attribute_count(const AttributeCounts& counts, std::string_view attribute,
                             std::string_view value) {
    const auto a = counts.find(std::string(attribute));
    if (a == counts.end()) {
        return 0;
    }
    const auto v = a->second.find(std::string(value));
    return v == a->second.end() ? 0 : v->second;
}

int level_rank(const CodeLists& codes, std::string_view level) {
    const std::string rank(codes.education.get(level, "rank"));
    return std::atoi(rank.c_str());
}

std::vector<CountRow> education_rows(const CodeLists& codes) {
    std::vector<std::pair<int, CountRow>> ranked;
    for (const auto& row : codes.education.table().rows) {
        const std::string& code = row.at(0);
        ranked.push_back({level_rank(codes, code), {code, std::string(codes.education.get(code, "name"))}});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<CountRow> rows;
    for (auto& r : ranked) {
        rows.push_back(std::move(r.second));
    }
    return rows;
}

std::vector<std::int64_t> row_counts(const AttributeCounts& counts, std::string_view attribute,
                                     const std::vector<CountRow>& rows, std::string_view fallback) {
    std::vector<std::int64_t> out(rows.size(), 0);
    const auto a = counts.find(std::string(attribute));
    if (a == counts.end()) {
        return out;
    }
    const auto row_of = [&rows](std::string_view key) {
        return std::find_if(rows.begin(), rows.end(), [key](const CountRow& r) { return r.key == key; });
    };
    const auto other = row_of(fallback);
    for (const auto& [value, n] : a->second) {
        auto it = row_of(value);
        if (it == rows.end()) {
            it = other;
        }
        if (it != rows.end()) {
            out[static_cast<std::size_t>(it - rows.begin())] += n;
        }
    }
    return out;
}

int whole_percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) {
        return 0;
    }
    return static_cast<int>(
        std::lround(100.0 * static_cast<double>(part) / static_cast<double>(whole)));
}

bool known_occupation(const CodeLists& codes, const std::string& code) {
    return code.size() == 4 && codes.isco.get(code, "level") == "4";
}

std::string occupation_title(const CodeLists& codes, const std::string& code) {
    const std::string title(codes.isco.get(code, "title_nl"));
    return title.empty() ? code : title;
}

}  // namespace spiegel::cards
