#pragma once
// JSON text of a nlohmann::json value, byte for byte what
// value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace)
// writes (the form every response and card is served in), at a fraction of
// its cost.
//
// nlohmann's serializer goes through a virtual call per character and runs
// every byte of every string through its UTF-8 decoder; a 7 KB CV card
// took 40-50 us to dump, a tenth of the card's CPU. This one copies runs of
// plain characters whole and validates UTF-8 a sequence at a time. Where
// its output could differ from nlohmann's, it asks nlohmann:
//   - a string holding invalid UTF-8 (nlohmann's replacement of bad bytes
//     by U+FFFD has its own rules about which bytes are read again);
//   - a floating-point number is written by nlohmann's own to_chars
//     (shortest round-trip digits, its exponent rules, ".0" on integers);
//   - binary and discarded values (never in a response).
// tests/util/json_text_test.cpp compares both on random values.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace spiegel::util {

// Appends the JSON text of value to out: indent < 0 compact, else pretty
// with that many spaces per level (as dump(indent)).
void append_json(std::string& out, const nlohmann::json& value, int indent = -1);
// The same as a new string.
std::string json_text(const nlohmann::json& value, int indent = -1);
// Appends text as a quoted JSON string (escaped as dump() escapes it).
void append_json_string(std::string& out, std::string_view text);
// Appends a number as dump() writes it ("null" when not finite).
void append_json_number(std::string& out, double x);
void append_json_number(std::string& out, std::int64_t n);

// The layout dump(indent) gives a container, for append_json and for
// writers that write a document piece by piece (util::JsonTextSink).
// Compact (indent < 0): no line breaks, no spaces.
// The spaces before a line at nesting depth `depth`.
inline std::size_t json_spaces(int indent, std::size_t depth) {
    return indent >= 0 ? depth * static_cast<std::size_t>(indent) : 0;
}
// Before the index-th member or item of a container that `open` ('{' or
// '[') starts: the bracket or a comma, then the member's line.
void append_json_separator(std::string& out, char open, std::size_t index, int indent, std::size_t spaces);
// The end of the container after its `count` members ("{}" or "[]" when none).
void append_json_close(std::string& out, char open, std::size_t count, int indent, std::size_t spaces);
// A member's key and its colon.
void append_json_key(std::string& out, std::string_view key, int indent);

}  // namespace spiegel::util
