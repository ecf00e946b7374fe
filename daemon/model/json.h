#pragma once
// JSON text <-> Value. Parsing validates UTF-8 and enforces limits; writing
// produces compact JSON with proper escaping. Not thread-safe per JsonParser
// (it reuses buffers); use one per thread.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/model/arena.h"
#include "daemon/model/schema.h"
#include "daemon/model/value.h"
#include "daemon/util/expected.h"

namespace spiegel::model {

struct JsonLimits {
    std::size_t max_string_bytes = 64 * 1024;  // records.md: one string > 64 KiB is rejected
    std::size_t max_depth = 64;
};

class JsonParser {
public:
    explicit JsonParser(JsonLimits limits = {});
    ~JsonParser();
    JsonParser(const JsonParser&) = delete;
    JsonParser& operator=(const JsonParser&) = delete;

    // Parses one JSON document into arena-owned values. The error message is
    // a reason only ("not valid JSON", "invalid UTF-8", "string longer than
    // 65536 bytes in field 'summary'"); callers prefix the location.
    util::Expected<Value> parse(std::string_view text, Arena& arena);

    // The fast path of a stored array column (def is a string_array or
    // object_array field): decodes text straight into arena values, giving
    // exactly what parse() followed by check_field() gives. Returns false,
    // leaving `out` alone, for anything unusual (invalid JSON, a limit, a
    // wrong type, a value that check_field would convert); the caller then
    // takes the checked path, which also produces the error.
    bool decode_array_field(const FieldDef& def, std::string_view text, Arena& arena, Value& out);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

void write_json(std::string& out, const Value& value);
void write_json_string(std::string& out, std::string_view s);
std::string to_json(const Value& value);

}  // namespace spiegel::model
