// Fuzzes one NDJSON import line through the importer's parse path
// (daemon/store/importer.cpp): model::JsonParser with the importer's limits,
// then model::record_from_json for each record kind, in an Arena reset per
// input. Also runs JsonParser::decode_array_field, the fast path the source
// reader takes for stored array columns, against the checked path.
//
// Invariants (any break traps, so libFuzzer keeps the input):
// - parsing and validation return a value or an error with a reason; they
//   never throw and never crash (ASan/UBSan watch memory and UB);
// - a record that validates has its kind, one value per schema field, a
//   valid id, and every field null or of its declared type (items too);
// - a timestamp that parses is stored in canonical UTC form, which parses
//   again to the same instant;
// - unknown fields survive as a JSON object in extra_json;
// - record_to_json of a valid record parses and validates again into the
//   same field values and unknown fields (numbers compared by value, so an
//   integer 5 and 5.0, or 0 and -0, are the same);
// - when decode_array_field accepts a text, parse() + check_field() accept
//   it too and give the same value.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/json.h"
#include "daemon/model/record.h"
#include "daemon/model/schema.h"
#include "daemon/store/importer.h"
#include "daemon/util/time.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace spiegel;
using fuzz::check;

bool scalar_fits(model::FieldType type, const model::Value& v) {
    using model::FieldType;
    using model::ValueType;
    switch (v.type) {
        case ValueType::null:
            return true;
        case ValueType::string:
            return type == FieldType::string || type == FieldType::timestamp || type == FieldType::date ||
                   type == FieldType::month;
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

// Whether a validated value has the shape its field definition promises.
bool fits(const model::FieldDef& def, const model::Value& v) {
    using model::FieldType;
    if (v.is_null()) {
        return true;
    }
    if (def.type == FieldType::string_array) {
        if (!v.is_array()) {
            return false;
        }
        for (const auto& item : v.items) {
            if (!item.is_string()) {
                return false;
            }
        }
        return true;
    }
    if (def.type != FieldType::object_array) {
        return scalar_fits(def.type, v);
    }
    if (!v.is_array()) {
        return false;
    }
    for (const auto& item : v.items) {
        if (!item.is_object()) {
            return false;
        }
        for (const auto& m : item.members) {
            const auto slot = model::item_slot(def, m.key);
            if (slot && !scalar_fits(def.item_fields[*slot].type, m.value)) {
                return false;
            }
        }
    }
    return true;
}

void check_record(model::Kind kind, const model::Record& rec) {
    const auto& schema = model::schema_for(kind);
    check(rec.kind == kind, "record has the kind it was validated as");
    check(rec.fields.size() == schema.fields.size(), "record has one value per schema field");
    check(model::valid_id(rec.id()), "a valid record has a valid id");
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        check(fits(schema.fields[i], rec.fields[i]), "every field of a valid record has its declared type");
    }
    check(rec.extra_json.empty() || (rec.extra_json.front() == '{' && rec.extra_json.back() == '}'),
          "unknown fields are kept as one JSON object");
    check(rec.issues.empty(), "a record from JSON has no stored-value issues");
}

// "Timestamps are normalised to UTC when they parse": a timestamp field whose
// input parses holds the canonical UTC form of the same instant, which parses
// again (so the source reader and the rules read what the importer stored).
void check_timestamps(model::Kind kind, const model::Value& object, const model::Record& rec) {
    const auto& schema = model::schema_for(kind);
    for (std::size_t slot = 0; slot < schema.fields.size(); ++slot) {
        if (schema.fields[slot].type != model::FieldType::timestamp) {
            continue;
        }
        const model::Value* in = nullptr;  // the last member of that name counts
        for (const auto& m : object.members) {
            if (m.key == schema.fields[slot].name) {
                in = &m.value;
            }
        }
        if (in == nullptr || !in->is_string()) {
            continue;
        }
        const auto instant = util::parse_timestamp(in->string);
        if (!instant) {
            continue;
        }
        const model::Value& stored = rec.fields[slot];
        // YYYY-MM-DDTHH:MM:SS, then the fraction given (digits, no
        // trailing zero), then Z.
        const std::string_view text = stored.is_string() ? std::string_view(stored.string) : std::string_view();
        const bool fraction_ok =
            text.size() == 20 ||
            (text.size() > 21 && text[19] == '.' && text[text.size() - 2] != '0' &&
             text.substr(20, text.size() - 21).find_first_not_of("0123456789") == std::string_view::npos);
        check(text.size() >= 20 && text[10] == 'T' && text.back() == 'Z' && fraction_ok,
              "a timestamp that parses is stored as YYYY-MM-DDTHH:MM:SS[.fraction]Z");
        check(util::parse_timestamp(text) == instant, "a stored timestamp parses to the same instant");
        check(util::parse_timestamp_precise(text) == util::parse_timestamp_precise(in->string),
              "a stored timestamp keeps its fraction of a second");
        check(util::normalize_timestamp(text) == std::string(text), "a stored timestamp is in its stored form");
    }
}

// Equal as JSON values: numbers by value (an integer and a double that are
// equal are the same, and so are 0 and -0), everything else exactly.
bool same_value(const model::Value& a, const model::Value& b) {
    using model::ValueType;
    if (a.is_numeric() && b.is_numeric()) {
        if (a.type == ValueType::integer && b.type == ValueType::integer) {
            return a.integer == b.integer;
        }
        return a.as_double() == b.as_double();
    }
    if (a.type != b.type) {
        return false;
    }
    switch (a.type) {
        case ValueType::null:
            return true;
        case ValueType::boolean:
            return a.boolean == b.boolean;
        case ValueType::string:
            return a.string == b.string;
        case ValueType::array:
            if (a.items.size() != b.items.size()) {
                return false;
            }
            for (std::size_t i = 0; i < a.items.size(); ++i) {
                if (!same_value(a.items[i], b.items[i])) {
                    return false;
                }
            }
            return true;
        case ValueType::object:
            if (a.members.size() != b.members.size()) {
                return false;
            }
            for (std::size_t i = 0; i < a.members.size(); ++i) {
                if (a.members[i].key != b.members[i].key || !same_value(a.members[i].value, b.members[i].value)) {
                    return false;
                }
            }
            return true;
        default:
            return false;
    }
}

bool same_json(std::string_view a, std::string_view b, model::JsonParser& parser, model::Arena& arena) {
    if (a.empty() || b.empty()) {
        return a.empty() && b.empty();
    }
    auto va = parser.parse(a, arena);
    auto vb = parser.parse(b, arena);
    return va && vb && same_value(*va, *vb);
}

// A valid record exported with record_to_json imports again as the same
// record: the same field values and the same unknown fields.
void check_round_trip(model::Kind kind, const model::Record& rec, model::JsonParser& parser,
                      model::Arena& arena) {
    const std::string text = model::record_to_json(rec);
    auto value = parser.parse(text, arena);
    check(static_cast<bool>(value), "an exported record parses again");
    auto again = model::record_from_json(kind, *value, arena);
    check(static_cast<bool>(again), "an exported record validates again");
    check(again->fields.size() == rec.fields.size(), "the imported export has every field");
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        check(same_value(rec.fields[i], again->fields[i]), "export -> import keeps every field value");
    }
    check(same_json(rec.extra_json, again->extra_json, parser, arena), "export -> import keeps the unknown fields");
}

// The array field definitions whose fast decoding differs: every object
// item layout and one string array.
std::vector<const model::FieldDef*> array_defs() {
    std::vector<const model::FieldDef*> defs;
    bool have_strings = false;
    for (const auto kind : model::k_all_kinds) {
        for (const auto& def : model::schema_for(kind).fields) {
            if (def.type == model::FieldType::object_array) {
                defs.push_back(&def);
            } else if (def.type == model::FieldType::string_array && !have_strings) {
                defs.push_back(&def);
                have_strings = true;
            }
        }
    }
    return defs;
}

void check_array_decoding(std::string_view text, model::JsonParser& parser, model::Arena& arena) {
    static const std::vector<const model::FieldDef*> defs = array_defs();
    for (const auto* def : defs) {
        model::Value fast;
        if (!parser.decode_array_field(*def, text, arena, fast)) {
            continue;
        }
        auto parsed = parser.parse(text, arena);
        check(static_cast<bool>(parsed), "text the fast array decoder accepts also parses");
        model::Value checked;
        check(static_cast<bool>(model::check_field(*def, *parsed, checked, arena)),
              "an array the fast decoder accepts also passes check_field");
        check(model::to_json(fast) == model::to_json(checked),
              "the fast array decoder gives what parse + check_field give");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The importer rejects longer lines unread and strips one trailing '\r'.
    if (size > store::k_max_line_bytes) {
        return -1;
    }
    std::string_view line(reinterpret_cast<const char*>(data), size);
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    static model::JsonParser parser;  // importer limits: the defaults
    static model::Arena arena;
    arena.reset();

    auto value = parser.parse(line, arena);
    if (!value) {
        check(!value.error().message.empty(), "a parse error has a reason");
    } else {
        for (const auto kind : model::k_all_kinds) {
            auto rec = model::record_from_json(kind, *value, arena);
            if (!rec) {
                check(!rec.error().message.empty(), "a rejected record has a reason");
                continue;
            }
            check_record(kind, *rec);
            check_timestamps(kind, *value, *rec);
            check_round_trip(kind, *rec, parser, arena);
        }
    }

    const auto first = line.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && line[first] == '[') {
        check_array_decoding(line, parser, arena);
    }
    return 0;
}
