#pragma once
// Compiled-in tables of the demo generator: labour-market regions with their
// size, postcode areas and municipalities; the Wajong distributions of seed
// 002 (birth years, education levels, hours per day); names and words.
// Constant data; safe to share.

#include <span>
#include <string_view>

namespace spiegel::demo {

struct RegionInfo {
    std::string_view code;            // AMxx, as in rules/codes/regions.csv
    double weight;                    // relative size (job seekers, vacancies)
    std::string_view prefixes;        // leading two postcode digits, space-separated
    std::string_view municipalities;  // '|'-separated, largest first
};
std::span<const RegionInfo> regions();
std::span<const double> region_weights();

// A share of a distribution (seed 002 tables), with an inclusive range.
struct Bucket {
    std::string_view label;
    double share;  // percent
    double lo;
    double hi;
};
// Geboren: 1948-1960 .. 1991- (the last bucket's upper bound is set by the caller).
std::span<const Bucket> birth_year_buckets();
std::span<const double> birth_year_weights();
// Uren/dag landelijk: <2, 2 tot 4, 4 tot 6, 6 tot 8, 8, nvt (missing).
std::span<const Bucket> hours_per_day_buckets();
std::span<const double> hours_per_day_weights();

// Opl.niveau of seed 002 mapped to rules/codes/education_levels.csv codes.
struct EducationShare {
    std::string_view code;
    std::string_view label;  // seed 002 label
    double share;            // percent
    int rank;                // rank column of education_levels.csv
};
std::span<const EducationShare> education_shares();
std::span<const double> education_weights();

std::span<const std::string_view> first_names();
std::span<const std::string_view> surnames();
std::span<const std::string_view> mail_domains();
std::span<const std::string_view> sector_codes();  // rules/codes/sectors.csv

}  // namespace spiegel::demo
