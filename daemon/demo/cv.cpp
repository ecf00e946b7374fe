// Generation of one CV (docs/demo.md): a person in a region, an education
// level and occupation that fit each other, experience, skills and texts,
// with the configured defects.
#include <algorithm>

#include "daemon/demo/parts.h"

namespace spiegel::demo {
namespace {

using D = Defect;
using model::Value;

struct CvDraft {
    std::string first;
    std::string surname;
    int region = 0;
    std::string municipality;
    std::string level;  // highest education level code
    int rank = 0;
    Generator::Occupation occupation;
    std::vector<std::string> skills;
    std::int64_t years_experience = 0;
    std::int64_t hours_per_week = 0;
    std::vector<std::string> groups;
    std::int64_t birth_year = 0;
};

// Age at which a level's diploma is usually obtained.
std::int64_t graduation_age(int rank) {
    static constexpr std::int64_t k_age[] = {16, 12, 16, 17, 18, 18, 18, 20, 22, 24};
    return k_age[std::clamp(rank, 0, 9)];
}

int band_for_rank(Rng& rng, int rank) {
    if (rank >= 7) {
        return 2;
    }
    if (rank >= 3) {
        return 1;
    }
    return rank == 0 && rng.chance(0.3) ? 1 : 0;
}

std::int64_t birth_year(Rng& rng, int as_of_year) {
    const auto buckets = birth_year_buckets();
    const Bucket& b = buckets[rng.weighted(birth_year_weights())];
    const double hi = b.hi > 0 ? b.hi : static_cast<double>(as_of_year - 17);
    return rng.between(static_cast<std::int64_t>(b.lo), static_cast<std::int64_t>(hi));
}

std::string education_name(Rng& rng, const CvDraft& d) {
    const std::string_view field = profile_for(d.occupation.isco).field;
    if (d.level == "basis") {
        return rng.chance(0.3) ? "Praktijkonderwijs" : "Basisschool";
    }
    if (d.level == "onbekend") {
        return "Opleiding in het buitenland";
    }
    if (d.level == "vmbo") {
        return "VMBO " + std::string(rng.chance(0.5) ? "basisberoepsgerichte leerweg"
                                                     : "kaderberoepsgerichte leerweg");
    }
    if (d.level == "havo_vwo") {
        return rng.chance(0.6) ? "HAVO" : "VWO";
    }
    return Parts::capitalised(Parts::level_name(d.level)) + " " + std::string(field);
}

Value education(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    const int as_of_year = Parts::as_of_year(gen);
    std::vector<Value> entries;
    const bool unknown = Parts::draw(rng, gen, D::cv_unknown_education_level, set);
    Value level = b.str(d.level);
    if (unknown) {
        static constexpr std::string_view k_bad[] = {"", "MBO niveau 2", "hbo-master", "lbo",
                                                     "VMBO-T"};
        level = b.str(k_bad[rng.index(std::size(k_bad))]);
    }
    const bool diploma = rng.chance(d.level == "onbekend" ? 0.3 : 0.8);
    const std::int64_t main_year = std::min<std::int64_t>(
        as_of_year, d.birth_year + graduation_age(d.rank) + rng.between(0, 3));
    entries.push_back(b.object({{"level", level},
                                {"name", b.str(education_name(rng, d))},
                                {"diploma", Value::of_bool(diploma)},
                                {"year_end", Value::of_int(main_year)}}));
    if (d.rank >= 3 && rng.chance(0.5)) {
        entries.push_back(b.object({{"level", b.str("vmbo")},
                                    {"name", b.str("VMBO kaderberoepsgerichte leerweg")},
                                    {"diploma", Value::of_bool(true)},
                                    {"year_end", Value::of_int(d.birth_year + 16)}}));
    }
    return b.array(entries);
}

std::string experience_text(Rng& rng, std::string_view isco, std::string_view employer) {
    const auto tasks = Parts::split(profile_for(isco).tasks);
    std::vector<std::string_view> chosen = {tasks[rng.index(tasks.size())]};
    if (tasks.size() > 1 && rng.chance(0.7)) {
        const auto other = tasks[rng.index(tasks.size())];
        if (other != chosen[0]) {
            chosen.push_back(other);
        }
    }
    static constexpr std::string_view k_regimes[] = {
        "in dagdienst", "in wisselende diensten", "parttime", "fulltime", "via een uitzendbureau"};
    return "Bij " + std::string(employer) + " was ik verantwoordelijk voor " +
           Parts::join(chosen, " en ") + ". Ik werkte hier " +
           std::string(k_regimes[rng.index(std::size(k_regimes))]) + ".";
}

struct ExperienceFlags {
    bool bad_dates = false;
    bool short_text = false;
    std::string bsn;  // non-empty: put into a description
};

// The defects of the first (latest) experience entry.
void first_entry_defects(Rng& rng, RecordBuilder& b, const ExperienceFlags& f, std::int64_t now,
                         std::int64_t end, Value& start_v, Value& end_v, std::string& text) {
    if (f.short_text) {
        static constexpr std::string_view k_short[] = {"Diverse werkzaamheden.", "Zie CV",
                                                       "Magazijnwerk", "Keukenwerk gedaan"};
        text = std::string(k_short[rng.index(std::size(k_short))]);
    }
    if (f.bad_dates) {
        // End before start, no start, a start after the as-of month, or a
        // start typed in another format (the importer keeps such strings;
        // cv.experience.dates reports them).
        static constexpr std::string_view k_malformed[] = {"2019-13", "2019-1", "mei 2019", "03-2018"};
        const auto variant = rng.between(0, 3);
        if (variant == 0) {
            start_v = b.str(Parts::month(end + rng.between(1, 24)));
            end_v = b.str(Parts::month(end));
        } else if (variant == 1) {
            start_v = Value::null();
        } else if (variant == 2) {
            start_v = b.str(Parts::month(now + rng.between(1, 12)));
            end_v = Value::null();
        } else {
            start_v = b.str(k_malformed[rng.index(std::size(k_malformed))]);
        }
    }
    if (!f.bsn.empty()) {
        text += " Mijn BSN is " + f.bsn + ".";
    }
}

Value experience(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d,
                 const ExperienceFlags& f) {
    const std::int64_t now = Parts::as_of_month(gen);
    const std::int64_t n = rng.between(1, 3);
    std::int64_t end = now - (rng.chance(0.5) ? 0 : rng.between(1, 24));
    std::vector<Value> entries;
    for (std::int64_t i = 0; i < n; ++i) {
        // Work from the age of 16 on; older entries are left out.
        std::int64_t start = std::max(end - rng.between(3, 72), (d.birth_year + 16) * 12);
        if (start > end) {
            if (i > 0) {
                break;
            }
            start = end;
        }
        const bool current = i == 0 && end == now;
        const std::string isco = i == 0 || rng.chance(0.6)
                                     ? std::string(d.occupation.isco)
                                     : std::string(Parts::occupation(gen, rng, 0).isco);
        const auto occ = Parts::title_for(gen, rng, isco);
        const std::string employer =
            Parts::company_name(rng, profile_for(isco).sector, d.municipality);
        std::string text = experience_text(rng, isco, employer);
        Value start_v = b.str(Parts::month(start));
        Value end_v = current ? Value::null() : b.str(Parts::month(end));
        if (i == 0) {
            first_entry_defects(rng, b, f, now, end, start_v, end_v, text);
        }
        entries.push_back(b.object({{"occupation_code", b.str(occ.isco)},
                                    {"title", b.str(Parts::capitalised(occ.title))},
                                    {"employer", b.str(employer)},
                                    {"start", start_v},
                                    {"end", end_v},
                                    {"description", b.str(text)}}));
        d.years_experience += (end - start) / 12;
        end = start - rng.between(0, 12);
    }
    return b.array(entries);
}

std::string summary(Rng& rng, const CvDraft& d, bool short_text) {
    const std::string title(d.occupation.title);
    if (short_text) {
        static constexpr std::string_view k_short[] = {"Gemotiveerde kracht zoekt werk als ",
                                                       "Ik zoek werk als ",
                                                       "Op zoek naar een baan als "};
        return std::string(k_short[rng.index(std::size(k_short))]) + title + ".";
    }
    static constexpr std::string_view k_traits[] = {"betrouwbare", "gemotiveerde", "enthousiaste",
                                                    "nauwkeurige", "flexibele",    "sociale"};
    static constexpr std::string_view k_wishes[] = {
        "het liefst bij een werkgever waar ik kan blijven leren",
        "bij voorkeur in een team met fijne collega's",
        "graag in een organisatie waar ik echt iets kan betekenen"};
    const std::string skill_a = d.skills.empty() ? "samenwerken" : d.skills[0];
    const std::string skill_b = d.skills.size() > 1 ? d.skills[1] : "zelfstandig werken";
    const std::string trait(k_traits[rng.index(std::size(k_traits))]);
    const std::string experience = d.years_experience > 0
                                       ? std::to_string(d.years_experience) + " jaar werkervaring"
                                       : std::string("nog weinig werkervaring");
    std::string s;
    switch (rng.between(0, 2)) {
        case 0:
            s = cat("Ik ben een ", trait, " ", title, " uit ", d.municipality, " met ", experience,
                    ".");
            break;
        case 1:
            s = cat("Als ", title, " uit ", d.municipality, " heb ik ", experience, ". Ik ben ",
                    trait.substr(0, trait.size() - 1), " en werk graag.");
            break;
        default:
            s = cat("Ik woon in ", d.municipality, " en ben op zoek naar werk als ", title,
                    ". Ik heb ", experience, ".");
            break;
    }
    s += " Mijn sterke punten zijn " + skill_a + " en " + skill_b + ".";
    s += " Ik zoek een baan van ongeveer " + std::to_string(d.hours_per_week) +
         " uur per week in de regio, " + std::string(k_wishes[rng.index(std::size(k_wishes))]) +
         ".";
    static constexpr std::string_view k_closings[] = {
        " Collega's kennen mij als iemand die afspraken nakomt en altijd op tijd is.",
        " Ik pak nieuwe taken snel op en ben niet bang om aan te pakken.",
        " In mijn vrije tijd sport ik graag en help ik mee bij een vereniging in de buurt."};
    s += k_closings[rng.index(std::size(k_closings))];
    return s;
}

void desired(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    if (Parts::draw(rng, gen, D::cv_missing_occupation, set)) {
        return;
    }
    std::vector<Value> items;
    const auto add = [&](std::string_view code, std::string_view title) {
        items.push_back(b.object(
            {{"code", code.empty() ? Value::null() : b.str(code)}, {"title", b.str(title)}}));
    };
    if (Parts::draw(rng, gen, D::cv_unknown_occupation, set)) {
        static constexpr std::string_view k_bad[] = {"", "9999", "99999", "52", "magazijn"};
        add(k_bad[rng.index(std::size(k_bad))], d.occupation.title);
    } else {
        add(d.occupation.isco, d.occupation.title);
    }
    const auto extra = rng.chance(0.35) ? rng.between(1, 2) : 0;
    for (std::int64_t i = 0; i < extra; ++i) {
        const auto other = rng.chance(0.6)
                               ? Parts::title_for(gen, rng, d.occupation.isco)
                               : Parts::occupation(gen, rng, profile_for(d.occupation.isco).band);
        add(other.isco, other.title);
    }
    b.set("desired_occupations", b.array(items));
}

void contact(Rng& rng, const Generator& gen, RecordBuilder& b, const CvDraft& d, DefectSet* set) {
    const bool none = Parts::draw(rng, gen, D::cv_missing_contact, set);
    const bool no_email = !none && Parts::draw(rng, gen, D::cv_missing_email, set);
    const bool no_phone = !none && !no_email && Parts::draw(rng, gen, D::cv_missing_phone, set);
    // Invalid contact details count as injected only where they are present.
    const bool bad_email = rng.chance(Parts::plan(gen).defects[D::cv_invalid_email]);
    const bool bad_phone = rng.chance(Parts::plan(gen).defects[D::cv_invalid_phone]);
    if (!none && !no_email) {
        if (bad_email) {
            Parts::mark(set, D::cv_invalid_email);
        }
        b.set_string("email", bad_email ? Parts::invalid_email(rng, d.first, d.surname)
                                        : Parts::email(rng, d.first, d.surname));
    }
    if (!none && !no_phone) {
        if (bad_phone) {
            Parts::mark(set, D::cv_invalid_phone);
        }
        b.set_string("phone", bad_phone ? Parts::invalid_phone(rng) : Parts::phone(rng));
    }
}

void location(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    d.region = static_cast<int>(rng.weighted(region_weights()));
    const RegionInfo& region = regions()[static_cast<std::size_t>(d.region)];
    d.municipality = Parts::municipality(rng, region);
    const std::string pc = Parts::postcode(rng, region, rng.chance(0.15));
    b.set_string("postcode", Parts::draw(rng, gen, D::cv_invalid_postcode, set)
                                 ? Parts::invalid_postcode(rng)
                                 : pc);
    b.set_string("municipality", d.municipality);
    if (Parts::draw(rng, gen, D::cv_unknown_region, set)) {
        static constexpr std::string_view k_bad[] = {"",     "AM04",      "AM16",
                                                     "AM99", "Amsterdam", "am18"};
        b.set_string("region", k_bad[rng.index(std::size(k_bad))]);
    } else {
        b.set_string("region", region.code);
    }
}

void availability(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    const auto buckets = hours_per_day_buckets();
    const Bucket& hpd = buckets[rng.weighted(hours_per_day_weights())];
    static constexpr std::int64_t k_weekly[] = {8,  12, 16, 20, 24, 24, 28, 32,
                                                32, 36, 36, 38, 40, 40, 40};
    if (hpd.hi > 0) {
        const double day = hpd.lo + 0.5 * static_cast<double>(rng.between(
                                              0, static_cast<std::int64_t>((hpd.hi - hpd.lo) * 2)));
        b.set("hours_per_day", Value::of_number(day));
        d.hours_per_week = std::clamp<std::int64_t>(
            static_cast<std::int64_t>(day * static_cast<double>(rng.between(3, 5))), 1, 40);
    } else {
        d.hours_per_week = k_weekly[rng.index(std::size(k_weekly))];
    }
    if (Parts::draw(rng, gen, D::cv_bad_hours, set)) {
        const auto v = rng.between(0, 2);
        if (v > 0) {
            b.set_int("hours_per_week", v == 1 ? 0 : rng.between(61, 80));
        }
    } else {
        b.set_int("hours_per_week", d.hours_per_week);
    }
    static constexpr std::int64_t k_minutes[] = {15, 20, 30, 30, 45, 45, 60, 60, 90};
    static constexpr std::int64_t k_km[] = {5, 10, 15, 20, 25, 30, 40, 50};
    if (!Parts::draw(rng, gen, D::cv_no_travel, set)) {
        const double r = rng.real();
        if (r < 0.95) {
            b.set_int("max_travel_minutes", k_minutes[rng.index(std::size(k_minutes))]);
        }
        if (r < 0.85 || r >= 0.95) {
            b.set_int("max_travel_km", k_km[rng.index(std::size(k_km))]);
        }
    }
}

// Who and where: names (for the e-mail only), dates, birth year, place,
// target groups and contact details.
void person(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    d.first = rng.pick(first_names());
    d.surname = rng.pick(surnames());
    Parts::cv_timestamps(rng, gen, b, set);
    const int as_of_year = Parts::as_of_year(gen);
    d.birth_year = birth_year(rng, as_of_year);
    b.set_int("birth_year", d.birth_year);
    if (Parts::draw(rng, gen, D::cv_implausible_birth_year, set)) {
        const auto v = rng.between(0, 2);
        b.set("birth_year", v == 0 ? Value::null()
                                   : Value::of_int(v == 1 ? rng.between(1900, 1939)
                                                          : as_of_year - rng.between(0, 14)));
    }
    location(rng, gen, b, d, set);
    d.groups = Parts::cv_target_groups(rng);
    b.set("target_groups", b.strings(d.groups));
    contact(rng, gen, b, d, set);
}

// What: education level, a fitting occupation, skills, availability.
void profile(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    const auto& edu = education_shares()[rng.weighted(education_weights())];
    d.level = edu.code;
    d.rank = edu.rank;
    d.occupation = Parts::occupation(gen, rng, band_for_rank(rng, d.rank));
    d.skills = Parts::skills(rng, d.occupation.isco, 3);
    availability(rng, gen, b, d, set);
    desired(rng, gen, b, d, set);
    b.set("education", education(rng, gen, b, d, set));
    if (Parts::draw(rng, gen, D::cv_missing_education, set)) {
        b.set("education", Value::null());
    }
}

// Free text: experience and summary, and a BSN in one of them when injected.
void texts(Rng& rng, const Generator& gen, RecordBuilder& b, CvDraft& d, DefectSet* set) {
    ExperienceFlags flags;
    flags.bad_dates = Parts::draw(rng, gen, D::cv_bad_experience_dates, set);
    flags.short_text = Parts::draw(rng, gen, D::cv_short_experience_description, set);
    const bool no_experience = Parts::draw(rng, gen, D::cv_missing_experience, set);
    const bool bsn = Parts::draw(rng, gen, D::cv_bsn_in_text, set);
    // A BSN in a too short description would make it long enough: then the summary.
    const bool bsn_in_summary = bsn && (flags.short_text || no_experience || rng.chance(0.5));
    flags.bsn = bsn && !bsn_in_summary ? Parts::bsn(rng) : std::string();
    const Value entries = experience(rng, gen, b, d, flags);
    b.set("experience", no_experience ? Value::null() : entries);
    std::string text = summary(rng, d, Parts::draw(rng, gen, D::cv_short_summary, set));
    if (bsn_in_summary) {
        text += " BSN: " + Parts::bsn(rng);
    }
    b.set_string("summary", text);
}

}  // namespace

model::Record Generator::cv(std::int64_t n, model::Arena& arena, DefectSet* set) const {
    Rng rng(m_plan.seed, 1, static_cast<std::uint64_t>(n));
    RecordBuilder b(model::Kind::cv, arena);
    CvDraft d;
    b.set_string("id", "cv-" + std::to_string(n));
    person(rng, *this, b, d, set);
    profile(rng, *this, b, d, set);
    texts(rng, *this, b, d, set);
    if (Parts::draw(rng, *this, D::cv_few_skills, set)) {
        d.skills.resize(static_cast<std::size_t>(rng.between(0, 2)));
    }
    b.set("skills", b.strings(d.skills));
    b.set("languages", Parts::languages(rng, b));
    b.set("driving_licences", b.strings(Parts::licences(rng, d.occupation.isco)));
    b.set("interests", b.strings(Parts::interests(rng, d.occupation.isco)));
    b.set("visible", Value::of_bool(rng.chance(0.9)));
    const bool banen =
        std::find(d.groups.begin(), d.groups.end(), "banenafspraak") != d.groups.end();
    if (banen && Parts::draw(rng, *this, D::cv_incomplete_banenafspraak, set)) {
        Parts::make_incomplete(rng, b);
    }
    return b.finish();
}

}  // namespace spiegel::demo
