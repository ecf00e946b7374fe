#include "daemon/util/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <vector>

namespace spiegel::util {
namespace {

constexpr char32_t k_replacement = 0xFFFD;

// utf8proc's NFKC_Casefold, and plain NFC.
constexpr auto k_fold_options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                                                UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
constexpr auto k_compose_options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

// A per-thread code point buffer larger than this (after one huge text) is
// given back rather than kept for the thread's lifetime.
constexpr std::size_t k_keep_code_points = std::size_t{1} << 18;

const utf8proc_uint8_t* bytes_of(std::string_view text) {
    return reinterpret_cast<const utf8proc_uint8_t*>(text.data());
}

bool is_ascii(std::string_view text) {
    unsigned char any = 0;
    for (const char c : text) {
        any |= static_cast<unsigned char>(c);
    }
    return any < 0x80;
}

// text with every byte that does not start a valid sequence replaced by U+FFFD.
std::string sanitised(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t start = pos;
        const char32_t cp = next_code_point(text, pos);
        if (cp == k_replacement && pos - start == 1) {
            append_utf8(out, k_replacement);
        } else {
            out.append(text, start, pos - start);
        }
    }
    return out;
}

// Decomposes valid UTF-8 into code points (utf8proc applies case folding and
// compatibility mappings here); a negative result is utf8proc's error code.
utf8proc_ssize_t decompose(std::string_view text, utf8proc_option_t options, std::vector<utf8proc_int32_t>& cps) {
    // One spare slot: utf8proc_reencode writes a terminating NUL after the
    // encoded bytes, which fill at most 4 bytes per code point.
    cps.resize(text.size() + 1);
    auto n = utf8proc_decompose(bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), cps.data(),
                                static_cast<utf8proc_ssize_t>(cps.size() - 1), options);
    if (n >= 0 && static_cast<std::size_t>(n) >= cps.size()) {
        // Expanding mappings ("ﬃ" -> "ffi"): at most 18 code points each.
        cps.resize(static_cast<std::size_t>(n) + 1);
        n = utf8proc_decompose(bytes_of(text), static_cast<utf8proc_ssize_t>(text.size()), cps.data(), n, options);
    }
    return n;
}

// utf8proc's decompose, (re)compose and encode on text, into out. Memory
// is proportional to the text: one code point buffer, reused per thread.
void map_text(std::string_view text, utf8proc_option_t options, std::string& out) {
    thread_local std::vector<utf8proc_int32_t> cps;
    auto n = decompose(text, options, cps);
    if (n == UTF8PROC_ERROR_INVALIDUTF8) {
        const std::string valid = sanitised(text);
        n = decompose(valid, options, cps);
    }
    if (n < 0) {
        // Only utf8proc's overflow guard (texts of gigabytes) gets here.
        out.assign(text);
    } else {
        const auto length = utf8proc_reencode(cps.data(), n, options);
        out.assign(reinterpret_cast<const char*>(cps.data()), static_cast<std::size_t>(length < 0 ? 0 : length));
    }
    if (cps.capacity() > k_keep_code_points) {
        std::vector<utf8proc_int32_t>().swap(cps);
    }
}

// Code points of the Basic Multilingual Plane that fold to themselves and
// cannot join the code point before them, a bit per code point in blocks of
// 64: utf8proc maps a block's code points once, when a text first has one
// of them (a few µs; the whole plane would take milliseconds, which every
// short-lived `spiegeld` would pay). Texts made of these (and lower-case
// ASCII) need no mapping. The second halves of canonical compositions are
// all combining marks, or Hangul vowel and trailing jamo, so these are left
// out. Blocks are filled by whichever thread first needs one; two threads
// that fill the same block at once store the same bits.
constexpr std::size_t k_fold_blocks = 0x10000 / 64;

struct SelfFolding {
    std::array<std::atomic<std::uint64_t>, k_fold_blocks> bits{};
    std::array<std::atomic<bool>, k_fold_blocks> known{};
};

SelfFolding& self_folding() {
    static SelfFolding table;
    return table;
}

std::uint64_t self_folding_block(std::size_t block) {
    std::uint64_t out = 0;
    std::string one;
    std::string folded;
    for (std::size_t i = 0; i < 64; ++i) {
        const auto cp = static_cast<char32_t>(block * 64 + i);
        if (cp < 0x80) {
            continue;
        }
        const auto* p = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
        const bool mark = p->category >= UTF8PROC_CATEGORY_MN && p->category <= UTF8PROC_CATEGORY_ME;
        const bool jamo = (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
        const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        if (mark || jamo || surrogate || p->combining_class != 0) {
            continue;
        }
        one.clear();
        append_utf8(one, cp);
        map_text(one, k_fold_options, folded);
        if (folded == one) {
            out |= std::uint64_t{1} << i;
        }
    }
    return out;
}

bool folds_to_itself(char32_t cp) {
    if (cp >= 0x10000) {
        return false;
    }
    SelfFolding& table = self_folding();
    const std::size_t block = cp / 64;
    std::uint64_t bits = 0;
    if (table.known[block].load(std::memory_order_acquire)) {
        bits = table.bits[block].load(std::memory_order_relaxed);
    } else {
        bits = self_folding_block(block);
        table.bits[block].store(bits, std::memory_order_relaxed);
        table.known[block].store(true, std::memory_order_release);
    }
    return ((bits >> (cp % 64)) & 1U) != 0;
}

constexpr std::uint64_t k_high_bits = 0x8080808080808080ULL;
constexpr std::uint64_t k_byte_ones = 0x0101010101010101ULL;

// For eight ASCII bytes: 0x80 in each byte that is 'A'..'Z' (no byte
// carries into the next: each is below 0x80).
std::uint64_t capital_bits(std::uint64_t ascii) {
    const std::uint64_t from_a = ascii + k_byte_ones * (0x80 - 'A');
    const std::uint64_t after_z = ascii + k_byte_ones * (0x80 - 'Z' - 1);
    return from_a & ~after_z & k_high_bits;
}

// Eight bytes at text[pos] when they are all ASCII.
bool ascii_block(std::string_view text, std::size_t pos, std::uint64_t& block) {
    if (pos + 8 > text.size()) {
        return false;
    }
    std::memcpy(&block, text.data() + pos, 8);
    return (block & k_high_bits) == 0;
}

void lower_ascii_in_place(std::string& s) {
    std::size_t i = 0;
    std::uint64_t block = 0;
    for (; ascii_block(s, i, block); i += 8) {
        block |= capital_bits(block) >> 2;  // 0x80 >> 2 is the case bit 0x20
        std::memcpy(s.data() + i, &block, 8);
    }
    for (; i < s.size(); ++i) {
        const char c = s[i];
        s[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
}

enum class FoldNeed : std::uint8_t { nothing, ascii_lower, full };

// What folding text takes: often nothing (lower-case ASCII, "één", "€",
// curly quotes), or ASCII lower case only ("Cliënt"). ASCII goes eight
// bytes at a time: vacancy texts are checked on every scan.
FoldNeed fold_need(std::string_view text) {
    std::uint64_t capitals = 0;
    std::size_t pos = 0;
    std::uint64_t block = 0;
    while (pos < text.size()) {
        if (ascii_block(text, pos, block)) {
            capitals |= capital_bits(block);
            pos += 8;
            continue;
        }
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80) {
            capitals |= static_cast<unsigned char>(b - 'A') < 26 ? 1U : 0U;
            ++pos;
            continue;
        }
        utf8proc_int32_t cp = 0;
        const auto n = utf8proc_iterate(bytes_of(text) + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
        if (n <= 0 || !folds_to_itself(static_cast<char32_t>(cp))) {
            return FoldNeed::full;
        }
        pos += static_cast<std::size_t>(n);
    }
    return capitals != 0 ? FoldNeed::ascii_lower : FoldNeed::nothing;
}

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& pos) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(bytes_of(s) + pos, static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0) {
        ++pos;
        return k_replacement;
    }
    pos += static_cast<std::size_t>(n);
    return static_cast<char32_t>(cp);
}

void append_utf8(std::string& out, char32_t cp) {
    utf8proc_uint8_t buf[4];
    auto n = cp <= 0x10FFFF ? utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf) : 0;
    if (n <= 0) {
        n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(k_replacement), buf);
    }
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

bool is_word_char(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    if (cp > 0x10FFFF) {
        return false;
    }
    const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_NO;
}

char32_t to_lower(char32_t cp) {
    if (cp < 0x80) {
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    }
    if (cp > 0x10FFFF) {
        return cp;
    }
    return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

std::size_t count_words(std::string_view text) {
    std::size_t n = 0;
    for_each_word(text, [&n](std::string_view) { ++n; });
    return n;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    lower_ascii_in_place(out);
    return out;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
    const auto lower_byte = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower_byte(x) == lower_byte(y); });
}

std::string ascii_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
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

std::string_view fold(std::string_view text, std::string& buffer) {
    switch (fold_need(text)) {
        case FoldNeed::nothing:
            return text;
        case FoldNeed::ascii_lower:
            buffer.assign(text);
            lower_ascii_in_place(buffer);
            return buffer;
        case FoldNeed::full:
            break;
    }
    map_text(text, k_fold_options, buffer);
    return buffer;
}

std::string fold(std::string_view text) {
    std::string buffer;
    const std::string_view folded = fold(text, buffer);
    if (folded.data() != buffer.data()) {
        return std::string(folded);
    }
    return buffer;
}

std::string_view compose(std::string_view text, std::string& buffer) {
    if (is_ascii(text)) {
        return text;
    }
    map_text(text, k_compose_options, buffer);
    return buffer;
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
        const std::size_t start = pos;
        const char32_t cp = next_code_point(s, pos);
        if (cp == k_replacement && pos - start == 1) {
            return false;
        }
    }
    return true;
}

}  // namespace spiegel::util
