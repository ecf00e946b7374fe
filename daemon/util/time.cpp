#include "daemon/util/time.h"

#include <cstdio>

namespace spiegel::util {
namespace {

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

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int y, unsigned m) {
    static constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : k_days[m - 1];
}

// Parses YYYY-MM-DD at the start of text; returns days or nullopt.
std::optional<std::int64_t> parse_date_prefix(std::string_view text) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, m) ||
        text[7] != '-' || !digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) {
        return std::nullopt;
    }
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

}  // namespace

// Howard Hinnant's civil-from-days algorithms (public domain).
std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = month > 2 ? month - 3 : month + 9;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    return Civil{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    const auto days = parse_date_prefix(text);
    if (!days || text.size() < 20) {
        return std::nullopt;
    }
    const char sep = text[10];
    if (sep != 'T' && sep != 't' && sep != ' ') {
        return std::nullopt;
    }
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (!digits(text, 11, 2, hh) || text[13] != ':' || !digits(text, 14, 2, mm) ||
        text[16] != ':' || !digits(text, 17, 2, ss)) {
        return std::nullopt;
    }
    // 60 is a leap second; it is folded into the next minute's first second.
    if (hh > 23 || mm > 59 || ss > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
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
    if (pos >= text.size()) {
        return std::nullopt;
    }
    std::int64_t offset = 0;
    const char z = text[pos];
    if (z == 'Z' || z == 'z') {
        ++pos;
    } else if (z == '+' || z == '-') {
        int oh = 0;
        int om = 0;
        if (!digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            !digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = (oh * 3600 + om * 60) * (z == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) {
        return std::nullopt;
    }
    // Only instants that are a timestamp again in UTC (years 0000-9999):
    // "0000-01-01T00:00:00+01:00" lies in year -1, which format_timestamp
    // cannot write as RFC 3339.
    constexpr std::int64_t k_first = -62167219200;  // 0000-01-01T00:00:00Z
    constexpr std::int64_t k_last = 253402300799;   // 9999-12-31T23:59:59Z
    const std::int64_t t = *days * k_seconds_per_day + hh * 3600 + mm * 60 + ss - offset;
    if (t < k_first || t > k_last) {
        return std::nullopt;
    }
    return t;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
    if (text.size() != 10) {
        return std::nullopt;
    }
    return parse_date_prefix(text);
}

std::optional<std::int64_t> parse_month(std::string_view text) {
    int y = 0;
    int m = 0;
    if (text.size() != 7 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) ||
        m < 1 || m > 12) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(y) * 12 + (m - 1);
}

std::string format_timestamp(std::int64_t seconds) {
    std::int64_t days = seconds / k_seconds_per_day;
    std::int64_t rem = seconds % k_seconds_per_day;
    if (rem < 0) {
        rem += k_seconds_per_day;
        --days;
    }
    const Civil c = civil_from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.year, c.month, c.day,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
}

std::string format_date(std::int64_t days) {
    const Civil c = civil_from_days(days);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
    return buf;
}

}  // namespace spiegel::util
