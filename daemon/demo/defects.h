#pragma once
// Quality defects the demo generator injects, one configurable rate per
// defect (config/demo-defects.yaml, documented in docs/demo.md). A rate is
// the probability that a record of that kind (or of the sub-population the
// defect names) gets the defect. Immutable after load; safe to share.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "daemon/model/schema.h"
#include "daemon/util/expected.h"

namespace spiegel::demo {

enum class Defect : std::size_t {
    // cv
    cv_missing_email,
    cv_missing_phone,
    cv_missing_contact,
    cv_invalid_email,
    cv_invalid_phone,
    cv_invalid_postcode,
    cv_unknown_region,
    cv_implausible_birth_year,
    cv_missing_occupation,
    cv_unknown_occupation,
    cv_missing_education,
    cv_unknown_education_level,
    cv_missing_experience,
    cv_bad_experience_dates,
    cv_short_experience_description,
    cv_few_skills,
    cv_short_summary,
    cv_bad_hours,
    cv_no_travel,
    cv_stale,
    cv_bsn_in_text,
    cv_incomplete_banenafspraak,
    // vacancy
    vacancy_late_registration,
    vacancy_unknown_status,
    vacancy_blocked_without_note,
    vacancy_extra_positions,
    vacancy_discriminating_wording,
    vacancy_unflagged_target_group,
    vacancy_short_description,
    vacancy_bad_hours,
    vacancy_missing_salary,
    vacancy_inverted_salary,
    vacancy_unknown_education,
    vacancy_unknown_occupation,
    vacancy_invalid_postcode,
    vacancy_expired_open,
    vacancy_unknown_employer,
    vacancy_no_contact,
    // employer
    employer_duplicate,
    employer_invalid_postcode,
    employer_unknown_sector,
    employer_stale_account,
    employer_ceased_with_open_vacancies,
    count_
};

inline constexpr std::size_t k_defect_count = static_cast<std::size_t>(Defect::count_);

struct DefectInfo {
    Defect defect;
    model::Kind kind;
    std::string_view key;  // key within the kind's section of the YAML file
    double default_rate;
    std::string_view meaning;
};

// Every defect, in enum order.
std::span<const DefectInfo> defect_table();
const DefectInfo& defect_info(Defect defect);

struct DefectRates {
    std::array<double, k_defect_count> rate{};
    double operator[](Defect d) const { return rate[static_cast<std::size_t>(d)]; }
    double& operator[](Defect d) { return rate[static_cast<std::size_t>(d)]; }
    static DefectRates defaults();
};

// Loads a defects file over the built-in defaults through the strict YAML
// reader (rules/yaml_util.h). Unknown or duplicate sections or keys and rates
// outside 0..1 are errors reading "FILE:LINE:COLUMN: message" (the first in
// file order), e.g. "d.yaml:3:3: unknown key 'cv.stael'".
util::Expected<DefectRates> load_defects(const std::string& path);

}  // namespace spiegel::demo
