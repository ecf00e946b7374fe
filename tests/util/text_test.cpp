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

}  // namespace
}  // namespace spiegel::util
