#include "daemon/cards/occupation_card.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "daemon/cards/record_summary.h"
#include "daemon/cards/suppression.h"

namespace spiegel::cards {
namespace {

constexpr std::size_t k_list_size = 10;

struct Bucket {
    const char* key;
    const char* label;
};
constexpr std::array<Bucket, 6> k_birth = {{{"1948-1960", "1948 - 1960"},
                                            {"1961-1970", "1961 - 1970"},
                                            {"1971-1980", "1971 - 1980"},
                                            {"1981-1990", "1981 - 1990"},
                                            {"1991-", "1991 -"},
                                            {"onbekend", "Onbekend"}}};
constexpr std::array<Bucket, 6> k_hours = {{{"<2", "<2"},
                                            {"2 tot 4", "2 tot 4"},
                                            {"4 tot 6", "4 tot 6"},
                                            {"6 tot 8", "6 tot 8"},
                                            {"8", "8"},
                                            {"nvt", "Nvt"}}};

Table make_table(const std::string& id, const std::string& title, const std::string& attribute,
                 const std::vector<CountRow>& specs, const std::string& fallback,
                 const PeerData& data, int k) {
    Table t{id, title, {}, {}, std::nullopt};
    const auto national_counts = row_counts(data.national.cv, attribute, specs, fallback);
    const auto national =
        suppress_column(national_counts, attribute_count(data.national.cv, "visible", ""), k, t.national_total);
    std::vector<Cell> regional;
    if (data.regional) {
        // The region is part of the nation: a regional cell whose rest of
        // the country is under k is hidden as well (docs/cards.md).
        t.regional_total = Cell{};
        regional = suppress_column(row_counts(data.regional->cv, attribute, specs, fallback),
                                   attribute_count(data.regional->cv, "visible", ""), k, *t.regional_total,
                                   &national_counts);
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
        Row row{specs[i].key, specs[i].label, national[i], std::nullopt};
        if (data.regional) {
            row.regional = regional[i];
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

template <std::size_t N>
std::vector<CountRow> bucket_rows(const std::array<Bucket, N>& buckets) {
    std::vector<CountRow> rows;
    for (const auto& b : buckets) {
        rows.push_back({b.key, b.label});
    }
    return rows;
}

// Items of `attribute` with count >= k, largest first, at most k_list_size.
// With `occupations` (the values are ISCO codes), only unit groups, titled.
// With `outer` (the national counts of a regional list), only items whose
// rest of the country is >= k too: else national minus regional gives it away.
std::vector<ListItem> top_list(const AttributeCounts& counts, const std::string& attribute,
                               std::int64_t visible, int k, const CodeLists* occupations,
                               const AttributeCounts* outer) {
    std::vector<ListItem> items;
    const auto a = counts.find(attribute);
    if (a == counts.end() || visible < k) {
        return items;
    }
    for (const auto& [value, n] : a->second) {
        if (occupations != nullptr && !known_occupation(*occupations, value)) {
            continue;  // a code CVs made up is no occupation to list
        }
        if (outer != nullptr && attribute_count(*outer, attribute, value) - n < k) {
            continue;
        }
        if (n >= k && !value.empty()) {
            std::string label = occupations ? std::string(occupations->isco.get(value, "title_nl")) : value;
            items.push_back(
                {value, label.empty() ? value : label, n,
                 round_to(100.0 * static_cast<double>(n) / static_cast<double>(visible), 1)});
        }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const ListItem& x, const ListItem& y) { return x.count > y.count; });
    if (items.size() > k_list_size) {
        items.resize(k_list_size);
    }
    return items;
}

std::optional<double> average(const ScoreSum& s, const Cell& cell) {
    if (cell.suppressed || s.records == 0) {
        return std::nullopt;
    }
    return round_to(s.sum / static_cast<double>(s.records), 1);
}

// `national`: the country's cells when this scope is a region in it.
Scope make_scope(const PeerCells& cells, std::string code, std::string name, const CodeLists& codes,
                 int k, const PeerCells* national = nullptr) {
    Scope s;
    s.code = std::move(code);
    s.name = std::move(name);
    const std::int64_t visible = attribute_count(cells.cv, "visible", "");
    const std::int64_t open = attribute_count(cells.vacancy, "open", "");
    s.tension.job_seekers = single_cell(visible, k);
    s.tension.vacancies = single_cell(open, k);
    if (!s.tension.job_seekers.suppressed && !s.tension.vacancies.suppressed) {
        s.tension.per_job_seeker =
            round_to(static_cast<double>(open) / static_cast<double>(visible), 2);
    }
    s.scores.cvs = single_cell(cells.cv_scores.records, k);
    s.scores.cv_average = average(cells.cv_scores, s.scores.cvs);
    // The scores count every CV, the job seekers only the visible ones: with
    // both shown, their difference is the number of unpublished CVs, a count
    // of people that must be at least k as well (docs/cards.md). The average
    // says nothing of how many, so it stays.
    // A region is held to the rest of the country too: the national card
    // beside it gives the unpublished CVs outside the region by difference.
    const std::int64_t unpublished = cells.cv_scores.records - visible;
    const std::int64_t unpublished_elsewhere =
        national == nullptr ? 0
                            : (national->cv_scores.records - attribute_count(national->cv, "visible", "")) -
                                  unpublished;
    const auto few = [k](std::int64_t n) { return n > 0 && n < k; };
    if (!s.scores.cvs.suppressed && !s.tension.job_seekers.suppressed &&
        (few(unpublished) || few(unpublished_elsewhere))) {
        s.scores.cvs.suppressed = true;
        s.scores.cvs.secondary = true;
        s.scores.cvs.count.reset();
    }
    s.scores.vacancies = single_cell(cells.vacancy_scores.records, k);
    s.scores.vacancy_average = average(cells.vacancy_scores, s.scores.vacancies);
    const AttributeCounts* outer = national != nullptr ? &national->cv : nullptr;
    s.top_skills = top_list(cells.cv, "skill", visible, k, nullptr, outer);
    s.alternatives = top_list(cells.cv, "co_occupation", visible, k, &codes, outer);
    return s;
}

}  // namespace

std::optional<CardError> validate_occupation(const CodeLists& codes,
                                             const OccupationParams& params) {
    if (!codes.isco.contains(params.isco) || codes.isco.get(params.isco, "level") != "4") {
        return CardError{CardErrorKind::not_found,
                         "unknown occupation: not a 4-digit ISCO-08 code"};
    }
    if (!params.region.empty() && !codes.regions.contains(params.region)) {
        return CardError{CardErrorKind::bad_request,
                         "unknown region code (expected a code of regions.csv, like AM21)"};
    }
    return std::nullopt;
}

OccupationCard build_occupation_card(const PeerData& data, const CodeLists& codes,
                                     const OccupationParams& params) {
    const int k = params.min_cell;
    OccupationCard card;
    card.isco = params.isco;
    card.title = std::string(codes.isco.get(params.isco, "title_nl"));
    card.min_cell = k;
    card.tables.push_back(
        make_table("birth", "Geboren", "birth", bucket_rows(k_birth), "onbekend", data, k));
    card.tables.push_back(make_table("education", "Opleidingsniveau", "education",
                                     education_rows(codes), "onbekend", data, k));
    card.tables.push_back(make_table("hours_per_day", "Uren per dag", "hours_per_day",
                                     bucket_rows(k_hours), "nvt", data, k));
    card.national = make_scope(data.national, "", "Nederland", codes, k);
    if (data.regional) {
        card.regional = make_scope(*data.regional, params.region,
                                   std::string(codes.regions.get(params.region, "name")), codes, k, &data.national);
    }
    return card;
}

}  // namespace spiegel::cards
