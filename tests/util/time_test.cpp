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

// Rules compare instants to the fraction of a second; the stored form keeps
// the fraction given (trailing zeros dropped, at most nanoseconds).
TEST(Time, a_fraction_of_a_second_is_kept_for_comparison_and_storage) {
    EXPECT_EQ(parse_timestamp("2026-10-01T12:00:00.999Z"), parse_timestamp("2026-10-01T12:00:00Z"));
    EXPECT_DOUBLE_EQ(*parse_timestamp_precise("2026-10-01T12:00:00.25Z"), 1790856000.25);
    EXPECT_DOUBLE_EQ(*parse_timestamp_precise("2026-10-01T14:00:00.001+02:00"), 1790856000.001);
    EXPECT_GT(*parse_timestamp_precise("2026-10-01T12:00:00.001Z"), *parse_timestamp_precise("2026-10-01T12:00:00Z"));
    EXPECT_EQ(normalize_timestamp("2026-10-01T14:00:00.250+02:00"), "2026-10-01T12:00:00.25Z");
    EXPECT_EQ(normalize_timestamp("2026-10-01T12:00:00.000Z"), "2026-10-01T12:00:00Z");
    EXPECT_EQ(normalize_timestamp("2026-10-01t12:00:00z"), "2026-10-01T12:00:00Z");
    EXPECT_EQ(normalize_timestamp("2026-10-01T12:00:00.1234567890123Z"), "2026-10-01T12:00:00.123456789Z");
    EXPECT_FALSE(normalize_timestamp("2026-10-01T12:00:00.Z"));
    EXPECT_FALSE(parse_timestamp_precise("gisteren"));
    EXPECT_EQ(timestamp_nanos("2026-10-01T12:00:00Z"), 0);
    EXPECT_EQ(timestamp_nanos("2026-10-01T14:00:00.5+02:00"), 500000000);
    EXPECT_EQ(timestamp_nanos("2026-10-01T12:00:00.100000001Z"), 100000001);
    EXPECT_EQ(timestamp_nanos("2026-10-01T12:00:00.1234567890123Z"), 123456789);
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

TEST(Time, century_leap_rules_and_month_lengths) {
    EXPECT_FALSE(parse_date("2100-02-29").has_value());
    EXPECT_TRUE(parse_date("2400-02-29").has_value());
    EXPECT_TRUE(parse_date("0000-02-29").has_value());  // year 0 is a leap year (proleptic Gregorian)
    EXPECT_FALSE(parse_date("2026-02-30").has_value());
    EXPECT_FALSE(parse_date("2026-04-31").has_value());
    EXPECT_TRUE(parse_date("2026-12-31").has_value());
    EXPECT_FALSE(parse_date("2026-00-10").has_value());
    EXPECT_FALSE(parse_date("2026-01-00").has_value());
    EXPECT_FALSE(parse_date("2026-1-01").has_value());
    EXPECT_EQ(*parse_date("2024-03-01") - *parse_date("2024-02-28"), 2);
    EXPECT_EQ(*parse_date("2023-03-01") - *parse_date("2023-02-28"), 1);
}

TEST(Time, dates_count_days_from_the_epoch_both_ways) {
    EXPECT_EQ(parse_date("1970-01-01"), 0);
    EXPECT_EQ(parse_date("1969-12-31"), -1);
    EXPECT_EQ(parse_date("0000-01-01"), -719528);
    EXPECT_EQ(parse_date("9999-12-31"), 2932896);
    for (const char* date : {"0000-01-01", "0000-03-01", "1600-02-29", "1969-12-31", "2000-02-29", "9999-12-31"}) {
        EXPECT_EQ(format_date(*parse_date(date)), date);
    }
    EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59Z");
    EXPECT_EQ(parse_timestamp("1969-12-31T23:59:59Z"), -1);
}

TEST(Time, leap_second_folds_into_the_next_minute) {
    EXPECT_EQ(parse_timestamp("2016-12-31T23:59:60Z"), parse_timestamp("2017-01-01T00:00:00Z"));
}

TEST(Time, utc_day_rounds_down_also_before_1970) {
    using namespace std::chrono;
    EXPECT_EQ(year_month_day{utc_day(0)}, 1970y / January / 1);
    EXPECT_EQ(year_month_day{utc_day(-1)}, 1969y / December / 31);
    EXPECT_EQ(year_month_day{utc_day(*parse_timestamp("2024-02-29T23:59:59Z"))}, 2024y / February / 29);
}

TEST(Time, month_index_is_the_scale_of_parse_month) {
    using namespace std::chrono;
    EXPECT_EQ(month_index(2026y / January), parse_month("2026-01"));
    EXPECT_EQ(month_index(2026y / December), parse_month("2026-12"));
    EXPECT_EQ(month_index(0y / January), 0);
}

}  // namespace
}  // namespace spiegel::util
