#pragma once
// A profile of every field of one record kind (issue 13, `spiegeld rules
// suggest`): completeness, distinct values, string shapes, numeric values,
// time values against an instant, array lengths; item fields of object
// arrays too. Pure: records are added one by one (from any RecordStream);
// values stay in memory only and never reach a message. Not thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "daemon/model/record.h"
#include "daemon/model/schema.h"

namespace spiegel::engine {

struct FieldProfile {
    std::string array;  // the object array holding this item field, "" for a top-level field
    std::string name;
    model::FieldType type = model::FieldType::string;
    bool personal = false;
    std::int64_t seen = 0;     // records (top level) or items (item fields) looked at
    std::int64_t present = 0;  // of which not missing

    // string and string_array items: value -> count, up to k_max_values distinct
    std::unordered_map<std::string, std::int64_t> values;
    bool values_overflow = false;
    std::int64_t string_values = 0;  // strings counted (array items one by one)
    // string: shape ("9999 aa") -> count, up to k_max_shapes; longest value in bytes
    std::unordered_map<std::string, std::int64_t> shapes;
    bool shapes_overflow = false;
    std::size_t max_length = 0;
    // string: distinct values (for uniqueness), up to k_max_distinct
    std::unordered_set<std::string> distinct;
    bool distinct_overflow = false;
    // integer, number
    std::vector<double> numbers;
    // timestamp, date, month: values after the instant, values that do not parse
    std::int64_t future = 0;
    std::int64_t unparsed = 0;
    std::int64_t times = 0;
    // arrays: length -> present arrays of that length (lengths above 100 count as 100)
    std::unordered_map<std::int64_t, std::int64_t> lengths;

    std::string path() const { return array.empty() ? name : array + "." + name; }
};

inline constexpr std::size_t k_max_values = 2000;
inline constexpr std::size_t k_max_shapes = 64;
inline constexpr std::size_t k_max_distinct = 2'000'000;

// "Kort 12-b" -> "aaaa 99-a": ASCII digits become 9, ASCII letters a, other
// characters stay; runs are kept at their length.
std::string string_shape(std::string_view value);

class KindProfiler {
public:
    // `now`: the instant time values are compared with (seconds since the epoch).
    KindProfiler(model::Kind kind, std::int64_t now);
    void add(const model::Record& record);
    model::Kind kind() const { return m_kind; }
    std::int64_t records() const { return m_records; }
    std::int64_t now() const { return m_now; }
    // Top-level fields first in schema order, each object array followed by its item fields.
    const std::vector<FieldProfile>& fields() const { return m_fields; }

private:
    void add_value(FieldProfile& p, const model::Value& v);
    model::Kind m_kind;
    std::int64_t m_now;
    std::int64_t m_now_month = 0;  // parse_month's scale
    std::int64_t m_records = 0;
    std::vector<FieldProfile> m_fields;
    std::vector<std::size_t> m_top;                  // schema slot -> index in m_fields
    std::vector<std::vector<std::size_t>> m_items;   // schema slot -> indexes of its item fields
};

}  // namespace spiegel::engine
