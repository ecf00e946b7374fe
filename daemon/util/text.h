#pragma once
// UTF-8 text helpers used by rules and normalisation. Pure, thread-safe.
// A word is a maximal run of Unicode letters, marks or digits, so "één" and
// "cliënt" are one word each.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spiegel::util {

// Decodes one code point at text[pos], advancing pos. Invalid bytes decode as
// U+FFFD and advance by one byte.
char32_t next_code_point(std::string_view text, std::size_t& pos);
void append_utf8(std::string& out, char32_t cp);

bool is_word_char(char32_t cp);
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

std::string lower(std::string_view text);
std::string_view trim(std::string_view text);
bool valid_utf8(std::string_view text);

}  // namespace spiegel::util
