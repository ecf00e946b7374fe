#pragma once
// A read-only JSON-like value. Values, their strings and their children live
// in an Arena owned by whoever produced them (the importer, the source
// reader, a test); a Value is valid as long as that arena is.

#include <cstdint>
#include <span>
#include <string_view>

namespace spiegel::model {

enum class ValueType : std::uint8_t { null, boolean, integer, number, string, array, object };

struct Member;

struct Value {
    ValueType type = ValueType::null;
    union {
        bool boolean;
        std::int64_t integer;
        double number;
    };
    std::string_view string;         // type == string
    std::span<const Value> items;    // type == array
    std::span<const Member> members; // type == object

    Value() : integer(0) {}

    static Value null() { return Value{}; }
    static Value of_bool(bool b);
    static Value of_int(std::int64_t i);
    static Value of_number(double d);
    static Value of_string(std::string_view s);  // s must outlive the value (arena)
    static Value of_array(std::span<const Value> items);
    static Value of_object(std::span<const Member> members);

    bool is_null() const { return type == ValueType::null; }
    bool is_string() const { return type == ValueType::string; }
    bool is_array() const { return type == ValueType::array; }
    bool is_object() const { return type == ValueType::object; }
    bool is_numeric() const { return type == ValueType::integer || type == ValueType::number; }
    double as_double() const { return type == ValueType::integer ? static_cast<double>(integer) : number; }

    // "Missing" in the rule language: absent, null, "" or an empty array.
    bool is_missing() const {
        return type == ValueType::null || (type == ValueType::string && string.empty()) ||
               (type == ValueType::array && items.empty());
    }

    // Member lookup on an object; a null value when absent or not an object.
    const Value& get(std::string_view key) const;
};

struct Member {
    std::string_view key;
    Value value;
};

// The shared null value returned for absent fields.
const Value& null_value();

}  // namespace spiegel::model
