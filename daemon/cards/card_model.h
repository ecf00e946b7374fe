#pragma once
// The occupation card ("beroepenkaart") as plain values (docs/cards.md):
// anonymous statistics only, built by build_occupation_card from PeerData.
// Texts are Dutch. A suppressed cell has no count (small-cell suppression).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace spiegel::cards {

// One figure of a table. count/percent are empty when suppressed.
struct Cell {
    std::optional<std::int64_t> count;
    std::optional<double> percent;  // of the column total, one decimal
    bool suppressed = false;
    // Hidden although not under k, so that a hidden cell under k cannot be
    // worked out: shown as "x", never as "<k" (which would be untrue).
    bool secondary = false;
};

struct Row {
    std::string key;    // bucket or code ("1948-1960", "mbo2", "<2")
    std::string label;  // Dutch label
    Cell national;
    std::optional<Cell> regional;  // when a region was asked for
};

struct Table {
    std::string id;     // birth, education, hours_per_day
    std::string title;  // Dutch caption
    std::vector<Row> rows;
    Cell national_total;
    std::optional<Cell> regional_total;
};

struct Tension {
    Cell job_seekers;                      // visible CVs seeking the occupation
    Cell vacancies;                        // open vacancies
    std::optional<double> per_job_seeker;  // vacancies / job seekers, two decimals
};

struct ListItem {
    std::string key;    // normalised skill or ISCO code
    std::string label;  // Dutch title (skill: the skill itself)
    std::int64_t count = 0;
    double percent = 0;  // share of the visible CVs of the scope
};

struct Scores {
    Cell cvs;  // records averaged
    std::optional<double> cv_average;
    Cell vacancies;
    std::optional<double> vacancy_average;
};

// Figures of one scope: the whole country or one region.
struct Scope {
    std::string code;  // "" national, else region code
    std::string name;  // "Nederland" or the region's name
    Tension tension;
    Scores scores;
    std::vector<ListItem> top_skills;
    std::vector<ListItem> alternatives;
};

struct OccupationCard {
    std::string isco;
    std::string title;
    int min_cell = 10;
    std::vector<Table> tables;
    Scope national;
    std::optional<Scope> regional;
};

}  // namespace spiegel::cards
