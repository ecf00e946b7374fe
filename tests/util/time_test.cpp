#include "daemon/util/time.h"

#include <gtest/gtest.h>

namespace spiegel::util {
namespace {

TEST(Time, utc_timestamp_parses) {
    EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_timestamp("2026-10-01T12:00:00Z"), 1790856000);
}

TEST(Time, offset_is_converted_to_utc) {
    EXPECT_EQ(parse_timestamp("2026-10-01T14:00:00+02:00"), parse_timestamp("2026-10-01T12:00:00Z"));
    EXPECT_EQ(parse_timestamp("2026-10-01T11:30:00.123-00:30"), parse_timestamp("2026-10-01T12:00:00Z"));
}

TEST(Time, malformed_or_impossible_timestamps_are_rejected) {
    for (const char* bad : {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-10-01", "2026-10-01T24:00:00Z",
                            "2026-10-01T12:00:00", "2026-10-01T12:00:00+2:00", "x", "", "2026-10-01T12:00:00Zjunk"}) {
        EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
    }
}

TEST(Time, offsets_that_leave_the_years_0000_to_9999_in_utc_are_rejected) {
    EXPECT_FALSE(parse_timestamp("0000-01-01T00:00:00+01:00").has_value());
    EXPECT_FALSE(parse_timestamp("9999-12-31T23:59:59-00:01").has_value());
    EXPECT_FALSE(parse_timestamp("9999-12-31T23:59:60Z").has_value());  // a leap second into year 10000
    EXPECT_EQ(format_timestamp(*parse_timestamp("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(*parse_timestamp("9999-12-31T23:59:59Z")), "9999-12-31T23:59:59Z");
    EXPECT_EQ(format_timestamp(*parse_timestamp("0000-01-01T00:59:59+00:59")), "0000-01-01T00:00:59Z");
}

TEST(Time, leap_day_only_in_leap_years) {
    EXPECT_TRUE(parse_date("2024-02-29").has_value());
    EXPECT_FALSE(parse_date("2023-02-29").has_value());
    EXPECT_FALSE(parse_date("1900-02-29").has_value());
    EXPECT_TRUE(parse_date("2000-02-29").has_value());
}

TEST(Time, months_need_two_digit_month_01_to_12) {
    EXPECT_EQ(parse_month("2026-01"), 2026 * 12);
    EXPECT_FALSE(parse_month("2026-13").has_value());
    EXPECT_FALSE(parse_month("2026-00").has_value());
    EXPECT_FALSE(parse_month("2026-1").has_value());
    EXPECT_FALSE(parse_month("2026-01-01").has_value());
}

TEST(Time, format_round_trips) {
    const auto t = parse_timestamp("2031-12-31T23:59:59Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(format_timestamp(*t), "2031-12-31T23:59:59Z");
    EXPECT_EQ(format_date(*parse_date("1969-07-20")), "1969-07-20");
}

}  // namespace
}  // namespace spiegel::util
