// Bounds and amounts of range/compare: literal values, the as-of instant
// with offsets ("as_of - 180d", "as_of_year - 15"), and compare's arguments.

#include <charconv>
#include <cctype>

#include "daemon/rules/compile.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"
#include "daemon/util/time.h"

namespace spiegel::rules {
namespace {

using model::FieldType;

bool is_numeric(FieldType t) { return t == FieldType::integer || t == FieldType::number; }

std::optional<double> parse_double(std::string_view s) {
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return d;
}

// "24h", "180d", "3mo", "15": an amount in the unit of a field type.
std::optional<double> parse_amount(std::string text, FieldType type) {
    text = std::string(util::trim(text));
    std::size_t n = 0;
    while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.')) {
        ++n;
    }
    const auto number = parse_double(std::string_view(text).substr(0, n));
    const std::string unit(util::trim(std::string_view(text).substr(n)));
    if (!number) {
        return std::nullopt;
    }
    if (is_numeric(type)) {
        return unit.empty() ? number : std::nullopt;
    }
    if (type == FieldType::timestamp) {
        const double k = unit == "s" ? 1 : unit == "min" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
        return k > 0 ? std::optional<double>(*number * k) : std::nullopt;
    }
    if (type == FieldType::date) {
        return unit.empty() || unit == "d" ? number : std::nullopt;
    }
    return unit.empty() || unit == "mo" ? number : std::nullopt;
}

}  // namespace

// A literal bound or "as_of [+|- amount]" (temporal) / "as_of_year [+|- N]" (numeric).
std::optional<Bound> parse_bound(const YAML::Node& yaml, FieldType type, CompileCtx& ctx) {
    Bound b;
    b.set = true;
    const std::string text = yaml.IsScalar() ? std::string(util::trim(yaml.Scalar())) : std::string();
    const std::string anchor = is_numeric(type) ? "as_of_year" : "as_of";
    if (text.rfind(anchor, 0) == 0 && (text.size() == anchor.size() || !std::isalnum(static_cast<unsigned char>(text[anchor.size()])) )) {
        if (!ctx.allow_as_of) {
            ctx.sink.add(yaml.Mark(), "bound " + util::quoted(text) + ": a `where` condition on other records cannot "
                                      "use the as-of instant");
            return std::nullopt;
        }
        b.relative = true;
        std::string rest(util::trim(std::string_view(text).substr(anchor.size())));
        if (rest.empty()) {
            return b;
        }
        const char sign = rest[0];
        const auto amount = (sign == '+' || sign == '-') ? parse_amount(rest.substr(1), type) : std::nullopt;
        if (amount) {
            b.value = sign == '-' ? -*amount : *amount;
            return b;
        }
    } else if (is_numeric(type)) {
        if (const auto d = parse_double(text)) {
            b.value = *d;
            return b;
        }
    } else {
        const auto t = type == FieldType::timestamp ? util::parse_timestamp(text)
                       : type == FieldType::date    ? util::parse_date(text)
                                                    : util::parse_month(text);
        if (t) {
            b.value = static_cast<double>(*t);
            return b;
        }
    }
    const std::string expect = is_numeric(type) ? "a number or 'as_of_year - N'"
                               : type == FieldType::timestamp ? "an RFC 3339 timestamp or 'as_of - N(s|min|h|d)'"
                               : type == FieldType::date      ? "a YYYY-MM-DD date or 'as_of - Nd'"
                                                              : "a YYYY-MM month or 'as_of - Nmo'";
    ctx.sink.add(yaml.Mark(), "bad bound " + util::quoted(text) + ": expected " + expect);
    return std::nullopt;
}


bool compile_compare(MapReader& map, CompileCtx& ctx, Node& out) {
    auto op = map.require("op");
    auto other = map.require("other");
    if (op) {
        const std::string s = op->IsScalar() ? op->Scalar() : std::string();
        static const std::pair<const char*, CompareOp> k_ops[] = {{"<", CompareOp::lt},  {"<=", CompareOp::le},
                                                                  {"==", CompareOp::eq}, {"!=", CompareOp::ne},
                                                                  {">=", CompareOp::ge}, {">", CompareOp::gt}};
        bool found = false;
        for (const auto& [name, value] : k_ops) {
            if (s == name) {
                out.cmp = value;
                found = true;
            }
        }
        if (!found) {
            ctx.sink.add(op->Mark(), "op: expected one of <, <=, ==, !=, >=, >");
        }
    }
    if (other) {
        if (auto ref = resolve_field(*other, ctx)) {
            const bool same = (is_numeric(ref->type) && is_numeric(out.field.type)) || ref->type == out.field.type;
            if (!same) {
                ctx.sink.add(other->Mark(), "other: " + util::quoted(other->Scalar()) + " is " +
                                                std::string(model::field_type_name(ref->type)) + ", not comparable with " +
                                                std::string(model::field_type_name(out.field.type)));
            }
            out.other = *ref;
        }
    }
    if (auto offset = map.get("offset")) {
        std::string text = offset->IsScalar() ? std::string(util::trim(offset->Scalar())) : std::string();
        const bool negative = !text.empty() && text[0] == '-';
        if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
            text.erase(0, 1);
        }
        const auto v = offset->IsScalar() ? parse_amount(text, out.field.type) : std::nullopt;
        if (!v) {
            ctx.sink.add(offset->Mark(), "offset: expected an amount in the field's unit (a number; 24h, 30d; 3mo)");
        }
        out.offset.value = negative ? -v.value_or(0) : v.value_or(0);
    }
    if (auto def = map.get("other_default")) {
        if (const auto v = read_number(*def, ctx.sink, "other_default")) {
            out.has_other_default = true;
            out.other_default = *v;
        }
    }
    return true;
}

}  // namespace spiegel::rules
