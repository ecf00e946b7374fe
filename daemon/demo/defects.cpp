#include "daemon/demo/defects.h"

#include <algorithm>

#include "daemon/rules/yaml_util.h"

namespace spiegel::demo {
namespace {

using D = Defect;
using K = model::Kind;

constexpr DefectInfo k_defects[] = {
    {D::cv_missing_email, K::cv, "missing_email", 0.06, "no e-mail address (phone kept)"},
    {D::cv_missing_phone, K::cv, "missing_phone", 0.08, "no phone number (e-mail kept)"},
    {D::cv_missing_contact, K::cv, "missing_contact", 0.02, "neither e-mail nor phone"},
    {D::cv_invalid_email, K::cv, "invalid_email", 0.03, "malformed e-mail address"},
    {D::cv_invalid_phone, K::cv, "invalid_phone", 0.03, "phone number that is not a Dutch number"},
    {D::cv_invalid_postcode, K::cv, "invalid_postcode", 0.03,
     "malformed postcode, incl. the forbidden letter pairs SA/SD/SS"},
    {D::cv_unknown_region, K::cv, "unknown_region", 0.02, "region missing or not a known code"},
    {D::cv_implausible_birth_year, K::cv, "implausible_birth_year", 0.01,
     "birth year missing, before 1940 or younger than 15"},
    {D::cv_missing_occupation, K::cv, "missing_occupation", 0.03, "no desired occupation"},
    {D::cv_unknown_occupation, K::cv, "unknown_occupation", 0.02,
     "a desired occupation without a code or with an unknown code"},
    {D::cv_missing_education, K::cv, "missing_education", 0.04, "no education"},
    {D::cv_unknown_education_level, K::cv, "unknown_education_level", 0.02,
     "an education entry without a level or with an unknown level"},
    {D::cv_missing_experience, K::cv, "missing_experience", 0.05, "no work experience"},
    {D::cv_bad_experience_dates, K::cv, "bad_experience_dates", 0.03,
     "an experience entry ending before its start, without a start, starting in the future, "
     "or with a malformed start month"},
    {D::cv_short_experience_description, K::cv, "short_experience_description", 0.06,
     "an experience description of fewer than 5 words"},
    {D::cv_few_skills, K::cv, "few_skills", 0.07, "fewer than 3 skills"},
    {D::cv_short_summary, K::cv, "short_summary", 0.10, "summary of fewer than 25 words"},
    {D::cv_bad_hours, K::cv, "bad_hours", 0.04, "hours_per_week missing or outside 1..60"},
    {D::cv_no_travel, K::cv, "no_travel", 0.05, "neither travel minutes nor travel km"},
    {D::cv_stale, K::cv, "stale", 0.08, "updated_at more than 180 days before the reference date"},
    {D::cv_bsn_in_text, K::cv, "bsn_in_text", 0.005,
     "a BSN (passing the 11-test) in the summary or an experience description"},
    {D::cv_incomplete_banenafspraak, K::cv, "incomplete_banenafspraak", 0.20,
     "of banenafspraak CVs: one of the five profile fields left out"},
    {D::vacancy_late_registration, K::vacancy, "late_registration", 0.05,
     "registered more than 24 hours after it was received"},
    {D::vacancy_unknown_status, K::vacancy, "unknown_status", 0.02, "status missing or unknown"},
    {D::vacancy_blocked_without_note, K::vacancy, "blocked_without_note", 0.30,
     "of geblokkeerd vacancies: no status_note"},
    {D::vacancy_extra_positions, K::vacancy, "extra_positions", 0.04,
     "positions greater than placements + 1"},
    {D::vacancy_discriminating_wording, K::vacancy, "discriminating_wording", 0.03,
     "of vacancies for no target group: wording on age, gender or origin"},
    {D::vacancy_unflagged_target_group, K::vacancy, "unflagged_target_group", 0.02,
     "mentions banenafspraak or Wajong without the target-group flag"},
    {D::vacancy_short_description, K::vacancy, "short_description", 0.04,
     "description of fewer than 50 words"},
    {D::vacancy_bad_hours, K::vacancy, "bad_hours", 0.03, "hours missing, min > max or above 60"},
    {D::vacancy_missing_salary, K::vacancy, "missing_salary", 0.05, "no salary_min"},
    {D::vacancy_inverted_salary, K::vacancy, "inverted_salary", 0.02,
     "salary_max below salary_min"},
    {D::vacancy_unknown_education, K::vacancy, "unknown_education", 0.02,
     "education level missing or unknown"},
    {D::vacancy_unknown_occupation, K::vacancy, "unknown_occupation", 0.02,
     "occupation code missing or unknown"},
    {D::vacancy_invalid_postcode, K::vacancy, "invalid_postcode", 0.02,
     "malformed or missing postcode"},
    {D::vacancy_expired_open, K::vacancy, "expired_open", 0.04,
     "open or anoniem with a closing date in the past"},
    {D::vacancy_unknown_employer, K::vacancy, "unknown_employer", 0.02,
     "employer_id missing or not an existing employer"},
    {D::vacancy_no_contact, K::vacancy, "no_contact", 0.03,
     "of open vacancies: no contact e-mail or phone"},
    {D::employer_duplicate, K::employer, "duplicate", 0.03,
     "entered again: an earlier employer's name written apart/together or with/without B.V., "
     "same 4 postcode digits, later created_at"},
    {D::employer_invalid_postcode, K::employer, "invalid_postcode", 0.02,
     "malformed or missing postcode"},
    {D::employer_unknown_sector, K::employer, "unknown_sector", 0.02, "sector missing or unknown"},
    {D::employer_stale_account, K::employer, "stale_account", 0.06,
     "actief without contact for more than 365 days"},
    {D::employer_ceased_with_open_vacancies, K::employer, "ceased_with_open_vacancies", 0.25,
     "of gestaakt employers: their vacancies are still open"},
};
static_assert(std::size(k_defects) == k_defect_count);

// One kind's section: every key a defect of that kind, every value a rate.
void load_section(model::Kind kind, const YAML::Node& node, rules::Sink& sink, DefectRates& rates) {
    if (node.IsNull()) {
        return;
    }
    rules::MapReader map = rules::MapReader::dotted(node, sink, std::string(model::kind_name(kind)));
    if (!map.ok()) {
        return;
    }
    for (const DefectInfo& d : k_defects) {
        const auto value = d.kind == kind ? map.get(d.key) : std::nullopt;
        if (!value) {
            continue;
        }
        const auto rate = rules::read_number(*value, sink, map.name_of(d.key));
        if (rate && !(*rate >= 0.0 && *rate <= 1.0)) {
            sink.add(value->Mark(), map.name_of(d.key) + ": expected a rate between 0 and 1");
        } else if (rate) {
            rates[d.defect] = *rate;
        }
    }
    map.finish();
}

}  // namespace

std::span<const DefectInfo> defect_table() {
    return k_defects;
}

const DefectInfo& defect_info(Defect defect) {
    return k_defects[static_cast<std::size_t>(defect)];
}

DefectRates DefectRates::defaults() {
    DefectRates r;
    for (const DefectInfo& d : k_defects) {
        r[d.defect] = d.default_rate;
    }
    return r;
}

util::Expected<DefectRates> load_defects(const std::string& path) {
    DefectRates rates = DefectRates::defaults();
    std::vector<rules::Diagnostic> diagnostics;
    rules::Sink sink(path, diagnostics);
    const auto root = rules::load_yaml_file(path, sink);
    if (root && !root->IsNull()) {
        rules::MapReader top = rules::MapReader::dotted(*root, sink, "");
        for (model::Kind kind : model::k_all_kinds) {
            // A section with every rate commented out is empty: defaults.
            if (const auto section = top.ok() ? top.get_maybe_empty(model::kind_name(kind)) : std::nullopt) {
                load_section(kind, *section, sink, rates);
            }
        }
        top.finish();
    }
    if (!diagnostics.empty()) {
        const auto first = std::min_element(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
            return a.line != b.line ? a.line < b.line : a.column < b.column;
        });
        return util::Error{first->to_string()};
    }
    return rates;
}

}  // namespace spiegel::demo
