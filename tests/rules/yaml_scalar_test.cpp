// Strict scalars: integers are digits, booleans true/false, durations digits
// with one unit; nothing overflows.

#include <gtest/gtest.h>

#include "daemon/rules/yaml_util.h"

namespace spiegel::rules {
namespace {

struct Read {
    std::vector<Diagnostic> diagnostics;
    std::string message() const { return diagnostics.empty() ? std::string() : diagnostics[0].message; }
};

std::optional<long long> integer_in(const std::string& text, long long lo, long long hi, Read& r) {
    Sink sink("t.yaml", r.diagnostics);
    return read_integer_in(YAML::Load("v: " + text)["v"], sink, "key 'k'", lo, hi);
}

std::optional<std::int64_t> duration(const std::string& text, Read& r, DurationRange range = {1000, 86'400'000}) {
    Sink sink("t.yaml", r.diagnostics);
    return read_duration(YAML::Load("v: " + text)["v"], sink, "key 'k'", range);
}

TEST(YamlScalar, integer_in_range_is_read) {
    Read r;
    EXPECT_EQ(integer_in("10", 2, 1000, r), 10);
    EXPECT_EQ(integer_in("+7", 2, 1000, r), 7);
    EXPECT_TRUE(r.diagnostics.empty());
}

TEST(YamlScalar, integer_beyond_int_range_is_out_of_range_not_wrapped) {
    for (const char* text : {"4294967297", "2147483648", "99999999999999999999999", "-1", "1"}) {
        Read r;
        EXPECT_FALSE(integer_in(text, 2, 1000, r)) << text;
        EXPECT_EQ(r.message(), "key 'k': must be between 2 and 1000") << text;
    }
}

TEST(YamlScalar, integer_forms_other_than_decimal_digits_are_refused) {
    for (const char* text : {"1e3", "0x10", "10.0", "1_000", "ten", "''", "[1]"}) {
        Read r;
        EXPECT_FALSE(integer_in(text, 0, 100000, r)) << text;
        EXPECT_EQ(r.message(), "key 'k': expected an integer") << text;
    }
}

TEST(YamlScalar, durations_take_one_unit) {
    Read r;
    EXPECT_EQ(duration("300", r), 300'000);
    EXPECT_EQ(duration("30s", r), 30'000);
    EXPECT_EQ(duration("5m", r), 300'000);
    EXPECT_EQ(duration("2h", r), 7'200'000);
    EXPECT_EQ(duration("1d", r), 86'400'000);
    EXPECT_EQ(duration("500ms", r, {100, 60'000, false}), 500);
    EXPECT_TRUE(r.diagnostics.empty()) << r.message();
}

TEST(YamlScalar, malformed_durations_are_refused) {
    for (const char* text : {"1e3", "-5", "5 m", "5min", "''", "m", "5mm", "1.5h"}) {
        Read r;
        EXPECT_FALSE(duration(text, r)) << text;
        EXPECT_EQ(r.message(), "key 'k': expected a duration such as 300, 30s, 5m, 2h or 1d") << text;
    }
}

TEST(YamlScalar, huge_durations_are_out_of_range_without_overflow) {
    for (const char* text : {"4294967296", "999999999999d", "9999999999999999999999s", "0"}) {
        Read r;
        EXPECT_FALSE(duration(text, r)) << text;
        EXPECT_EQ(r.message(), "key 'k': must be between 1s and 1d") << text;
    }
}

TEST(YamlScalar, fractional_seconds_are_refused_where_whole_seconds_are_stored) {
    Read r;
    EXPECT_FALSE(duration("1500ms", r));
    EXPECT_EQ(r.message(), "key 'k': must be a whole number of seconds");
    Read whole;
    EXPECT_EQ(duration("2000ms", whole), 2000);
}

TEST(YamlScalar, durations_are_shown_in_their_largest_whole_unit) {
    EXPECT_EQ(format_duration(100), "100ms");
    EXPECT_EQ(format_duration(10'000), "10s");
    EXPECT_EQ(format_duration(60'000), "1m");
    EXPECT_EQ(format_duration(604'800'000), "7d");
}

TEST(YamlScalar, booleans_are_exactly_true_or_false) {
    std::vector<Diagnostic> diags;
    Sink sink("t.yaml", diags);
    EXPECT_EQ(read_bool(YAML::Load("true"), sink, "enabled"), true);
    EXPECT_EQ(read_bool(YAML::Load("false"), sink, "enabled"), false);
    for (const char* text : {"yes", "no", "on", "off", "1", "0", "True"}) {
        EXPECT_FALSE(read_bool(YAML::Load(text), sink, "enabled")) << text;
    }
    ASSERT_EQ(diags.size(), 7U);
    EXPECT_EQ(diags[0].message, "enabled: expected true or false");
}

}  // namespace
}  // namespace spiegel::rules
