// Strict scalar readers of yaml_util.h: integers, integer ranges, durations.
// Text is parsed by hand rather than with yaml-cpp's convert<>, which takes
// hex, octal and yes/no forms and says nothing about overflow.

#include <charconv>
#include <limits>

#include "daemon/rules/yaml_util.h"

namespace spiegel::rules {
namespace {

enum class Parsed { ok, malformed, out_of_range };

bool all_digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Decimal digits with an optional sign; out_of_range beyond long long.
Parsed parse_decimal(std::string_view s, long long& out) {
    std::string_view digits = s;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
        digits.remove_prefix(1);
    }
    if (!all_digits(digits)) {
        return Parsed::malformed;
    }
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
    }
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    if (r.ec == std::errc::result_out_of_range) {
        return Parsed::out_of_range;
    }
    return r.ec == std::errc() && r.ptr == s.data() + s.size() ? Parsed::ok : Parsed::malformed;
}

struct Unit {
    std::string_view suffix;
    std::int64_t ms;
};
// "ms" before "m" and "s": the longest suffix wins.
constexpr Unit k_units[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
// More digits than this cannot be a sensible duration in any unit (and are
// refused before any multiplication).
constexpr std::size_t k_max_duration_digits = 12;

// Digits plus an optional unit, in milliseconds.
Parsed parse_duration(std::string_view s, std::int64_t& ms) {
    std::int64_t unit_ms = 1000;  // bare digits are seconds
    for (const Unit& u : k_units) {
        const bool digits_before = s.size() > u.suffix.size() && all_digits(s.substr(0, s.size() - u.suffix.size()));
        if (digits_before && s.ends_with(u.suffix)) {
            s.remove_suffix(u.suffix.size());
            unit_ms = u.ms;
            break;
        }
    }
    if (!all_digits(s)) {
        return Parsed::malformed;
    }
    if (s.size() > k_max_duration_digits) {
        return Parsed::out_of_range;
    }
    std::int64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);  // at most 12 digits: fits
    if (n > std::numeric_limits<std::int64_t>::max() / unit_ms) {
        return Parsed::out_of_range;
    }
    ms = n * unit_ms;
    return Parsed::ok;
}

std::string between(const std::string& lo, const std::string& hi) { return "must be between " + lo + " and " + hi; }

}  // namespace

std::optional<long long> read_integer(const YAML::Node& node, Sink& sink, std::string_view what) {
    long long v = 0;
    const Parsed p = node.IsScalar() ? parse_decimal(node.Scalar(), v) : Parsed::malformed;
    if (p == Parsed::ok) {
        return v;
    }
    sink.add(node.Mark(),
             std::string(what) + (p == Parsed::out_of_range ? ": integer too large" : ": expected an integer"));
    return std::nullopt;
}

std::optional<long long> read_integer_in(const YAML::Node& node, Sink& sink, std::string_view what, long long min,
                                         long long max) {
    long long v = 0;
    const Parsed p = node.IsScalar() ? parse_decimal(node.Scalar(), v) : Parsed::malformed;
    if (p == Parsed::malformed) {
        sink.add(node.Mark(), std::string(what) + ": expected an integer");
        return std::nullopt;
    }
    if (p == Parsed::out_of_range || v < min || v > max) {
        sink.add(node.Mark(), std::string(what) + ": " + between(std::to_string(min), std::to_string(max)));
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> read_duration(const YAML::Node& node, Sink& sink, std::string_view what,
                                          const DurationRange& range) {
    std::int64_t ms = 0;
    const Parsed p = node.IsScalar() ? parse_duration(node.Scalar(), ms) : Parsed::malformed;
    if (p == Parsed::malformed) {
        sink.add(node.Mark(), std::string(what) + (range.whole_seconds
                                                       ? ": expected a duration such as 300, 30s, 5m, 2h or 1d"
                                                       : ": expected a duration such as 500ms, 2s or 1m"));
        return std::nullopt;
    }
    if (p == Parsed::out_of_range || ms < range.min_ms || ms > range.max_ms) {
        sink.add(node.Mark(),
                 std::string(what) + ": " + between(format_duration(range.min_ms), format_duration(range.max_ms)));
        return std::nullopt;
    }
    if (range.whole_seconds && ms % 1000 != 0) {
        sink.add(node.Mark(), std::string(what) + ": must be a whole number of seconds");
        return std::nullopt;
    }
    return ms;
}

std::string format_duration(std::int64_t ms) {
    for (auto it = std::rbegin(k_units); it != std::rend(k_units); ++it) {
        if (ms != 0 && ms % it->ms == 0) {
            return std::to_string(ms / it->ms) + std::string(it->suffix);
        }
    }
    return std::to_string(ms) + "ms";
}

}  // namespace spiegel::rules
