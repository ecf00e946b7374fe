#pragma once
// A record of one kind, as read from an import line or the source database.
// Field values are indexed by the kind's schema slots (schema.h); fields[0]
// is the id. All views point into the Arena the record was built in.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "daemon/model/arena.h"
#include "daemon/model/schema.h"
#include "daemon/model/value.h"
#include "daemon/util/expected.h"

namespace spiegel::model {

// A stored value that could not be read (bad JSON in a column, a malformed
// timestamp). The field reads as null; rules that use it fail; the scan
// counts the record as unreadable. `reason` never contains the value itself.
struct FieldIssue {
    std::uint16_t slot = 0;
    std::string_view reason;
};

struct Record {
    Kind kind = Kind::cv;
    std::int64_t row = 0;         // source row id (keyset position), 0 when not stored
    std::int64_t change_seq = 0;  // source change marker
    std::span<const Value> fields;
    std::string_view extra_json;  // unknown top-level fields as one JSON object, or empty
    std::span<const FieldIssue> issues;
    // Hash of the stored values the scan read (the source database's
    // columns as stored, before decoding), 0 when not computed. Equal
    // hashes: the rules see the same record (engine::ReuseCheck).
    std::uint64_t content_hash = 0;
    // Set by a stream that found the stored result of this record still
    // valid (engine::ReuseCheck): the values were not decoded, `fields` is
    // empty, and the scan keeps the stored result.
    bool reused = false;

    std::string_view id() const { return fields.empty() ? std::string_view{} : fields[0].string; }
    const Value& field(std::size_t slot) const { return slot < fields.size() ? fields[slot] : null_value(); }
    const Value& field(std::string_view name) const;
};

// Validates a parsed JSON object against the kind's schema (records.md):
// a valid id, every known field of the right JSON type (nested items too).
// Timestamps are normalised to UTC when they parse; unknown fields are kept
// in extra_json. The error is a reason naming the field, never its value.
util::Expected<Record> record_from_json(Kind kind, const Value& object, Arena& arena);

// Checks one field value against its definition (the same checks as
// record_from_json); `out` receives the accepted, possibly normalised value.
util::Status check_field(const FieldDef& def, const Value& in, Value& out, Arena& arena);

// The record as one JSON object: known non-null fields in schema order, then
// the unknown fields. Used by tests and exports.
std::string record_to_json(const Record& record);

}  // namespace spiegel::model
