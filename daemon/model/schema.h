#pragma once
// The record contract (docs/records.md): the three kinds and their fields.
// This table is the single source of truth for the importer's type checks,
// the source database's columns and the rule compiler's field names.

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>

namespace spiegel::model {

enum class Kind : std::uint8_t { cv, vacancy, employer };
inline constexpr Kind k_all_kinds[] = {Kind::cv, Kind::vacancy, Kind::employer};
inline constexpr std::size_t k_kind_count = std::size(k_all_kinds);
// One value per record kind, indexed by static_cast<std::size_t>(Kind).
template <class T>
using PerKind = std::array<T, k_kind_count>;
constexpr std::size_t index_of(Kind kind) { return static_cast<std::size_t>(kind); }

std::string_view kind_name(Kind kind);
std::optional<Kind> parse_kind(std::string_view name);

enum class FieldType : std::uint8_t {
    string,
    integer,
    number,
    boolean,
    timestamp,     // RFC 3339 string, stored normalised to UTC
    date,          // YYYY-MM-DD string
    month,         // YYYY-MM string
    string_array,  // array of strings
    object_array,  // array of objects with item_fields
};

std::string_view field_type_name(FieldType type);

struct FieldDef {
    std::string_view name;
    FieldType type;
    bool personal = false;                   // never logged, never shown outside personal cards
    std::span<const FieldDef> item_fields{}; // object_array only
};

struct KindSchema {
    Kind kind;
    std::string_view table;  // source database table
    std::span<const FieldDef> fields;  // fields[0] is always "id"

    // Index of a top-level field in `fields`, or nullopt.
    std::optional<std::size_t> slot(std::string_view name) const;
    const FieldDef* find(std::string_view name) const;
};

const KindSchema& schema_for(Kind kind);

// Index of an item field within an object_array field, or nullopt.
std::optional<std::size_t> item_slot(const FieldDef& array_field, std::string_view name);

// Ids: 1..64 characters from [A-Za-z0-9._-].
bool valid_id(std::string_view id);

inline constexpr std::size_t k_max_id_length = 64;

}  // namespace spiegel::model
