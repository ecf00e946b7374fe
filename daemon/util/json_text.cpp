#include "daemon/util/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "daemon/util/text.h"

namespace spiegel::util {
namespace {

using nlohmann::json;

// Bytes copied as they are: printable ASCII (0x7F included, as nlohmann
// copies it) other than the quotation mark and the backslash.
constexpr std::array<bool, 256> plain_bytes() {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c <= 0x7F; ++c) {
        plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    }
    return plain;
}
constexpr std::array<bool, 256> k_plain = plain_bytes();

// Whether the 8 bytes at p are all plain (k_plain), tested together: a
// byte below 0x20, a quotation mark, a backslash or a byte from 0x80 up
// sets its high bit in the mask. The subtractions may also flag a plain
// byte next to a flagged one; the caller then goes byte by byte.
bool eight_plain(const unsigned char* p) {
    constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
    constexpr std::uint64_t k_high = 0x8080808080808080ULL;
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    const auto zero_byte = [](std::uint64_t v) { return (v - k_ones) & ~v & k_high; };
    const std::uint64_t below_space = (w - 0x20 * k_ones) & ~w & k_high;
    return (below_space | zero_byte(w ^ ('"' * k_ones)) | zero_byte(w ^ ('\\' * k_ones)) | (w & k_high)) == 0;
}

// A control character (below 0x20), quotation mark or backslash as dump() escapes it.
void append_escape(std::string& out, unsigned char c) {
    switch (c) {
        case '\b': out += "\\b"; return;
        case '\t': out += "\\t"; return;
        case '\n': out += "\\n"; return;
        case '\f': out += "\\f"; return;
        case '\r': out += "\\r"; return;
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        default: {
            constexpr const char* k_hex = "0123456789abcdef";
            const char escape[6] = {'\\', 'u', '0', '0', k_hex[c >> 4], k_hex[c & 0xF]};
            out.append(escape, sizeof escape);
        }
    }
}

// nlohmann's own serializer for what only it should write (see the header).
void append_by_nlohmann(std::string& out, const json& value, bool pretty, unsigned indent_step,
                        unsigned current_indent) {
    nlohmann::detail::serializer<json> serializer(nlohmann::detail::output_adapter<char, std::string>(out), ' ',
                                                  json::error_handler_t::replace);
    serializer.dump(value, pretty, false, indent_step, current_indent);
}

template <typename Integer>
void append_integer(std::string& out, Integer n) {
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
    out.append(buffer, static_cast<std::size_t>(end - buffer));
}

void append_float(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += "null";
        return;
    }
    std::array<char, 64> buffer{};
    const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
    out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

class Writer {
public:
    Writer(std::string& out, int indent) : out_(out), indent_(indent) {}

    void value(const json& v, std::size_t depth) {
        switch (v.type()) {
            case json::value_t::object: object(v, depth); return;
            case json::value_t::array: array(v, depth); return;
            case json::value_t::string: append_json_string(out_, v.get_ref<const std::string&>()); return;
            case json::value_t::boolean: out_ += v.get<bool>() ? "true" : "false"; return;
            case json::value_t::number_integer: append_integer(out_, v.get<std::int64_t>()); return;
            case json::value_t::number_unsigned: append_integer(out_, v.get<std::uint64_t>()); return;
            case json::value_t::number_float: append_float(out_, v.get<double>()); return;
            case json::value_t::null: out_ += "null"; return;
            case json::value_t::binary:
            case json::value_t::discarded:
            default:
                append_by_nlohmann(out_, v, indent_ >= 0, indent_ >= 0 ? static_cast<unsigned>(indent_) : 0,
                                   static_cast<unsigned>(json_spaces(indent_, depth)));
                return;
        }
    }

private:
    void object(const json& v, std::size_t depth) {
        std::size_t index = 0;
        for (const auto& [key, member] : v.get_ref<const json::object_t&>()) {
            append_json_separator(out_, '{', index++, indent_, json_spaces(indent_, depth + 1));
            append_json_key(out_, key, indent_);
            value(member, depth + 1);
        }
        append_json_close(out_, '{', index, indent_, json_spaces(indent_, depth));
    }

    void array(const json& v, std::size_t depth) {
        std::size_t index = 0;
        for (const json& item : v.get_ref<const json::array_t&>()) {
            append_json_separator(out_, '[', index++, indent_, json_spaces(indent_, depth + 1));
            value(item, depth + 1);
        }
        append_json_close(out_, '[', index, indent_, json_spaces(indent_, depth));
    }

    std::string& out_;
    int indent_;
};

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    const std::size_t start = out.size();
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    out += '"';
    std::size_t copied = 0;  // text[0, copied) is in out
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && eight_plain(p + i)) {
            i += 8;
            continue;
        }
        const unsigned char c = p[i];
        if (k_plain[c]) {
            ++i;
        } else if (c >= 0x80) {
            // A well-formed sequence (no overlong form, no surrogate,
            // nothing above U+10FFFF: exactly what nlohmann's decoder
            // accepts) takes two bytes or more; next_code_point steps over
            // anything else one byte at a time.
            const std::size_t lead = i;
            next_code_point(text, i);
            if (i - lead == 1) {
                out.resize(start);
                append_by_nlohmann(out, json(text), false, 0, 0);
                return;
            }
        } else {
            out.append(text.data() + copied, i - copied);
            append_escape(out, c);
            copied = ++i;
        }
    }
    out.append(text.data() + copied, n - copied);
    out += '"';
}

void append_json_separator(std::string& out, char open, std::size_t index, int indent, std::size_t spaces) {
    out += index == 0 ? open : ',';
    if (indent >= 0) {
        out += '\n';
        out.append(spaces, ' ');
    }
}

void append_json_close(std::string& out, char open, std::size_t count, int indent, std::size_t spaces) {
    const char close = open == '{' ? '}' : ']';
    if (count == 0) {
        out += open;
    } else if (indent >= 0) {
        out += '\n';
        out.append(spaces, ' ');
    }
    out += close;
}

void append_json_key(std::string& out, std::string_view key, int indent) {
    append_json_string(out, key);
    out += indent >= 0 ? ": " : ":";
}

void append_json(std::string& out, const nlohmann::json& value, int indent) { Writer(out, indent).value(value, 0); }

void append_json_number(std::string& out, double x) { append_float(out, x); }

void append_json_number(std::string& out, std::int64_t n) { append_integer(out, n); }

std::string json_text(const nlohmann::json& value, int indent) {
    std::string out;
    out.reserve(indent >= 0 ? 8192 : 1024);
    append_json(out, value, indent);
    return out;
}

}  // namespace spiegel::util
