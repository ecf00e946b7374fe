#include "daemon/util/printable.h"

#include <gtest/gtest.h>

namespace spiegel::util {
namespace {

TEST(Printable, plain_text_and_accented_letters_pass_unchanged) {
    EXPECT_EQ(printable("cv.email.valid"), "cv.email.valid");
    EXPECT_EQ(printable("cliënt één"), "cliënt één");
    EXPECT_EQ(printable(""), "");
}

TEST(Printable, line_breaks_and_ansi_escapes_are_escaped) {
    EXPECT_EQ(printable("a\nb\r\tc"), "a\\nb\\r\\tc");
    EXPECT_EQ(printable("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(printable(std::string_view("nul\0del\x7f", 8)), "nul\\x00del\\x7f");
}

TEST(Printable, backslashes_and_quotes_are_escaped) {
    EXPECT_EQ(printable(R"(a\b'c"d)"), R"(a\\b\'c\"d)");
    EXPECT_EQ(quoted("it's"), R"('it\'s')");
}

TEST(Printable, c1_controls_separators_and_bidi_controls_are_escaped) {
    EXPECT_EQ(printable("a\xC2\x85" "b"), "a\\u0085b");             // NEL
    EXPECT_EQ(printable("a\xE2\x80\xA8" "b"), "a\\u2028b");         // line separator
    EXPECT_EQ(printable("a\xE2\x80\xAE" "b"), "a\\u202eb");         // right-to-left override
}

TEST(Printable, invalid_utf8_bytes_are_shown_as_hex) {
    EXPECT_EQ(printable("a\xC3"), "a\\xc3");
    EXPECT_EQ(printable("\xC0\xAF"), "\\xc0\\xaf");          // overlong '/'
    EXPECT_EQ(printable("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // surrogate
    EXPECT_EQ(printable("\xFF" "x"), "\\xffx");
}

TEST(Printable, long_text_is_cut_at_a_character_boundary_with_a_marker) {
    const std::string long_text(100, 'a');
    EXPECT_EQ(printable(long_text, 10), "aaaaaaaaaa...(100 bytes)");
    EXPECT_EQ(printable("ééééé", 5), "éé...(10 bytes)");  // never half a character
    EXPECT_EQ(printable("exactly10!", 10), "exactly10!");
}

TEST(Printable, html_escape_escapes_markup_and_quotes) {
    EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace spiegel::util
