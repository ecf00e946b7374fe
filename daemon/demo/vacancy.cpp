// Generation of one vacancy: an occupation at an employer's location, a
// Dutch title and description from templates, status, dates, hours,
// salary and target-group flags, with the configured defects.
#include <algorithm>

#include "daemon/demo/parts.h"
#include "daemon/util/time.h"

namespace spiegel::demo {
namespace {

using D = Defect;
using model::Value;

constexpr std::uint64_t k_vacancy_stream = 2;

struct VacancyDraft {
    std::string employer_name;
    std::string municipality;
    Generator::Occupation occupation;
    std::string level;
    std::string contract;
    std::int64_t hours_min = 0;
    std::int64_t hours_max = 0;
    std::int64_t salary = 0;
    std::vector<std::string> skills;
    std::vector<std::string> groups;
};

bool has(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::int64_t pick_employer(Rng& rng, const Generator& gen, Generator::EmployerCore& core,
                           DefectSet* set) {
    const std::int64_t count = gen.plan().employers;
    if (Parts::draw(rng, gen, D::vacancy_unknown_employer, set) || count == 0) {
        return rng.chance(0.3) ? 0 : count + rng.between(1, 1000);
    }
    std::int64_t k = rng.between(1, count);
    core = gen.employer_core(k);
    for (int tries = 0; tries < 8 && core.ceased && !core.keeps_open; ++tries) {
        k = rng.between(1, count);
        core = gen.employer_core(k);
    }
    return k;
}

std::string level_for(Rng& rng, int band) {
    static constexpr std::string_view k_levels[3][3] = {
        {"basis", "vmbo", "mbo1"}, {"mbo2", "mbo3", "mbo4"}, {"hbo", "hbo", "wo"}};
    return std::string(k_levels[band][rng.index(3)]);
}

std::string description(Rng& rng, const VacancyDraft& d) {
    const std::string title(d.occupation.title);
    const auto& profile = profile_for(d.occupation.isco);
    auto tasks = Parts::split(profile.tasks);
    std::string s = d.employer_name + " in " + d.municipality + " zoekt een " + title + ". ";
    s += "Als " + title + " ben je verantwoordelijk voor " + Parts::join(tasks, " en ") + ". ";
    static constexpr std::string_view k_team[] = {"een hecht team", "een klein team",
                                                  "een afdeling", "een groeiend bedrijf"};
    s += "Je werkt in " + std::string(k_team[rng.index(std::size(k_team))]) + " met " +
         std::to_string(rng.between(3, 40)) + " collega's en je krijgt een goede inwerkperiode. ";
    s += cat("Wat vragen wij? Je hebt minimaal een diploma ", Parts::level_name(d.level),
             ", bij voorkeur in de richting ", profile.field, ". ");
    if (d.skills.size() >= 2) {
        s += "Ervaring met " + d.skills[0] + " en " + d.skills[1] + " is een pre. ";
    }
    if (rng.chance(0.4)) {
        s += "Je hebt minimaal " + std::to_string(rng.between(1, 5)) +
             " jaar werkervaring in een vergelijkbare functie. ";
    }
    const std::string hours = d.hours_min == d.hours_max ? std::to_string(d.hours_max)
                                                         : cat(std::to_string(d.hours_min), " tot ",
                                                               std::to_string(d.hours_max));
    s += cat("Wat bieden wij? Een ", d.contract, " contract voor ", hours,
             " uur per week, een goed salaris volgens de cao en reiskostenvergoeding. ");
    s += "Interesse? Solliciteer via de knop op deze pagina of bel met onze afdeling "
         "personeelszaken.";
    return s;
}

std::string discriminating(Rng& rng) {
    static constexpr std::string_view k_phrases[] = {
        " Je bent maximaal 30 jaar oud.",
        " Leeftijd: max. 25 jaar.",
        " Je bent niet ouder dan 40 jaar.",
        " Je bent tussen 18 en 25 jaar.",
        " Je komt in een jong en dynamisch team.",
        " Wij zoeken alleen mannen voor dit zware werk.",
        " Uitsluitend dames kunnen reageren.",
        " Je spreekt Nederlands als moedertaal.",
        " Je spreekt accentloos Nederlands.",
        " Wij zoeken een native speaker.",
        " Ideaal voor een scholier of schoolverlater."};
    return std::string(k_phrases[rng.index(std::size(k_phrases))]);
}

std::vector<std::string> target_groups(Rng& rng) {
    std::vector<std::string> g;
    const double r = rng.real();
    if (r < 0.08) {
        g.emplace_back("banenafspraak");
        if (rng.chance(0.4)) {
            g.emplace_back("wajong");
        }
    } else if (r < 0.15) {
        g.emplace_back("jongeren");
    } else if (r < 0.20) {
        g.emplace_back("50plus");
    } else if (r < 0.23) {
        g.emplace_back(rng.chance(0.5) ? "ww" : "bijstand");
    }
    return g;
}

std::string text_with_flags(Rng& rng, const Generator& gen, VacancyDraft& d, DefectSet* set) {
    const bool short_text = Parts::draw(rng, gen, D::vacancy_short_description, set);
    std::string text = short_text ? Parts::capitalised(d.occupation.title) + " gezocht in " +
                                        d.municipality + ". Reageer snel!"
                                  : description(rng, d);
    if (has(d.groups, "banenafspraak")) {
        text += " Deze vacature is ook geschikt voor kandidaten uit de doelgroep banenafspraak.";
    }
    if (has(d.groups, "wajong")) {
        text += " Wij staan open voor kandidaten met een Wajong-uitkering.";
    }
    if (has(d.groups, "jongeren")) {
        text += " Ben jij schoolverlater of pas afgestudeerd? Dan ben je van harte welkom.";
    }
    if (has(d.groups, "50plus")) {
        text += " Wij verwelkomen nadrukkelijk ervaren kandidaten van vijftig jaar en ouder.";
    }
    const bool open_to_flags = !has(d.groups, "jongeren") && !has(d.groups, "50plus");
    if (open_to_flags && Parts::draw(rng, gen, D::vacancy_discriminating_wording, set)) {
        text += discriminating(rng);
    }
    if (Parts::draw(rng, gen, D::vacancy_unflagged_target_group, set)) {
        const bool banen = rng.chance(0.5);
        std::erase(d.groups, banen ? "banenafspraak" : "wajong");
        text += banen ? " Deze functie past bij de banenafspraak."
                      : " Ook Wajong-kandidaten zijn welkom.";
    }
    return text;
}

// Contact for applicants: e-mail and/or phone; none for some open ones.
void contact(Rng& rng, const Generator& gen, RecordBuilder& b, const std::string& domain, bool open,
             DefectSet* set) {
    if (open && Parts::draw(rng, gen, D::vacancy_no_contact, set)) {
        return;
    }
    const double r = rng.real();
    if (r < 0.85) {
        static constexpr std::string_view k_boxes[] = {"vacatures", "werken", "hr", "sollicitaties",
                                                       "info"};
        b.set_string("contact_email", cat(k_boxes[rng.index(std::size(k_boxes))], "@", domain));
    }
    if (r >= 0.6) {
        b.set_string("contact_phone", Parts::phone(rng));
    }
}

void status_and_dates(Rng& rng, const Generator& gen, RecordBuilder& b, const std::string& domain,
                      DefectSet* set) {
    static constexpr std::string_view k_statuses[] = {"open", "anoniem", "geen", "geblokkeerd"};
    static constexpr double k_status_weights[] = {62, 18, 12, 8};
    const std::string_view status = k_statuses[rng.weighted(k_status_weights)];
    const bool live = status == "open" || status == "anoniem";
    const std::int64_t as_of = gen.plan().as_of;
    const std::int64_t received_age = live ? rng.between(1, 90) : rng.between(20, 400);
    std::int64_t received = as_of - received_age * k_day - rng.between(1, k_day - 1);
    std::int64_t delay =
        rng.chance(0.6) ? rng.between(5 * 60, 4 * k_hour) : rng.between(4 * k_hour, 23 * k_hour);
    if (Parts::draw(rng, gen, D::vacancy_late_registration, set)) {
        delay = rng.between(25 * k_hour, 10 * k_day);
    }
    received = std::min(received, as_of - delay - 60);
    const std::int64_t registered = received + delay;
    b.set_string("received_at", Parts::timestamp(received));
    b.set_string("registered_at", Parts::timestamp(registered));
    b.set_string("updated_at",
                 Parts::timestamp(registered + rng.between(0, as_of - registered - 1)));
    std::int64_t closing = received / k_day + rng.between(28, 90);
    const std::int64_t today = as_of / k_day;
    if (live && closing < today) {
        closing = today + rng.between(3, 45);
    }
    if (live && Parts::draw(rng, gen, D::vacancy_expired_open, set)) {
        closing = today - rng.between(1, 60);
    }
    b.set_string("closing_date", util::format_date(closing));
    if (Parts::draw(rng, gen, D::vacancy_unknown_status, set)) {
        static constexpr std::string_view k_bad[] = {"", "gesloten", "concept", "Open", "vervuld"};
        b.set_string("status", k_bad[rng.index(std::size(k_bad))]);
    } else {
        b.set_string("status", status);
    }
    if (status == "geblokkeerd" && !Parts::draw(rng, gen, D::vacancy_blocked_without_note, set)) {
        static constexpr std::string_view k_notes[] = {
            "Werkgever reageert niet op contactpogingen.",
            "Vacature bevat tekst die niet aan de richtlijnen voldoet.",
            "Dubbel aangemeld; zie de andere vacature.",
            "Werkgever heeft de vacature ingetrokken."};
        b.set_string("status_note", k_notes[rng.index(std::size(k_notes))]);
    }
    contact(rng, gen, b, domain, status == "open", set);
}

void hours_and_pay(Rng& rng, const Generator& gen, RecordBuilder& b, VacancyDraft& d, int band,
                   DefectSet* set) {
    static constexpr std::int64_t k_hours[][2] = {{32, 40}, {24, 32}, {36, 40}, {16, 24}, {38, 38},
                                                  {20, 32}, {12, 20}, {40, 40}, {32, 36}};
    const auto& h = k_hours[rng.index(std::size(k_hours))];
    d.hours_min = h[0];
    d.hours_max = h[1];
    if (Parts::draw(rng, gen, D::vacancy_bad_hours, set)) {
        const auto v = rng.between(0, 3);
        if (v != 0) {
            b.set_int("hours_per_week_min", v == 1 ? d.hours_max + 8 : (v == 2 ? 0 : d.hours_min));
        }
        b.set_int("hours_per_week_max", v == 3 ? rng.between(61, 80) : d.hours_max);
    } else {
        b.set_int("hours_per_week_min", d.hours_min);
        b.set_int("hours_per_week_max", d.hours_max);
    }
    static constexpr std::int64_t k_base[] = {2100, 2600, 3600};
    d.salary = (k_base[band] + rng.between(0, band == 2 ? 40 : 12) * 50);
    const bool missing = Parts::draw(rng, gen, D::vacancy_missing_salary, set);
    const bool inverted = Parts::draw(rng, gen, D::vacancy_inverted_salary, set);
    if (!missing) {
        b.set("salary_min", Value::of_number(static_cast<double>(d.salary)));
    }
    if (inverted) {
        b.set("salary_max",
              Value::of_number(static_cast<double>(d.salary - rng.between(2, 10) * 50)));
    } else if (rng.chance(0.8)) {
        b.set("salary_max",
              Value::of_number(static_cast<double>(d.salary + rng.between(2, 18) * 50)));
    }
}

// The employer, or none, and the work location (the employer's mostly).
Generator::EmployerCore place(Rng& rng, const Generator& gen, RecordBuilder& b, VacancyDraft& d,
                              DefectSet* set) {
    Generator::EmployerCore core;
    core.region = static_cast<int>(rng.weighted(region_weights()));
    const std::int64_t employer = pick_employer(rng, gen, core, set);
    const RegionInfo& region = regions()[static_cast<std::size_t>(core.region)];
    if (employer > 0) {
        b.set_string("employer_id", "emp-" + std::to_string(employer));
    }
    d.municipality =
        core.municipality.empty() ? Parts::municipality(rng, region) : core.municipality;
    d.employer_name = core.name.empty()
                          ? Parts::company_name(rng, "zakelijke_dienstverlening", d.municipality)
                          : core.name;
    const std::string pc = core.postcode.empty() || rng.chance(0.3)
                               ? Parts::postcode(rng, region, false)
                               : core.postcode;
    b.set_string("postcode", Parts::draw(rng, gen, D::vacancy_invalid_postcode, set)
                                 ? Parts::invalid_postcode(rng)
                                 : pc);
    b.set_string("municipality", d.municipality);
    b.set_string("region", region.code);
    return core;
}

std::string mail_domain(std::string name) {
    for (std::string_view form : {" B.V.", " V.O.F.", " N.V.", " BV"}) {
        if (name.ends_with(form)) {
            name.resize(name.size() - form.size());
        }
    }
    return Parts::ascii_slug(name) + ".nl";
}

// The job: occupation, level, contract, skills, target groups, codes.
void job(Rng& rng, const Generator& gen, RecordBuilder& b, VacancyDraft& d, DefectSet* set) {
    static constexpr double k_band_weights[] = {45, 40, 15};
    const int band = static_cast<int>(rng.weighted(k_band_weights));
    d.occupation = Parts::occupation(gen, rng, band);
    const int fit = profile_for(d.occupation.isco).band;  // level and pay follow the occupation
    d.level = level_for(rng, fit);
    static constexpr std::string_view k_contracts[] = {"vast", "tijdelijk", "uitzend", "leerbaan"};
    static constexpr double k_contract_weights[] = {30, 40, 25, 5};
    d.contract = k_contracts[rng.weighted(k_contract_weights)];
    d.skills = Parts::skills(rng, d.occupation.isco, 2);
    d.groups = target_groups(rng);
    hours_and_pay(rng, gen, b, d, fit, set);
    b.set_string("occupation_code", Parts::draw(rng, gen, D::vacancy_unknown_occupation, set)
                                        ? std::string(rng.chance(0.4) ? "" : "99999")
                                        : std::string(d.occupation.isco));
    b.set_string("education_level", Parts::draw(rng, gen, D::vacancy_unknown_education, set)
                                        ? std::string(rng.chance(0.4) ? "" : "MBO niveau 3")
                                        : d.level);
    b.set_string("contract", d.contract);
    std::vector<std::string> licences;
    if (d.occupation.isco == "8332") {
        licences = {"C", "CE"};
    } else if (d.occupation.isco.substr(0, 2) == "83" || rng.chance(0.1)) {
        licences = {"B"};
    }
    b.set("driving_licences", b.strings(licences));
}

// Positions and placements (seed 004: one position, raised per placement).
void positions(Rng& rng, const Generator& gen, RecordBuilder& b, DefectSet* set) {
    const std::int64_t placements = rng.chance(0.7) ? 0 : rng.between(1, 3);
    const bool extra = Parts::draw(rng, gen, D::vacancy_extra_positions, set);
    b.set_int("positions", placements + (extra ? rng.between(2, 9) : (rng.chance(0.8) ? 1 : 0)));
    if (placements > 0 || rng.chance(0.5)) {
        b.set_int("placements", placements);
    }
}

}  // namespace

model::Record Generator::vacancy(std::int64_t n, model::Arena& arena, DefectSet* set) const {
    Rng rng(m_plan.seed, k_vacancy_stream, static_cast<std::uint64_t>(n));
    RecordBuilder b(model::Kind::vacancy, arena);
    VacancyDraft d;
    b.set_string("id", "vac-" + std::to_string(n));
    place(rng, *this, b, d, set);
    status_and_dates(rng, *this, b, mail_domain(d.employer_name), set);
    job(rng, *this, b, d, set);
    b.set_string("title", Parts::capitalised(d.occupation.title));
    b.set_string("description", text_with_flags(rng, *this, d, set));
    positions(rng, *this, b, set);
    b.set("target_groups", b.strings(d.groups));
    b.set("skills", b.strings(d.skills));
    return b.finish();
}

}  // namespace spiegel::demo
