#include "daemon/model/json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <span>

#include "daemon/model/schema.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::model {

struct JsonParser::Impl {
    JsonLimits limits;
    simdjson::dom::parser parser;
    std::string error_field;
};

namespace {

using Element = simdjson::dom::element;

// A JSON scalar as parse() converts it; false for containers.
bool scalar_value(Element el, Arena& arena, std::size_t max_string, Value& out) {
    switch (el.type()) {
        case simdjson::dom::element_type::STRING: {
            const std::string_view s = el.get_string().value_unsafe();
            if (s.size() > max_string) {
                return false;
            }
            out = Value::of_string(arena.copy(s));
            return true;
        }
        case simdjson::dom::element_type::INT64:
            out = Value::of_int(el.get_int64().value_unsafe());
            return true;
        case simdjson::dom::element_type::UINT64:
            out = Value::of_number(static_cast<double>(el.get_uint64().value_unsafe()));
            return true;
        case simdjson::dom::element_type::DOUBLE:
            out = Value::of_number(el.get_double().value_unsafe());
            return true;
        case simdjson::dom::element_type::BOOL:
            out = Value::of_bool(el.get_bool().value_unsafe());
            return true;
        case simdjson::dom::element_type::NULL_VALUE:
            out = Value::null();
            return true;
        default:
            return false;
    }
}

struct Converter {
    Arena& arena;
    const JsonLimits& limits;
    std::string error;

    // Whether one of the first `n` members has `key`: a repeated key is
    // ambiguous (which "id" is the record's?), JSON leaves it open, so it is
    // refused, here and by the fast array decoder alike.
    static bool repeated(const std::span<Member> members, std::size_t n, std::string_view key) {
        return std::any_of(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(n),
                           [&](const Member& m) { return m.key == key; });
    }

    // A key for a message: a field of the record contract by name (an item
    // field of an object array as "education[].level"); any other key is
    // text from the line (it may be a name or an address), so it is never
    // repeated. `parent` is the top-level field the key is inside ("" at
    // the top).
    static std::string field_name(std::string_view key, std::string_view parent = {}) {
        for (const Kind kind : k_all_kinds) {
            const KindSchema& schema = schema_for(kind);
            if (parent.empty() && schema.slot(key)) {
                return "field " + util::quoted(key);
            }
            if (const auto slot = parent.empty() ? std::nullopt : schema.slot(parent)) {
                const FieldDef& def = schema.fields[*slot];
                if (def.type == FieldType::object_array && item_slot(def, key)) {
                    return "field " + util::quoted(std::string(parent) + "[]." + std::string(key));
                }
            }
        }
        return "a field that is not in the record contract";
    }

    bool convert(simdjson::dom::element el, Value& out, std::size_t depth,
                 std::string_view field) {
        if (depth > limits.max_depth) {
            error = "JSON nested deeper than " + std::to_string(limits.max_depth) + " levels";
            return false;
        }
        switch (el.type()) {
            case simdjson::dom::element_type::ARRAY: {
                const simdjson::dom::array arr = el.get_array().value_unsafe();
                auto items = arena.values(arr.size());
                std::size_t i = 0;
                for (simdjson::dom::element child : arr) {
                    if (!convert(child, items[i++], depth + 1, field)) {
                        return false;
                    }
                }
                out = Value::of_array(items);
                return true;
            }
            case simdjson::dom::element_type::OBJECT: {
                const simdjson::dom::object obj = el.get_object().value_unsafe();
                auto members = arena.members(obj.size());
                std::size_t i = 0;
                for (auto [key, child] : obj) {
                    if (key.size() > limits.max_string_bytes) {  // keys are strings too
                        error = "string longer than " + std::to_string(limits.max_string_bytes) +
                                " bytes (a field name)";
                        return false;
                    }
                    if (repeated(members, i, key)) {
                        error = field_name(key, depth == 0 ? std::string_view{} : field) + " appears twice in one object";
                        return false;
                    }
                    Member& m = members[i++];
                    m.key = arena.copy(key);
                    if (!convert(child, m.value, depth + 1, depth == 0 ? key : field)) {
                        return false;
                    }
                }
                out = Value::of_object(members);
                return true;
            }
            default:
                break;
        }
        if (scalar_value(el, arena, limits.max_string_bytes, out)) {
            return true;
        }
        // scalar_value() refuses one scalar only: a string over the limit.
        error = "string longer than " + std::to_string(limits.max_string_bytes) + " bytes";
        if (!field.empty()) {
            error += " in " + field_name(field);
        }
        return false;
    }
};

}  // namespace

JsonParser::JsonParser(JsonLimits limits) : m_impl(std::make_unique<Impl>()) {
    m_impl->limits = limits;
}

JsonParser::~JsonParser() = default;

util::Expected<Value> JsonParser::parse(std::string_view text, Arena& arena) {
    simdjson::dom::element root;
    const auto err = m_impl->parser.parse(text.data(), text.size(), true).get(root);
    if (err) {
        if (err == simdjson::UTF8_ERROR) {
            return util::Error{"invalid UTF-8"};
        }
        if (err == simdjson::DEPTH_ERROR) {
            return util::Error{"JSON nested too deeply"};
        }
        if (err == simdjson::EMPTY) {
            return util::Error{"empty line is not a JSON object"};
        }
        if (err == simdjson::NUMBER_ERROR) {
            // Valid JSON allows any magnitude; what is read is a 64-bit
            // integer or a finite double.
            return util::Error{"a number that is malformed or out of range (integers up to 64 bits, finite "
                               "decimals)"};
        }
        return util::Error{std::string("not valid JSON (") + simdjson::error_message(err) + ")"};
    }
    Converter conv{arena, m_impl->limits, {}};
    Value out;
    if (!conv.convert(root, out, 0, {})) {
        return util::Error{conv.error};
    }
    return out;
}

namespace {

// Whether check_field() keeps a converted item field value as it is.
bool accepted_as_is(FieldType type, const Value& v) {
    switch (v.type) {
        case ValueType::null:
            return true;
        case ValueType::string:
            return type == FieldType::string || type == FieldType::date || type == FieldType::month;
        case ValueType::integer:
            return type == FieldType::integer || type == FieldType::number;
        case ValueType::number:
            return type == FieldType::number;
        case ValueType::boolean:
            return type == FieldType::boolean;
        default:
            return false;
    }
}

// One item of an object_array field: an object of scalars.
bool object_item(const FieldDef& def, Element el, Arena& arena, std::size_t max_string, Value& out) {
    simdjson::dom::object object;
    if (el.get_object().get(object)) {
        return false;
    }
    auto members = arena.members(object.size());
    std::size_t i = 0;
    for (auto [key, child] : object) {
        if (key.size() > max_string) {
            return false;
        }
        if (Converter::repeated(members, i, key)) {
            return false;  // parse() refuses it, and says why
        }
        Member& m = members[i++];
        m.key = arena.copy(key);
        if (!scalar_value(child, arena, max_string, m.value)) {
            return false;
        }
        const auto slot = item_slot(def, key);
        if (slot && !accepted_as_is(def.item_fields[*slot].type, m.value)) {
            return false;
        }
    }
    out = Value::of_object(members);
    return true;
}

}  // namespace

bool JsonParser::decode_array_field(const FieldDef& def, std::string_view text, Arena& arena, Value& out) {
    const bool objects = def.type == FieldType::object_array;
    if (!objects && def.type != FieldType::string_array) {
        return false;
    }
    simdjson::dom::element root;
    simdjson::dom::array array;
    if (m_impl->parser.parse(text.data(), text.size(), true).get(root) || root.get_array().get(array)) {
        return false;
    }
    const std::size_t max_string = m_impl->limits.max_string_bytes;
    auto items = arena.values(array.size());
    std::size_t i = 0;
    for (Element el : array) {
        Value& item = items[i++];
        if (objects ? !object_item(def, el, arena, max_string, item)
                    : !(el.is_string() && scalar_value(el, arena, max_string, item))) {
            return false;
        }
    }
    out = Value::of_array(items);
    return true;
}

void write_json_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t plain = 0;  // start of the run of characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            // Valid UTF-8 passes as it is; a byte that starts no valid
            // sequence (an id an ETL job wrote) becomes U+FFFD, so every
            // line written is JSON in UTF-8.
            std::size_t next = i;
            const char32_t cp = util::next_code_point(s, next);
            if (cp != 0xFFFD || next - i == 3) {
                i = next - 1;
                continue;
            }
            if (i > plain) {
                out.append(s.data() + plain, i - plain);
            }
            out += "\xEF\xBF\xBD";
            plain = next;
            i = next - 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        if (i > plain) {
            out.append(s.data() + plain, i - plain);
        }
        plain = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                out += "\\u00";
                out.push_back(k_hex[c >> 4]);
                out.push_back(k_hex[c & 0xF]);
        }
    }
    if (s.size() > plain) {
        out.append(s.data() + plain, s.size() - plain);
    }
    out.push_back('"');
}

void write_json(std::string& out, const Value& v) {
    switch (v.type) {
        case ValueType::null:
            out += "null";
            return;
        case ValueType::boolean:
            out += v.boolean ? "true" : "false";
            return;
        case ValueType::integer: {
            char buf[24];
            const auto r = std::to_chars(buf, buf + sizeof buf, v.integer);
            out.append(buf, r.ptr);
            return;
        }
        case ValueType::number: {
            if (!std::isfinite(v.number)) {
                out += "null";
                return;
            }
            char buf[32];
            // Shortest form; a whole number beyond the 64-bit range would
            // print as a 20-digit integer that JSON readers (simdjson, the
            // importer) refuse, so it gets an exponent instead.
            const bool huge = std::fabs(v.number) >= 9.2e18;
            const auto r = huge ? std::to_chars(buf, buf + sizeof buf, v.number, std::chars_format::scientific)
                                : std::to_chars(buf, buf + sizeof buf, v.number);
            out.append(buf, r.ptr);
            return;
        }
        case ValueType::string:
            write_json_string(out, v.string);
            return;
        case ValueType::array: {
            out.push_back('[');
            bool first = true;
            for (const Value& item : v.items) {
                if (!first) {
                    out.push_back(',');
                }
                first = false;
                write_json(out, item);
            }
            out.push_back(']');
            return;
        }
        case ValueType::object: {
            out.push_back('{');
            bool first = true;
            for (const Member& m : v.members) {
                if (!first) {
                    out.push_back(',');
                }
                first = false;
                write_json_string(out, m.key);
                out.push_back(':');
                write_json(out, m.value);
            }
            out.push_back('}');
            return;
        }
    }
}

std::string to_json(const Value& value) {
    std::string out;
    write_json(out, value);
    return out;
}

}  // namespace spiegel::model
