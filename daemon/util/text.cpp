#include "daemon/util/text.h"

#include <algorithm>
#include <array>
#include <utility>

namespace spiegel::util {
namespace {

struct Range {
    char32_t first;
    char32_t last;
};
constexpr Range k_word_ranges[] = {
#include "daemon/util/unicode_word.inc"
};

struct LowerPair {
    char32_t upper;
    char32_t lower;
};
constexpr LowerPair k_lower_pairs[] = {
#include "daemon/util/unicode_lower.inc"
};

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& pos) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        ++pos;
        return 0xFFFD;
    }
    if (pos + len > s.size()) {
        ++pos;
        return 0xFFFD;
    }
    for (int i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    pos += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool is_word_char(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    const auto* end = std::end(k_word_ranges);
    const auto* it = std::upper_bound(std::begin(k_word_ranges), end, cp,
                                      [](char32_t c, const Range& r) { return c < r.first; });
    return it != std::begin(k_word_ranges) && cp <= (it - 1)->last;
}

char32_t to_lower(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    }
    const auto* end = std::end(k_lower_pairs);
    const auto* it = std::lower_bound(std::begin(k_lower_pairs), end, cp,
                                      [](const LowerPair& p, char32_t c) { return p.upper < c; });
    return (it != end && it->upper == cp) ? it->lower : cp;
}

std::size_t count_words(std::string_view text) {
    std::size_t n = 0;
    for_each_word(text, [&n](std::string_view) { ++n; });
    return n;
}

std::string lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80) {
            out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
            ++pos;
        } else {
            append_utf8(out, to_lower(next_code_point(text, pos)));
        }
    }
    return out;
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view k_space = " \t\r\n\f\v";
    const auto first = text.find_first_not_of(k_space);
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(k_space);
    return text.substr(first, last - first + 1);
}

bool valid_utf8(std::string_view s) {
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[pos]);
        if (b0 < 0x80) {
            ++pos;
            continue;
        }
        const std::size_t before = pos;
        const char32_t cp = next_code_point(s, pos);
        const std::size_t len = pos - before;
        if (cp == 0xFFFD && len == 1) {
            return false;
        }
        // Reject overlong forms and surrogates.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return false;
        }
    }
    return true;
}

}  // namespace spiegel::util
