#pragma once
// Calendar and timestamp parsing for the record contract (RFC 3339
// timestamps, YYYY-MM-DD dates, YYYY-MM months). Calendar arithmetic is
// std::chrono's proleptic Gregorian calendar. Pure functions, thread-safe;
// all values are UTC. Impossible dates (2026-02-30) are rejected, not
// normalised: a parse failure is std::nullopt.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spiegel::util {

// "2026-10-01T12:00:00Z", "2026-10-01T14:00:00.5+02:00" -> seconds since the
// epoch, UTC. Fractions are truncated (parse_timestamp_precise keeps them). Lower-case 't'/'z' and a space as
// separator are accepted (RFC 3339 section 5.6 note). An instant outside the
// years 0000-9999 in UTC is rejected, so every result formats back.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// The digits of a timestamp's fraction of a second ("5" of
// "...:00.500+02:00": trailing zeros dropped), "" when it has none or it is
// zero; at most 9 digits (nanoseconds, further digits dropped). Only
// meaningful for a text parse_timestamp accepts.
std::string timestamp_fraction(std::string_view text);

// The same fraction in nanoseconds, 0 to 999,999,999 (0 when there is
// none). Only meaningful for a text parse_timestamp accepts.
std::int32_t timestamp_nanos(std::string_view text);

// A timestamp's instant in seconds since the epoch with its fraction of a
// second: what rules compare, so that 24 hours and 1 ms is more than 24
// hours.
std::optional<double> parse_timestamp_precise(std::string_view text);

// The stored form of a timestamp: UTC, "2026-10-01T12:00:00Z", with the
// fraction of a second it was given ("2026-10-01T12:00:00.25Z").
std::optional<std::string> normalize_timestamp(std::string_view text);

// "2026-10-01" -> days since the epoch.
std::optional<std::int64_t> parse_date(std::string_view text);

// "2026-10" -> months since year 0 (year * 12 + month - 1), month 01..12.
std::optional<std::int64_t> parse_month(std::string_view text);

// seconds since the epoch -> "2026-10-01T12:00:00Z".
std::string format_timestamp(std::int64_t seconds);
// days since the epoch -> "2026-10-01".
std::string format_date(std::int64_t days);

// The UTC day of an instant (seconds since the epoch, rounded down, also
// before 1970); std::chrono::year_month_day{utc_day(t)} is its date.
std::chrono::sys_days utc_day(std::int64_t seconds);
// A month on parse_month's scale: year * 12 + month - 1.
std::int64_t month_index(std::chrono::year_month month);

inline constexpr std::int64_t k_seconds_per_day = 86400;

}  // namespace spiegel::util
