#include "daemon/util/time.h"

#include <algorithm>

#include <cstdio>

namespace spiegel::util {
namespace {

namespace chrono = std::chrono;

// The instants that are a timestamp again in UTC: years 0000-9999.
constexpr chrono::sys_seconds k_first_instant = chrono::sys_days{chrono::year{0} / chrono::January / 1};
constexpr chrono::sys_seconds k_last_instant =
    chrono::sys_days{chrono::year{9999} / chrono::December / 31} + chrono::seconds{k_seconds_per_day - 1};

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

// Parses YYYY-MM-DD at the start of text; nullopt when malformed or not a
// date of the calendar (month 13, February 30, February 29 of 2023).
std::optional<chrono::sys_days> parse_date_prefix(std::string_view text) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, m) ||
        text[7] != '-' || !digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    const chrono::year_month_day date{chrono::year{y}, chrono::month{static_cast<unsigned>(m)},
                                      chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return chrono::sys_days{date};
}

// Parses "HH:MM:SS[.fraction]" at text[11..]; pos is left after it.
std::optional<chrono::seconds> parse_time_of_day(std::string_view text, std::size_t& pos) {
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (!digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mm) || text[16] != ':' ||
        !digits(text, 17, 2, ss)) {
        return std::nullopt;
    }
    // 60 is a leap second; it is folded into the next minute's first second.
    if (hh > 23 || mm > 59 || ss > 60) {
        return std::nullopt;
    }
    pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    return chrono::hours{hh} + chrono::minutes{mm} + chrono::seconds{ss};
}

// Parses "Z" or "+HH:MM" / "-HH:MM" at text[pos], which must end the text;
// returns the offset from UTC.
std::optional<chrono::seconds> parse_offset(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) {
        return std::nullopt;
    }
    const char z = text[pos];
    if ((z == 'Z' || z == 'z') && pos + 1 == text.size()) {
        return chrono::seconds{0};
    }
    int oh = 0;
    int om = 0;
    if ((z != '+' && z != '-') || !digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !digits(text, pos + 4, 2, om) || oh > 23 || om > 59 || pos + 6 != text.size()) {
        return std::nullopt;
    }
    const chrono::seconds offset = chrono::hours{oh} + chrono::minutes{om};
    return z == '+' ? offset : -offset;
}

}  // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    const auto day = parse_date_prefix(text);
    if (!day || text.size() < 20) {
        return std::nullopt;
    }
    const char sep = text[10];
    if (sep != 'T' && sep != 't' && sep != ' ') {
        return std::nullopt;
    }
    std::size_t pos = 0;
    const auto time = parse_time_of_day(text, pos);
    if (!time) {
        return std::nullopt;
    }
    const auto offset = parse_offset(text, pos);
    if (!offset) {
        return std::nullopt;
    }
    // "0000-01-01T00:00:00+01:00" lies in year -1, which format_timestamp
    // cannot write as RFC 3339.
    const chrono::sys_seconds t = *day + *time - *offset;
    if (t < k_first_instant || t > k_last_instant) {
        return std::nullopt;
    }
    return t.time_since_epoch().count();
}

std::string timestamp_fraction(std::string_view text) {
    if (text.size() <= 20 || text[19] != '.') {
        return "";
    }
    std::size_t end = 20;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
        ++end;
    }
    std::string digits(text.substr(20, std::min<std::size_t>(end - 20, 9)));
    while (!digits.empty() && digits.back() == '0') {
        digits.pop_back();
    }
    return digits;
}

std::int32_t timestamp_nanos(std::string_view text) {
    std::string digits = timestamp_fraction(text);
    digits.resize(9, '0');
    std::int32_t nanos = 0;
    for (const char c : digits) {
        nanos = nanos * 10 + (c - '0');
    }
    return nanos;
}

std::optional<double> parse_timestamp_precise(std::string_view text) {
    const auto seconds = parse_timestamp(text);
    if (!seconds) {
        return std::nullopt;
    }
    const std::string fraction = timestamp_fraction(text);
    return static_cast<double>(*seconds) + (fraction.empty() ? 0.0 : std::stod("0." + fraction));
}

std::optional<std::string> normalize_timestamp(std::string_view text) {
    const auto seconds = parse_timestamp(text);
    if (!seconds) {
        return std::nullopt;
    }
    std::string out = format_timestamp(*seconds);
    if (const std::string fraction = timestamp_fraction(text); !fraction.empty()) {
        out.insert(out.size() - 1, "." + fraction);
    }
    return out;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
    if (text.size() != 10) {
        return std::nullopt;
    }
    const auto day = parse_date_prefix(text);
    if (!day) {
        return std::nullopt;
    }
    return day->time_since_epoch().count();
}

std::optional<std::int64_t> parse_month(std::string_view text) {
    int y = 0;
    int m = 0;
    if (text.size() != 7 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m)) {
        return std::nullopt;
    }
    const chrono::year_month month{chrono::year{y}, chrono::month{static_cast<unsigned>(m)}};
    if (!month.ok()) {
        return std::nullopt;
    }
    return month_index(month);
}

std::string format_timestamp(std::int64_t seconds) {
    const chrono::sys_seconds t{chrono::seconds{seconds}};
    const chrono::sys_days day = chrono::floor<chrono::days>(t);
    const chrono::year_month_day date{day};
    const chrono::hh_mm_ss time{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buf;
}

std::string format_date(std::int64_t days) {
    const chrono::year_month_day date{chrono::sys_days{chrono::days{days}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

chrono::sys_days utc_day(std::int64_t seconds) {
    return chrono::floor<chrono::days>(chrono::sys_seconds{chrono::seconds{seconds}});
}

std::int64_t month_index(chrono::year_month month) {
    return static_cast<std::int64_t>(static_cast<int>(month.year())) * 12 +
           static_cast<std::int64_t>(static_cast<unsigned>(month.month())) - 1;
}

}  // namespace spiegel::util
