#include "daemon/util/printable.h"

#include "daemon/util/text.h"

namespace spiegel::util {
namespace {

constexpr char k_hex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at text[pos] (its code point in cp), or
// 0 when the byte there does not start one (bad lead byte, truncated,
// overlong, surrogate, beyond U+10FFFF).
std::size_t valid_sequence(std::string_view text, std::size_t pos, char32_t& cp) {
    std::size_t next = pos;
    cp = next_code_point(text, next);
    const std::size_t len = next - pos;
    const bool bad = (cp == 0xFFFD && len == 1) || (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                     (len == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF;
    return bad ? 0 : len;
}

bool needs_unicode_escape(char32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void append_byte_escape(std::string& out, unsigned char b) {
    out += "\\x";
    out.push_back(k_hex[b >> 4]);
    out.push_back(k_hex[b & 0xF]);
}

void append_ascii(std::string& out, unsigned char c) {
    switch (c) {
        case '\\':
            out += "\\\\";
            return;
        case '\'':
            out += "\\'";
            return;
        case '"':
            out += "\\\"";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    if (c < 0x20 || c == 0x7F) {
        append_byte_escape(out, c);
    } else {
        out.push_back(static_cast<char>(c));
    }
}

void append_unicode_escape(std::string& out, char32_t cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out.push_back(k_hex[(cp >> shift) & 0xF]);
    }
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(text.size() < max_bytes ? text.size() : max_bytes);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto b = static_cast<unsigned char>(text[pos]);
        char32_t cp = b;
        const std::size_t len = b < 0x80 ? 1 : valid_sequence(text, pos, cp);
        if (pos + (len == 0 ? 1 : len) > max_bytes) {
            out += "...(";
            out += std::to_string(text.size());
            out += " bytes)";
            return out;
        }
        if (len == 0) {
            append_byte_escape(out, b);
            ++pos;
            continue;
        }
        if (len == 1) {
            append_ascii(out, b);
        } else if (needs_unicode_escape(cp)) {
            append_unicode_escape(out, cp);
        } else {
            out.append(text.substr(pos, len));
        }
        pos += len;
    }
    return out;
}

std::string quoted(std::string_view text, std::size_t max_bytes) {
    // Appended piece by piece: GCC 12 warns wrongly (-Wrestrict) about
    // "'" + std::string + "'".
    std::string out(1, '\'');
    out += printable(text, max_bytes);
    out.push_back('\'');
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace spiegel::util
