#pragma once
// Calendar and timestamp parsing for the record contract (RFC 3339
// timestamps, YYYY-MM-DD dates, YYYY-MM months). Pure functions; all values
// are UTC. Impossible dates (2026-02-30) are rejected, not normalised.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spiegel::util {

// Days since 1970-01-01 of a proleptic Gregorian date; no range checks.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

struct Civil {
    int year;
    unsigned month;
    unsigned day;
};
Civil civil_from_days(std::int64_t days);

// "2026-10-01T12:00:00Z", "2026-10-01T14:00:00.5+02:00" -> seconds since the
// epoch, UTC. Fractions are truncated. Lower-case 't'/'z' and a space as
// separator are accepted (RFC 3339 section 5.6 note). An instant outside the
// years 0000-9999 in UTC is rejected, so every result formats back.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// "2026-10-01" -> days since the epoch.
std::optional<std::int64_t> parse_date(std::string_view text);

// "2026-10" -> months since year 0 (year * 12 + month - 1), month 01..12.
std::optional<std::int64_t> parse_month(std::string_view text);

// seconds since the epoch -> "2026-10-01T12:00:00Z".
std::string format_timestamp(std::int64_t seconds);
// days since the epoch -> "2026-10-01".
std::string format_date(std::int64_t days);

inline constexpr std::int64_t k_seconds_per_day = 86400;

}  // namespace spiegel::util
