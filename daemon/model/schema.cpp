#include "daemon/model/schema.h"

namespace spiegel::model {
namespace {

using T = FieldType;

constexpr FieldDef k_occupation_item[] = {
    {"code", T::string},
    {"title", T::string},
};
constexpr FieldDef k_education_item[] = {
    {"level", T::string},
    {"name", T::string},
    {"diploma", T::boolean},
    {"year_end", T::integer},
};
constexpr FieldDef k_experience_item[] = {
    {"occupation_code", T::string},
    {"title", T::string},
    {"employer", T::string},
    {"start", T::month},
    {"end", T::month},
    {"description", T::string, true},
};
constexpr FieldDef k_language_item[] = {
    {"code", T::string},
    {"level", T::string},
};

constexpr FieldDef k_cv_fields[] = {
    {"id", T::string},
    {"created_at", T::timestamp},
    {"updated_at", T::timestamp},
    {"birth_year", T::integer},
    {"postcode", T::string},
    {"municipality", T::string},
    {"region", T::string},
    {"target_groups", T::string_array},
    {"email", T::string, true},
    {"phone", T::string, true},
    {"summary", T::string, true},
    {"desired_occupations", T::object_array, false, k_occupation_item},
    {"education", T::object_array, false, k_education_item},
    {"experience", T::object_array, false, k_experience_item},
    {"skills", T::string_array},
    {"languages", T::object_array, false, k_language_item},
    {"driving_licences", T::string_array},
    {"interests", T::string_array},
    {"hours_per_week", T::integer},
    {"hours_per_day", T::number},
    {"max_travel_minutes", T::integer},
    {"max_travel_km", T::integer},
    {"visible", T::boolean},
};

constexpr FieldDef k_vacancy_fields[] = {
    {"id", T::string},
    {"employer_id", T::string},
    {"received_at", T::timestamp},
    {"registered_at", T::timestamp},
    {"updated_at", T::timestamp},
    {"closing_date", T::date},
    {"status", T::string},
    {"status_note", T::string},
    {"title", T::string},
    {"description", T::string},
    {"occupation_code", T::string},
    {"education_level", T::string},
    {"hours_per_week_min", T::integer},
    {"hours_per_week_max", T::integer},
    {"contract", T::string},
    {"salary_min", T::number},
    {"salary_max", T::number},
    {"postcode", T::string},
    {"municipality", T::string},
    {"region", T::string},
    {"positions", T::integer},
    {"placements", T::integer},
    {"target_groups", T::string_array},
    {"skills", T::string_array},
    {"driving_licences", T::string_array},
    {"contact_email", T::string, true},
    {"contact_phone", T::string, true},
};

constexpr FieldDef k_employer_fields[] = {
    {"id", T::string},
    {"name", T::string},
    {"created_at", T::timestamp},
    {"postcode", T::string},
    {"municipality", T::string},
    {"region", T::string},
    {"sector", T::string},
    {"employees", T::integer},
    {"status", T::string},
    {"last_contact_at", T::timestamp},
    {"account_holder", T::string},
};

const KindSchema k_schemas[] = {
    {Kind::cv, "cv", k_cv_fields},
    {Kind::vacancy, "vacancy", k_vacancy_fields},
    {Kind::employer, "employer", k_employer_fields},
};

}  // namespace

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::cv:
            return "cv";
        case Kind::vacancy:
            return "vacancy";
        case Kind::employer:
            return "employer";
    }
    return "?";
}

std::optional<Kind> parse_kind(std::string_view name) {
    for (Kind k : k_all_kinds) {
        if (kind_name(k) == name) {
            return k;
        }
    }
    return std::nullopt;
}

std::string_view field_type_name(FieldType type) {
    switch (type) {
        case T::string:
            return "string";
        case T::integer:
            return "integer";
        case T::number:
            return "number";
        case T::boolean:
            return "boolean";
        case T::timestamp:
            return "timestamp";
        case T::date:
            return "date";
        case T::month:
            return "month";
        case T::string_array:
            return "array of strings";
        case T::object_array:
            return "array of objects";
    }
    return "?";
}

std::optional<std::size_t> KindSchema::slot(std::string_view name) const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

const FieldDef* KindSchema::find(std::string_view name) const {
    const auto s = slot(name);
    return s ? &fields[*s] : nullptr;
}

const KindSchema& schema_for(Kind kind) { return k_schemas[static_cast<std::size_t>(kind)]; }

std::optional<std::size_t> item_slot(const FieldDef& array_field, std::string_view name) {
    for (std::size_t i = 0; i < array_field.item_fields.size(); ++i) {
        if (array_field.item_fields[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > k_max_id_length) {
        return false;
    }
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace spiegel::model
