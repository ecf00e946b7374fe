#include "daemon/model/value.h"

namespace spiegel::model {

Value Value::of_bool(bool b) {
    Value v;
    v.type = ValueType::boolean;
    v.boolean = b;
    return v;
}

Value Value::of_int(std::int64_t i) {
    Value v;
    v.type = ValueType::integer;
    v.integer = i;
    return v;
}

Value Value::of_number(double d) {
    Value v;
    v.type = ValueType::number;
    v.number = d;
    return v;
}

Value Value::of_string(std::string_view s) {
    Value v;
    v.type = ValueType::string;
    v.string = s;
    return v;
}

Value Value::of_array(std::span<const Value> items) {
    Value v;
    v.type = ValueType::array;
    v.items = items;
    return v;
}

Value Value::of_object(std::span<const Member> members) {
    Value v;
    v.type = ValueType::object;
    v.members = members;
    return v;
}

const Value& Value::get(std::string_view key) const {
    for (const Member& m : members) {
        // The first byte rules out most keys without a memcmp call.
        if (m.key.size() == key.size() && (key.empty() || (m.key[0] == key[0] && m.key == key))) {
            return m.value;
        }
    }
    return null_value();
}

const Value& null_value() {
    static const Value k_null;
    return k_null;
}

}  // namespace spiegel::model
