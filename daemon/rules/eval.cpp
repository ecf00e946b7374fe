// Evaluation of compiled check nodes on one record. No string lookups of
// top-level fields (slots are resolved at load time) and no allocation in
// the common paths; scratch buffers are thread_local.

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "daemon/rules/compiled.h"
#include "daemon/util/text.h"
#include "daemon/util/time.h"

namespace spiegel::rules {
namespace {

using model::FieldType;
using model::Value;

enum class Read : std::uint8_t { missing, malformed, ok };

Read read_number(const Value& v, FieldType type, double& out) {
    if (v.is_missing()) {
        return Read::missing;
    }
    switch (type) {
        case FieldType::integer:
        case FieldType::number:
            if (!v.is_numeric()) {
                return Read::malformed;
            }
            out = v.as_double();
            return Read::ok;
        case FieldType::timestamp:
        case FieldType::date:
        case FieldType::month: {
            if (!v.is_string()) {
                return Read::malformed;
            }
            if (type == FieldType::timestamp) {  // with its fraction of a second
                const auto t = util::parse_timestamp_precise(v.string);
                if (!t) {
                    return Read::malformed;
                }
                out = *t;
                return Read::ok;
            }
            const auto t = type == FieldType::date ? util::parse_date(v.string) : util::parse_month(v.string);
            if (!t) {
                return Read::malformed;
            }
            out = static_cast<double>(*t);
            return Read::ok;
        }
        default:
            return Read::malformed;
    }
}

double as_of_in(FieldType type, const AsOf& as_of) {
    switch (type) {
        case FieldType::timestamp:
            return as_of.seconds;
        case FieldType::date:
            return as_of.days;
        case FieldType::month:
            return as_of.months;
        default:
            return as_of.year;
    }
}

double bound_value(const Bound& b, FieldType type, const AsOf& as_of) {
    return b.value + (b.relative ? as_of_in(type, as_of) : 0.0);
}

// The first instant (seconds since the epoch) at which the as-of in the
// unit of `type` (as_of_in) reaches `threshold`, or passes it when strict.
// That unit never decreases as the instant grows. Beyond the calendar's
// range: never (INT64_MAX); not a number: now (the minimum).
std::int64_t first_instant(FieldType type, double threshold, bool strict) {
    constexpr std::int64_t k_never = std::numeric_limits<std::int64_t>::max();
    if (std::isnan(threshold)) {
        return std::numeric_limits<std::int64_t>::min();
    }
    // The least whole unit u with u >= threshold (u > threshold when strict).
    const double u = strict ? std::floor(threshold) + 1 : std::ceil(threshold);
    constexpr double k_limit = 1e15;  // far beyond any calendar date in any unit but seconds
    if (type == FieldType::timestamp) {
        return u >= 9.0e18 ? k_never : u <= -9.0e18 ? std::numeric_limits<std::int64_t>::min() : static_cast<std::int64_t>(u);
    }
    if (u >= k_limit) {
        return k_never;
    }
    if (u <= -k_limit) {
        return std::numeric_limits<std::int64_t>::min();
    }
    const auto whole = static_cast<std::int64_t>(u);
    if (type == FieldType::date) {
        return whole * 86400;
    }
    // months (year * 12 + month - 1) or calendar years
    std::int64_t year = whole;
    unsigned month = 1;
    if (type == FieldType::month) {
        year = whole >= 0 ? whole / 12 : -((-whole + 11) / 12);
        month = static_cast<unsigned>(whole - year * 12) + 1;
    }
    if (year > 30000) {
        return k_never;
    }
    if (year < -30000) {
        return std::numeric_limits<std::int64_t>::min();
    }
    const std::chrono::sys_days day{std::chrono::year{static_cast<int>(year)} / std::chrono::month{month} /
                                    std::chrono::day{1}};
    return static_cast<std::int64_t>(day.time_since_epoch().count()) * 86400;
}

void lower_horizon(const Env& env, std::int64_t instant) {
    if (env.horizon != nullptr && instant < *env.horizon) {
        *env.horizon = instant;
    }
}

// x within [lo, hi]. A relative bound moves with the as-of, always
// upwards: a relative lower bound that x meets stops being met once the
// as-of passes x - lo.value, and a relative upper bound that x exceeds is
// met once the as-of reaches x - hi.value; the other two cases never
// change. Those instants lower env's horizon. A bound not evaluated (the
// lower bound failed) cannot change the outcome while the ones evaluated
// keep theirs.
bool within(double x, const Bound& lo, const Bound& hi, FieldType type, const Env& env) {
    if (lo.set) {
        if (!(x >= bound_value(lo, type, env.as_of))) {
            return false;
        }
        if (lo.relative) {
            lower_horizon(env, first_instant(type, x - lo.value, true));
        }
    }
    if (hi.set) {
        const bool met = x <= bound_value(hi, type, env.as_of);
        if (!met && hi.relative) {
            lower_horizon(env, first_instant(type, x - hi.value, false));
        }
        return met;
    }
    return true;
}

bool compare(double a, CompareOp op, double b) {
    switch (op) {
        case CompareOp::lt:
            return a < b;
        case CompareOp::le:
            return a <= b;
        case CompareOp::eq:
            return a == b;
        case CompareOp::ne:
            return a != b;
        case CompareOp::ge:
            return a >= b;
        case CompareOp::gt:
            return a > b;
    }
    return false;
}

// Words in text, counting at most `limit` (a Unicode-aware count as
// util::count_words, with a table for ASCII bytes).
std::size_t count_words_upto(std::string_view text, std::size_t limit) {
    static const auto k_ascii_word = [] {
        std::array<bool, 128> t{};
        for (int c = 0; c < 128; ++c) {
            t[static_cast<std::size_t>(c)] = util::is_word_char(static_cast<char32_t>(c));
        }
        return t;
    }();
    std::size_t count = 0;
    bool in_word = false;
    std::size_t pos = 0;
    while (pos < text.size() && count < limit) {
        const auto b = static_cast<unsigned char>(text[pos]);
        bool word = false;
        if (b < 0x80) {
            word = k_ascii_word[b];
            ++pos;
        } else {
            word = util::is_word_char(util::next_code_point(text, pos));
        }
        count += (word && !in_word) ? 1 : 0;
        in_word = word;
    }
    return count;
}

bool eval_matches(const Node& n, const Value& v) {
    if (!v.is_string()) {
        return false;
    }
    std::string_view text = n.trim ? util::trim(v.string) : v.string;
    thread_local std::string buffer;
    if (!n.remove.empty()) {
        buffer.clear();
        for (char c : text) {
            if (n.remove.find(c) == std::string::npos) {
                buffer.push_back(c);
            }
        }
        text = buffer;
    }
    const re2::StringPiece piece(text.data(), text.size());
    return n.full ? RE2::FullMatch(piece, *n.regex) : RE2::PartialMatch(piece, *n.regex);
}

bool eval_in_set(const Node& n, const Value& v) {
    if (v.is_string()) {
        return n.set->find(v.string) != n.set->end();
    }
    if (v.type == model::ValueType::integer) {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.integer);
        return n.set->find(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf))) != n.set->end();
    }
    return false;
}

bool eval_contains(const Node& n, const Value& v) {
    if (v.is_array()) {
        for (const Value& item : v.items) {
            if (item.is_string() && item.string == n.value) {
                return true;
            }
        }
        return false;
    }
    return v.is_string() && v.string == n.value;
}

bool eval_compare(const Node& n, const Env& env) {
    double a = 0;
    const Read ra = read_number(field_value(n.field, env), n.field.type, a);
    if (ra != Read::ok) {
        return ra == Read::missing ? n.if_missing : false;
    }
    double b = 0;
    const Read rb = read_number(field_value(n.other, env), n.other.type, b);
    if (rb == Read::missing && n.has_other_default) {
        b = n.other_default;
    } else if (rb != Read::ok) {
        return rb == Read::missing ? n.if_missing : false;
    }
    return compare(a, n.cmp, b + n.offset.value);
}

std::size_t count_items(const Value& v) {
    std::size_t count = 0;
    for (const Value& item : v.items) {
        // Non-empty as the contract defines missing (null, "" or []): a
        // string of spaces is an item, as it is a value for `present`.
        count += item.is_missing() ? 0 : 1;
    }
    return count;
}

bool eval_items(const Node& n, const Env& env) {
    const Value& array = field_value(n.field, env);
    const bool every = n.op == Op::every;
    if (!array.is_array()) {
        return every;
    }
    for (const Value& item : array.items) {
        Env inner{env.record, &item, env.as_of, env.cross, env.impl, env.horizon};
        bool all_true = true;
        for (const Node& c : n.children) {
            if (!eval_node(c, inner)) {
                all_true = false;
                break;
            }
        }
        if (all_true != every) {
            return !every;
        }
    }
    return every;
}

template <class Pred>
bool any_text(const Node& n, const Env& env, Pred&& pred) {
    for (const FieldRef& f : n.fields) {
        const Value& v = field_value(f, env);
        if (v.is_string() && !v.string.empty() && pred(v.string)) {
            return true;
        }
    }
    return false;
}

bool eval_unique(const Node& n, const Env& env) {
    if (env.cross == nullptr) {
        return false;
    }
    const CrossSpec& spec = env.impl->cross_specs[static_cast<std::size_t>(n.cross)];
    thread_local std::string key;
    unique_key(spec, env.record, key);
    if (key.empty()) {
        return true;
    }
    const auto& groups = env.cross->data().groups[static_cast<std::size_t>(n.cross)];
    const auto it = groups.find(std::string_view(key));
    return it == groups.end() || it->second.count < 2 || it->second.best_id == env.record.id();
}

bool eval_cross(const Node& n, const Env& env) {
    if (n.op == Op::unique) {
        return eval_unique(n, env);
    }
    std::string_view key;
    if (n.op == Op::exists) {
        const Value& v = field_value(n.field, env);
        if (v.is_missing()) {
            return n.if_missing;
        }
        if (!v.is_string()) {
            return false;
        }
        key = v.string;
    } else {
        key = env.record.id();
    }
    if (env.cross == nullptr) {
        return false;
    }
    const auto& set = env.cross->data().sets[static_cast<std::size_t>(n.cross)];
    return set.find(key) != set.end();
}

bool eval_leaf(const Node& n, const Env& env) {
    const Value& v = field_value(n.field, env);
    if (v.is_missing()) {
        return n.if_missing;
    }
    switch (n.op) {
        case Op::matches:
            return eval_matches(n, v);
        case Op::in_set:
            return eval_in_set(n, v);
        case Op::contains:
            return eval_contains(n, v);
        case Op::range: {
            double x = 0;
            return read_number(v, n.field.type, x) == Read::ok && within(x, n.lo, n.hi, n.field.type, env);
        }
        case Op::words: {
            // Counting beyond max + 1 (or min when there is no max) cannot change the result.
            const auto limit = static_cast<std::size_t>(n.hi.set ? n.hi.value + 1 : n.lo.value);
            return v.is_string() && within(static_cast<double>(count_words_upto(v.string, limit)), n.lo, n.hi,
                                           FieldType::integer, env);
        }
        case Op::count:
            return v.is_array() &&
                   within(static_cast<double>(count_items(v)), n.lo, n.hi, FieldType::integer, env);
        default:
            return false;
    }
}

}  // namespace

AsOf make_as_of(std::int64_t seconds) {
    AsOf a;
    a.seconds = static_cast<double>(seconds);
    const std::chrono::sys_days day = util::utc_day(seconds);
    a.days = static_cast<double>(day.time_since_epoch().count());
    const std::chrono::year_month_day date{day};
    a.months = static_cast<double>(util::month_index(date.year() / date.month()));
    a.year = static_cast<int>(date.year());
    return a;
}

const model::Value& field_value(const FieldRef& ref, const Env& env) {
    switch (ref.scope) {
        case FieldRef::Scope::record:
            return env.record.field(ref.slot);
        case FieldRef::Scope::item:
            return env.item != nullptr ? env.item->get(ref.item_name) : model::null_value();
        case FieldRef::Scope::item_self:
            return env.item != nullptr ? *env.item : model::null_value();
    }
    return model::null_value();
}

bool eval_node(const Node& n, const Env& env) {
    switch (n.op) {
        case Op::all:
            for (const Node& c : n.children) {
                if (!eval_node(c, env)) {
                    return false;
                }
            }
            return true;
        case Op::any:
            for (const Node& c : n.children) {
                if (eval_node(c, env)) {
                    return true;
                }
            }
            return false;
        case Op::not_:
            return !eval_node(n.children.front(), env);
        case Op::present:
            return !field_value(n.field, env).is_missing();
        case Op::missing:
            return field_value(n.field, env).is_missing();
        case Op::compare:
            return eval_compare(n, env);
        case Op::every:
        case Op::some:
            return eval_items(n, env);
        case Op::mentions:
            return any_text(n, env, [&](std::string_view t) { return n.lexicon->matches(t); });
        case Op::contains_bsn:
            return any_text(n, env, [](std::string_view t) { return contains_bsn(t); });
        case Op::exists:
        case Op::referenced_by:
        case Op::unique:
            return eval_cross(n, env);
        default:
            return eval_leaf(n, env);
    }
}

namespace {

// Whether one of the 8 bytes at p is an ASCII digit (SWAR: with the high
// bit of every byte set, subtracting never borrows across bytes).
bool any_digit8(const char* p) {
    constexpr std::uint64_t k_high = 0x8080808080808080ULL;
    std::uint64_t x = 0;
    std::memcpy(&x, p, sizeof x);
    const std::uint64_t ge0 = (x | k_high) - 0x3030303030303030ULL;  // high bit: byte >= '0'
    const std::uint64_t ge10 = (x | k_high) - 0x3A3A3A3A3A3A3A3AULL; // high bit: byte > '9'
    return (ge0 & ~ge10 & ~x & k_high) != 0;
}

}  // namespace

bool contains_bsn(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size() && !any_digit8(text.data() + i)) {
            i += 8;  // most text has no digit for long stretches
            continue;
        }
        if (text[i] < '0' || text[i] > '9') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
            ++j;
        }
        if (j - i == 9) {
            int sum = 0;
            bool all_zero = true;
            for (std::size_t k = 0; k < 9; ++k) {
                const int d = text[i + k] - '0';
                all_zero = all_zero && d == 0;
                sum += k < 8 ? static_cast<int>(9 - k) * d : -d;
            }
            if (!all_zero && ((sum % 11) + 11) % 11 == 0) {
                return true;
            }
        }
        i = j;
    }
    return false;
}

}  // namespace spiegel::rules
