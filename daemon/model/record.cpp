#include "daemon/model/record.h"

#include <cmath>
#include <string>

#include "daemon/model/json.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::model {
namespace {

std::string_view json_type_name(const Value& v) {
    switch (v.type) {
        case ValueType::null:
            return "null";
        case ValueType::boolean:
            return "a boolean";
        case ValueType::integer:
            return "an integer";
        case ValueType::number:
            return "a number";
        case ValueType::string:
            return "a string";
        case ValueType::array:
            return "an array";
        case ValueType::object:
            return "an object";
    }
    return "?";
}

std::string_view expected_name(FieldType t) {
    switch (t) {
        case FieldType::string:
            return "a string";
        case FieldType::integer:
            return "an integer";
        case FieldType::number:
            return "a number";
        case FieldType::boolean:
            return "a boolean";
        case FieldType::timestamp:
            return "an RFC 3339 timestamp string";
        case FieldType::date:
            return "a YYYY-MM-DD date string";
        case FieldType::month:
            return "a YYYY-MM month string";
        case FieldType::string_array:
            return "an array of strings";
        case FieldType::object_array:
            return "an array of objects";
    }
    return "?";
}

util::Error type_error(std::string_view path, FieldType want, const Value& got) {
    return util::Error{"field " + util::quoted(path) + ": expected " +
                       std::string(expected_name(want)) + ", got " +
                       std::string(json_type_name(got))};
}

// `""` where the field is not a string means "not filled in", as null
// does (docs/records.md): such a field is stored as null.
bool empty_for_non_string(FieldType type, const Value& in) {
    return in.is_string() && in.string.empty() && type != FieldType::string && type != FieldType::date &&
           type != FieldType::month && type != FieldType::timestamp;
}

// Checks (and where needed converts) one value against a field type. Writes
// the accepted value to out.
util::Status check_scalar(std::string_view path, FieldType type, const Value& in, Value& out,
                          Arena& arena) {
    out = in;
    if (in.is_null()) {
        return {};
    }
    if (empty_for_non_string(type, in)) {
        out = null_value();
        return {};
    }
    switch (type) {
        case FieldType::string:
        case FieldType::date:
        case FieldType::month:
            if (!in.is_string()) {
                return type_error(path, type, in);
            }
            return {};
        case FieldType::timestamp:
            if (!in.is_string()) {
                return type_error(path, type, in);
            }
            if (const auto t = util::normalize_timestamp(in.string)) {
                out = Value::of_string(arena.copy(*t));
            }
            return {};
        case FieldType::integer:
            if (in.type == ValueType::integer) {
                return {};
            }
            if (in.type == ValueType::number && std::isfinite(in.number) &&
                std::trunc(in.number) == in.number && std::fabs(in.number) < 9.0e15) {
                out = Value::of_int(static_cast<std::int64_t>(in.number));
                return {};
            }
            return type_error(path, type, in);
        case FieldType::number:
            if (!in.is_numeric()) {
                return type_error(path, type, in);
            }
            return {};
        case FieldType::boolean:
            if (in.type != ValueType::boolean) {
                return type_error(path, type, in);
            }
            return {};
        case FieldType::string_array:
        case FieldType::object_array:
            break;
    }
    return {};
}

}  // namespace

util::Status check_field(const FieldDef& def, const Value& in, Value& out, Arena& arena) {
    if (empty_for_non_string(def.type, in)) {
        out = null_value();
        return {};
    }
    if (def.type == FieldType::string_array) {
        out = in;
        if (in.is_null()) {
            return {};
        }
        if (!in.is_array()) {
            return type_error(def.name, def.type, in);
        }
        for (const Value& item : in.items) {
            if (!item.is_string()) {
                return util::Error{"field '" + std::string(def.name) +
                                   "': expected an array of strings, found " +
                                   std::string(json_type_name(item)) + " in it"};
            }
        }
        return {};
    }
    if (def.type != FieldType::object_array) {
        return check_scalar(def.name, def.type, in, out, arena);
    }
    out = in;
    if (in.is_null()) {
        return {};
    }
    if (!in.is_array()) {
        return type_error(def.name, def.type, in);
    }
    auto items = arena.values(in.items.size());
    for (std::size_t i = 0; i < in.items.size(); ++i) {
        const Value& item = in.items[i];
        if (!item.is_object()) {
            return util::Error{"field '" + std::string(def.name) + "[" + std::to_string(i) +
                               "]': expected an object, got " + std::string(json_type_name(item))};
        }
        auto members = arena.members(item.members.size());
        for (std::size_t m = 0; m < item.members.size(); ++m) {
            members[m].key = item.members[m].key;
            const auto slot = item_slot(def, item.members[m].key);
            if (!slot) {
                members[m].value = item.members[m].value;  // unknown item field: kept
                continue;
            }
            const FieldType type = def.item_fields[*slot].type;
            // The path is built only for the error: this loop is the import hot path.
            if (!check_scalar({}, type, item.members[m].value, members[m].value, arena)) {
                const std::string path = std::string(def.name) + "[" + std::to_string(i) + "]." +
                                         std::string(members[m].key);
                return type_error(path, type, item.members[m].value);
            }
        }
        items[i] = Value::of_object(members);
    }
    out = Value::of_array(items);
    return {};
}

const Value& Record::field(std::string_view name) const {
    const auto slot = schema_for(kind).slot(name);
    return slot ? field(*slot) : null_value();
}

util::Expected<Record> record_from_json(Kind kind, const Value& object, Arena& arena) {
    if (!object.is_object()) {
        return util::Error{"not a JSON object"};
    }
    const KindSchema& schema = schema_for(kind);
    auto fields = arena.values(schema.fields.size());
    std::size_t unknown = 0;
    for (const Member& m : object.members) {
        const auto slot = schema.slot(m.key);
        if (!slot) {
            ++unknown;
            continue;
        }
        auto st = check_field(schema.fields[*slot], m.value, fields[*slot], arena);
        if (!st) {
            return st.error();
        }
    }
    const Value& id = fields[0];
    if (id.is_missing()) {
        return util::Error{"missing 'id'"};
    }
    if (!id.is_string()) {
        return util::Error{"field 'id': expected a string"};
    }
    if (!valid_id(id.string)) {
        return util::Error{"invalid 'id': must be 1 to 64 characters from [A-Za-z0-9._-]"};
    }
    Record rec;
    rec.kind = kind;
    rec.fields = fields;
    if (unknown > 0) {
        auto extra = arena.members(unknown);
        std::size_t i = 0;
        for (const Member& m : object.members) {
            if (!schema.slot(m.key)) {
                extra[i++] = m;
            }
        }
        rec.extra_json = arena.copy(to_json(Value::of_object(extra)));
    }
    return rec;
}

std::string record_to_json(const Record& record) {
    const KindSchema& schema = schema_for(record.kind);
    std::string out = "{";
    bool first = true;
    for (std::size_t i = 0; i < schema.fields.size() && i < record.fields.size(); ++i) {
        if (record.fields[i].is_null()) {
            continue;
        }
        if (!first) {
            out.push_back(',');
        }
        first = false;
        write_json_string(out, schema.fields[i].name);
        out.push_back(':');
        write_json(out, record.fields[i]);
    }
    // Unknown fields: splice the members of the stored extra object.
    if (record.extra_json.size() > 2) {
        if (!first) {
            out.push_back(',');
        }
        out.append(record.extra_json.substr(1, record.extra_json.size() - 2));
    }
    out.push_back('}');
    return out;
}

}  // namespace spiegel::model
