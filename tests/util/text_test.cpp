#include "daemon/util/text.h"

#include <gtest/gtest.h>

namespace spiegel::util {
namespace {

TEST(Text, accented_words_count_as_one_word) {
    EXPECT_EQ(count_words("één cliënt"), 2u);
    EXPECT_EQ(count_words("Café-medewerker, 5 jaar!"), 4u);
    EXPECT_EQ(count_words(""), 0u);
    EXPECT_EQ(count_words("  ... — !!"), 0u);
}

TEST(Text, lower_handles_non_ascii) {
    EXPECT_EQ(lower("ÉÉN Cliënt ÅB"), "één cliënt åb");
}

TEST(Text, ascii_lower_changes_only_ascii_capitals) {
    EXPECT_EQ(util::ascii_lower("HTTPS://Spiegel.Example.NL:9464"),
              "https://spiegel.example.nl:9464");
    EXPECT_EQ(util::ascii_lower("\xC3\x89\xC3\x89N Z@["),
              "\xC3\x89\xC3\x89n z@[");  // "ÉÉN" keeps its É
    EXPECT_EQ(util::ascii_lower(""), "");
}

TEST(Text, trim_removes_surrounding_whitespace) {
    EXPECT_EQ(trim("  1234 AB \t\n"), "1234 AB");
    EXPECT_EQ(trim("   "), "");
}

TEST(Text, utf8_validation) {
    EXPECT_TRUE(valid_utf8("cliënt"));
    EXPECT_FALSE(valid_utf8("\xC3"));
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));
}

TEST(Text, decomposed_and_precomposed_words_count_the_same) {
    EXPECT_EQ(count_words("clie\u0308nt"), 1u);  // e + COMBINING DIAERESIS
    EXPECT_EQ(count_words("e\u0301e\u0301n clie\u0308nt"), count_words("één cliënt"));
    EXPECT_EQ(count_words("ｖｒｏｕｗ ２０２６"), 2u);  // full-width letters and digits
    EXPECT_EQ(count_words("Ελληνικά русский 日本語"), 3u);
}

TEST(Text, word_characters_are_letters_marks_and_numbers) {
    EXPECT_TRUE(is_word_char(U'ë'));
    EXPECT_TRUE(is_word_char(0x0308));   // combining mark
    EXPECT_TRUE(is_word_char(U'²'));     // other number
    EXPECT_FALSE(is_word_char(0x00A0));  // no-break space
    EXPECT_FALSE(is_word_char(U'—'));
    EXPECT_FALSE(is_word_char(0xFFFD));
    EXPECT_FALSE(is_word_char(0x110000));
}

TEST(Text, fold_makes_case_and_unicode_spelling_variants_equal) {
    EXPECT_EQ(fold("CLIËNT"), "cliënt");
    EXPECT_EQ(fold("Clie\u0308nt"), "cliënt");            // decomposed
    EXPECT_EQ(fold("ＶＲＯＵＷ ｖｒｏｕｗ"), "vrouw vrouw");  // full width
    EXPECT_EQ(fold("ver\u00ADpleeg\u200Bkundige"), "verpleegkundige");  // soft hyphen, zero-width space
    EXPECT_EQ(fold("ﬁets"), "fiets");                       // ligature
    EXPECT_EQ(fold("max.\u00A025"), "max. 25");              // no-break space
}

TEST(Text, fold_case_folds_sharp_s_and_greek_sigma) {
    EXPECT_EQ(fold("Straße"), "strasse");
    EXPECT_EQ(fold("STRASSE"), "strasse");
    EXPECT_EQ(fold("ẞ"), "ss");
    EXPECT_EQ(fold("ΟΔΟΣ"), fold("οδος"));
    EXPECT_EQ(fold("οδοσ"), fold("οδος"));  // final sigma folds to sigma
    EXPECT_EQ(fold("ÅNGSTRÖM"), "ångström");
}

TEST(Text, fold_keeps_accents) {
    EXPECT_NE(fold("één"), fold("een"));
    EXPECT_NE(fold("cliënt"), fold("client"));
}

TEST(Text, fold_returns_folded_ascii_text_itself) {
    std::string buffer;
    const std::string_view text = "al in kleine letters, 2026";
    EXPECT_EQ(fold(text, buffer).data(), text.data());
    EXPECT_EQ(fold("Hoofdletter", buffer), "hoofdletter");
}

TEST(Text, fold_returns_text_that_needs_no_mapping_itself) {
    std::string buffer;
    for (const std::string_view text : {"één cliënt", "€ 2.500 – “netto”", "οδοσ", "日本語"}) {
        EXPECT_EQ(fold(text, buffer).data(), text.data()) << text;
    }
    EXPECT_EQ(fold("Cliënt Één", buffer), "cliënt één");  // ASCII capital, Unicode capital
}

TEST(Text, code_points_kept_by_the_fast_path_fold_to_themselves_in_utf8proc) {
    // A trailing ligature forces utf8proc's full mapping; a code point the
    // fast path keeps must come out of it unchanged.
    std::string buffer;
    std::size_t kept = 0;
    for (char32_t cp = 0x80; cp < 0x30000; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        std::string one;
        append_utf8(one, cp);
        if (fold(one, buffer).data() != one.data()) {
            continue;
        }
        ++kept;
        ASSERT_EQ(fold(one + "\uFB01"), one + "fi") << std::hex << static_cast<std::uint32_t>(cp);
        ASSERT_EQ(fold("a" + one + "\uFB01"), "a" + one + "fi") << std::hex << static_cast<std::uint32_t>(cp);
    }
    EXPECT_GT(kept, 50000u);  // most of the Basic Multilingual Plane
}

TEST(Text, fold_lowers_ascii_capitals_at_every_offset) {
    std::string ascii;
    for (int c = 0; c < 0x80; ++c) {
        ascii.push_back(static_cast<char>(c));
    }
    for (const std::string_view between : {"", "é", "€"}) {  // kept as they are: no utf8proc mapping
        for (std::size_t offset = 0; offset < 8; ++offset) {
            const std::string text = std::string(offset, 'x') + ascii + std::string(between) + ascii + "Z";
            std::string expected = text;
            for (char& c : expected) {
                c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
            }
            EXPECT_EQ(fold(text), expected) << offset << " " << between;
        }
    }
}

TEST(Text, ascii_fast_path_agrees_with_utf8proc) {
    // The ASCII path never calls utf8proc; a trailing "é" forces the full
    // mapping, which must give the same ASCII result.
    for (int c = 0; c < 0x80; ++c) {
        const std::string ascii(1, static_cast<char>(c));
        EXPECT_EQ(fold(ascii + "é"), fold(ascii) + "é") << c;
    }
}

TEST(Text, compose_joins_combining_marks_and_keeps_case) {
    std::string buffer;
    EXPECT_EQ(compose("Clie\u0308nt", buffer), "Cliënt");
    EXPECT_EQ(compose("ＡＢ", buffer), "ＡＢ");
    const std::string_view ascii = "Albert Heijn";
    EXPECT_EQ(compose(ascii, buffer).data(), ascii.data());
}

TEST(Text, invalid_utf8_reads_as_replacement_characters) {
    EXPECT_EQ(fold("A\xC3"), "a\uFFFD");
    EXPECT_EQ(fold("\xC0\xAF" "B"), "\uFFFD\uFFFD" "b");  // overlong '/'
    EXPECT_EQ(fold("\xED\xA0\x80Ë"), "\uFFFD\uFFFD\uFFFDë");  // surrogate
    EXPECT_EQ(lower("\xFF\xFE"), "\uFFFD\uFFFD");
    EXPECT_EQ(count_words("een\xFFtwee"), 2u);
    std::string buffer;
    EXPECT_EQ(compose("e\xCC", buffer), "e\uFFFD");
    std::size_t pos = 0;
    EXPECT_EQ(next_code_point("\xE2\x82", pos), 0xFFFDu);
    EXPECT_EQ(pos, 1u);
}

TEST(Text, fold_of_expanding_text_is_complete) {
    // U+FDFA expands to 18 code points under compatibility mapping.
    std::string text;
    for (int i = 0; i < 1000; ++i) {
        text += "\uFDFA";
    }
    const std::string folded = fold(text);
    EXPECT_EQ(folded.size(), 1000u * fold("\uFDFA").size());
    EXPECT_GT(fold("\uFDFA").size(), 18u);
}

TEST(Text, lower_is_simple_per_code_point) {
    EXPECT_EQ(lower("Straße ΣΟΦΙΑ"), "straße σοφια");
    EXPECT_EQ(to_lower(U'Ë'), U'ë');
    EXPECT_EQ(to_lower(0x110000), 0x110000u);
}

}  // namespace
}  // namespace spiegel::util
