#include "daemon/cards/field_labels.h"

#include <array>
#include <utility>

namespace spiegel::cards {
namespace {

using Label = std::pair<std::string_view, std::string_view>;

// Fields of all three kinds; a name used by more than one kind means the
// same thing in each (postcode, region, skills, ...).
constexpr std::array<Label, 53> k_labels = {{
    {"id", "kenmerk"},
    {"created_at", "aanmaakdatum"},
    {"updated_at", "datum van de laatste wijziging"},
    {"birth_year", "geboortejaar"},
    {"postcode", "postcode"},
    {"municipality", "gemeente"},
    {"region", "arbeidsmarktregio"},
    {"target_groups", "doelgroepen"},
    {"email", "e-mailadres"},
    {"phone", "telefoonnummer"},
    {"summary", "persoonlijke presentatie"},
    {"desired_occupations", "gewenste beroepen"},
    {"education", "opleidingen"},
    {"experience", "werkervaring"},
    {"skills", "vaardigheden"},
    {"languages", "talen"},
    {"driving_licences", "rijbewijzen"},
    {"interests", "interesses"},
    {"hours_per_week", "uren per week"},
    {"hours_per_day", "uren per dag"},
    {"max_travel_minutes", "maximale reistijd"},
    {"max_travel_km", "maximale reisafstand"},
    {"visible", "zichtbaarheid voor werkgevers"},
    {"employer_id", "werkgever"},
    {"received_at", "datum van ontvangst"},
    {"registered_at", "datum van registratie"},
    {"closing_date", "sluitingsdatum"},
    {"status", "status"},
    {"status_note", "toelichting op de status"},
    {"title", "functienaam"},
    {"description", "vacaturetekst"},
    {"occupation_code", "beroep"},
    {"education_level", "opleidingsniveau"},
    {"hours_per_week_min", "minimum aantal uren per week"},
    {"hours_per_week_max", "maximum aantal uren per week"},
    {"contract", "soort contract"},
    {"salary_min", "minimumsalaris"},
    {"salary_max", "maximumsalaris"},
    {"positions", "aantal plaatsen"},
    {"placements", "aantal plaatsingen"},
    {"contact_email", "e-mailadres voor sollicitanten"},
    {"contact_phone", "telefoonnummer voor sollicitanten"},
    {"name", "handelsnaam"},
    {"sector", "sector"},
    {"employees", "aantal werknemers"},
    {"last_contact_at", "datum van het laatste contact"},
    {"account_holder", "accounthouder"},
    {"code", "code"},
    {"level", "niveau"},
    {"start", "begindatum"},
    {"end", "einddatum"},
    {"diploma", "diploma"},
    {"year_end", "eindjaar"},
}};

const Label* find_label(std::string_view field) {
    for (const auto& entry : k_labels) {
        if (entry.first == field) {
            return &entry;
        }
    }
    return nullptr;
}

}  // namespace

std::string field_label(std::string_view field) {
    const Label* entry = find_label(field);
    return std::string(entry ? entry->second : field);
}

bool has_field_label(std::string_view field) {
    return find_label(field) != nullptr;
}

}  // namespace spiegel::cards
