#include "daemon/util/csv.h"

#include <gtest/gtest.h>

#include "daemon/model/code_list.h"
#include "tests/support/test_support.h"

namespace spiegel::util {
namespace {

TEST(Csv, quoted_fields_with_commas_and_escaped_quotes) {
    auto t = parse_csv("code,name\r\na,\"x, \"\"y\"\"\"\nb,z\n", "t.csv");
    ASSERT_TRUE(t) << t.error().message;
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_EQ(t->rows[0][1], "x, \"y\"");
    EXPECT_EQ(t->row_lines[1], 3);
}

TEST(Csv, wrong_field_count_names_file_and_line) {
    auto t = parse_csv("code,name\na,b\nc\n", "codes.csv");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().message, "codes.csv:3: expected 2 fields, found 1");
}

TEST(Csv, unterminated_quote_is_an_error) {
    EXPECT_FALSE(parse_csv("code\n\"abc\n", "x.csv"));
}

TEST(Csv, shipped_code_lists_load) {
    const std::string dir = testing::source_dir() + "/rules/codes/";
    auto regions = model::CodeList::load(dir + "regions.csv");
    ASSERT_TRUE(regions) << regions.error().message;
    EXPECT_EQ(regions->size(), 35u);
    EXPECT_TRUE(regions->contains("AM21"));
    EXPECT_FALSE(regions->contains("am21"));
    EXPECT_EQ(regions->get("AM21", "name"), "Haaglanden");
    auto esco = model::CodeList::load(dir + "esco_occupations_nl.csv", "esco_code");
    ASSERT_TRUE(esco) << esco.error().message;
    EXPECT_EQ(esco->size(), 3018u);
}

}  // namespace
}  // namespace spiegel::util
