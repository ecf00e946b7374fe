#pragma once
// Occupation vocabulary of the demo generator: per ISCO-08 sub-major group
// (2 digits) and for common unit groups (4 digits) the skills, education
// field, tasks and sector that fit, so that peers of one occupation share
// recognisable skills. Also the weighted list of common occupations.
// Constant data; safe to share.

#include <span>
#include <string_view>

namespace spiegel::demo {

struct OccupationProfile {
    std::string_view prefix;  // ISCO-08 code prefix: 4 digits (specific) or 2 (sub-major group)
    std::string_view skills;  // '|'-separated, most characteristic first
    std::string_view field;   // education field name ("Logistiek", "Zorg en welzijn")
    std::string_view tasks;   // '|'-separated Dutch task phrases ("orders verzamelen")
    std::string_view sector;  // sectors.csv code
    int band;                 // 0 low, 1 middle, 2 high education
};

// The most specific profile for a 4-digit ISCO code (4-digit, then 2-digit
// prefix, then a generic profile).
const OccupationProfile& profile_for(std::string_view isco);

struct CommonOccupation {
    std::string_view isco;
    double weight;
};
// Occupations job seekers and vacancies name most often, with weights.
std::span<const CommonOccupation> common_occupations();

// General skills any CV may list ("samenwerken", "klantvriendelijk").
std::span<const std::string_view> general_skills();

// Splits a '|'-separated list; at most `max` parts.
std::size_t split_bar(std::string_view list, std::span<std::string_view> out);

}  // namespace spiegel::demo
