// CV fields that need little context: target groups, languages, driving
// licences, interests, timestamps and the incomplete banenafspraak profile.
#include <algorithm>

#include "daemon/demo/parts.h"

namespace spiegel::demo {

using model::Value;

std::vector<std::string> Parts::cv_target_groups(Rng& rng) {
    std::vector<std::string> groups;
    const double r = rng.real();
    if (r < 0.34) {
        groups.emplace_back("ww");
    } else if (r < 0.56) {
        groups.emplace_back("bijstand");
    } else if (r < 0.68) {
        groups.emplace_back("wajong");
    }
    const bool wajong = !groups.empty() && groups[0] == "wajong";
    const bool bijstand = !groups.empty() && groups[0] == "bijstand";
    if (rng.chance(wajong ? 0.7 : (bijstand ? 0.15 : 0.01))) {
        groups.emplace_back("banenafspraak");
    }
    return groups;
}

Value Parts::languages(Rng& rng, RecordBuilder& b) {
    static constexpr std::string_view k_nl_levels[] = {"C2", "C2", "C1", "B2", "B1", "A2"};
    static constexpr std::string_view k_other[] = {"tur", "ara", "pol", "deu", "fra", "spa"};
    static constexpr std::string_view k_levels[] = {"A2", "B1", "B2", "C1"};
    std::vector<Value> items;
    items.push_back(b.object({{"code", b.str("nld")},
                              {"level", b.str(k_nl_levels[rng.index(std::size(k_nl_levels))])}}));
    if (rng.chance(0.5)) {
        items.push_back(b.object(
            {{"code", b.str("eng")}, {"level", b.str(k_levels[rng.index(std::size(k_levels))])}}));
    }
    if (rng.chance(0.12)) {
        items.push_back(b.object({{"code", b.str(k_other[rng.index(std::size(k_other))])},
                                  {"level", b.str(k_levels[rng.index(std::size(k_levels))])}}));
    }
    return b.array(items);
}

std::vector<std::string> Parts::licences(Rng& rng, std::string_view isco) {
    std::vector<std::string> out;
    const bool driver = isco.substr(0, 2) == "83";
    if (driver || rng.chance(0.6)) {
        out.emplace_back("B");
    }
    if (driver && isco == "8332") {
        out.emplace_back("C");
        out.emplace_back("CE");
    } else if (rng.chance(0.04)) {
        out.emplace_back("C");
    }
    if (rng.chance(0.05)) {
        out.emplace_back("AM");
    }
    return out;
}

std::vector<std::string> Parts::interests(Rng& rng, std::string_view isco) {
    static constexpr std::string_view k_themes[] = {
        "werken met mensen", "buiten werken",   "techniek",    "dieren",
        "creatief werk",     "vaste structuur", "klantcontact"};
    std::vector<std::string> out = {std::string(profile_for(isco).sector)};
    const auto extra = rng.between(0, 2);
    for (std::int64_t i = 0; i < extra; ++i) {
        const std::string t(k_themes[rng.index(std::size(k_themes))]);
        if (std::find(out.begin(), out.end(), t) == out.end()) {
            out.push_back(t);
        }
    }
    return out;
}

void Parts::cv_timestamps(Rng& rng, const Generator& gen, RecordBuilder& b, DefectSet* set) {
    const std::int64_t as_of = Parts::plan(gen).as_of;
    const bool stale = Parts::draw(rng, gen, Defect::cv_stale, set);
    const std::int64_t updated_age = stale ? rng.between(181, 900) : rng.between(0, 170);
    const std::int64_t created_age = updated_age + (rng.chance(0.3) ? 0 : rng.between(1, 1500));
    const std::int64_t updated = as_of - updated_age * k_day - rng.between(1, k_day - 1);
    const std::int64_t created =
        std::min(updated, as_of - created_age * k_day - rng.between(1, k_day - 1));
    b.set_string("created_at", Parts::timestamp(created));
    b.set_string("updated_at", Parts::timestamp(updated));
}

// cv.banenafspraak.complete: leave out one of the five profile fields.
void Parts::make_incomplete(Rng& rng, RecordBuilder& b) {
    static constexpr std::string_view k_fields[] = {"education", "experience", "travel",
                                                    "hours_per_week", "interests"};
    const std::string_view f = k_fields[rng.index(std::size(k_fields))];
    if (f == "travel") {
        b.set("max_travel_minutes", Value::null());
        b.set("max_travel_km", Value::null());
    } else {
        b.set(f, Value::null());
    }
}

}  // namespace spiegel::demo
