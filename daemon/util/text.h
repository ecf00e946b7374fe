#pragma once
// UTF-8 text helpers used by rules and normalisation, on utf8proc's Unicode
// tables. Pure, thread-safe (the buffered forms reuse a per-thread buffer).
// A word is a maximal run of Unicode letters, marks or digits, so "één" and
// "cliënt" (precomposed or with a combining diaeresis) are one word each.
// Invalid UTF-8 never fails: each bad byte reads as U+FFFD.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spiegel::util {

// Decodes one code point at text[pos], advancing pos. A byte that does not
// start a valid sequence (bad lead byte, truncated, overlong, surrogate,
// beyond U+10FFFF) decodes as U+FFFD and advances by one byte.
char32_t next_code_point(std::string_view text, std::size_t& pos);
void append_utf8(std::string& out, char32_t cp);

// Letters, marks and numbers (general categories L*, M*, N*).
bool is_word_char(char32_t cp);
// Simple (one code point) lower-case mapping.
char32_t to_lower(char32_t cp);

std::size_t count_words(std::string_view text);
// Calls fn(std::string_view word) for each word in order.
template <class Fn>
void for_each_word(std::string_view text, Fn&& fn) {
    std::size_t pos = 0;
    std::size_t start = 0;
    bool in_word = false;
    while (pos < text.size()) {
        const std::size_t here = pos;
        const bool word = is_word_char(next_code_point(text, pos));
        if (word && !in_word) {
            start = here;
            in_word = true;
        } else if (!word && in_word) {
            fn(text.substr(start, here - start));
            in_word = false;
        }
    }
    if (in_word) {
        fn(text.substr(start));
    }
}

// Lower case, code point by code point (no normalisation): for display keys
// such as skills. Comparisons that must ignore case use fold().
std::string lower(std::string_view text);
// A-Z to a-z, every other byte as it is: for protocol tokens (header
// values, schemes, host names) that are ASCII case-insensitive.
std::string ascii_lower(std::string_view text);
// Whether a and b are equal with A-Z and a-z the same (header names).
bool ascii_iequals(std::string_view a, std::string_view b);
// a-z to A-Z, every other byte as it is (codes such as driving licences).
std::string ascii_upper(std::string_view text);

// The caseless matching form (Unicode NFKC_Casefold): compatibility
// composition, full case folding, default-ignorable code points (soft
// hyphen, zero-width space) removed. "CLIËNT", "clie\u0308nt" and full-width
// "ｃｌｉëｎｔ" all fold to "cliënt"; "Straße" to "strasse", final "ς" to "σ".
// Accents stay: "één" and "een" differ. Invalid bytes become U+FFFD.
std::string fold(std::string_view text);
// The same into `buffer`; returns a view of `text` itself when it is folded
// already (most lower-case text, "één" included), else of `buffer`.
std::string_view fold(std::string_view text, std::string& buffer);

// Canonical composition (NFC) only: canonically equivalent spellings (a
// precomposed "ë" or "e" + U+0308) become the same bytes; case and
// compatibility characters are kept. Invalid bytes become U+FFFD. Returns
// `text` itself when it is ASCII, else a view of `buffer`.
std::string_view compose(std::string_view text, std::string& buffer);

std::string_view trim(std::string_view text);
bool valid_utf8(std::string_view text);

}  // namespace spiegel::util
