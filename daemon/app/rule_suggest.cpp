// Suggested rules from a profile of the data (docs/rules.md#suggested-rules).

#include "daemon/app/rule_suggest.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "daemon/app/source_access.h"
#include "daemon/cards/field_labels.h"
#include "daemon/model/code_list.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using engine::FieldProfile;
using model::FieldType;

constexpr double k_min_share = 0.99;   // a suggested rule passes at least this share
constexpr std::int64_t k_min_seen = 20;  // fewer values say too little
// A suggested bound is a value at least this many records reach (at or
// beyond it); otherwise it would be one record's value, and the evidence
// speaks in counts only (docs/rules.md). Such a bound is rounded outward.
constexpr std::int64_t k_min_reaching = 10;
constexpr std::size_t k_max_enum = 12;
constexpr std::size_t k_max_pattern_length = 40;

struct NamedList {
    std::string path;  // relative to the rules directory
    model::CodeList list;
};

std::vector<NamedList> code_lists(const std::string& rules_dir) {
    std::vector<NamedList> out;
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::directory_iterator(fs::path(rules_dir) / "codes", ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        if (it->path().extension() == ".csv") {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        if (auto list = model::CodeList::load(f.string())) {
            out.push_back({"codes/" + f.filename().string(), std::move(*list)});
        }
    }
    return out;
}

std::string thousands(std::int64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0 && digits[0] != '-') {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string percent(std::int64_t part, std::int64_t whole) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
    return buf;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// A YAML single-quoted scalar.
std::string yaml_quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

bool meets(std::int64_t passing, std::int64_t total) {
    return total > 0 && static_cast<double>(passing) >= k_min_share * static_cast<double>(total);
}

// A value that may be written into the suggested file: short, printable, no quotes of any kind.
bool writable(std::string_view s) {
    if (s.empty() || s.size() > 40) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7F; });
}

std::string things(model::Kind kind) {
    return kind == model::Kind::cv ? "CVs" : kind == model::Kind::vacancy ? "vacancies" : "employers";
}

// The RE2 pattern of a shape: runs of 9 and a become classes, the rest literal.
std::string shape_pattern(std::string_view shape) {
    std::string out;
    for (std::size_t i = 0; i < shape.size();) {
        std::size_t j = i;
        while (j < shape.size() && shape[j] == shape[i]) {
            ++j;
        }
        const std::size_t n = j - i;
        const char c = shape[i];
        if (c == '9' || c == 'a') {
            out += c == '9' ? "[0-9]" : "[A-Za-z]";
            if (n > 1) {
                out += '{';
                out += std::to_string(n);
                out += '}';
            }
        } else {
            for (std::size_t k = 0; k < n; ++k) {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x80 && !std::isalnum(u) && c != ' ') {
                    out += '\\';
                }
                out += c;
            }
        }
        i = j;
    }
    return out;
}

class Suggester {
public:
    Suggester(const engine::KindProfiler& profile, const std::string& rules_dir, const rules::RuleSet& existing)
        : m_profile(profile), m_lists(code_lists(rules_dir)), m_existing(existing) {}

    std::vector<SuggestedRule> run() {
        const auto& schema = model::schema_for(m_profile.kind());
        m_has_created = schema.find("created_at") != nullptr;
        for (const auto& p : m_profile.fields()) {
            if (p.array.empty() && p.name == "id") {
                continue;
            }
            presence(p);
            const bool listed = code_list(p);
            const bool enumerated = !listed && enumeration(p);
            if (!listed && !enumerated) {
                pattern(p);
            }
            range(p);
            not_future(p);
            count(p);
            unique(p);
        }
        return std::move(m_out);
    }

private:
    std::string top(const FieldProfile& p) const { return p.array.empty() ? p.name : p.array; }
    std::string label(const FieldProfile& p) const {
        return p.array.empty() ? cards::field_label(p.name) : cards::field_label(p.array) + " (" + p.name + ")";
    }
    std::string of(const FieldProfile& p) const {
        return p.array.empty() ? thousands(p.seen) + " " + things(m_profile.kind())
                               : thousands(p.seen) + " items of " + p.array;
    }
    // The condition on the field, wrapped in `every` for an item field.
    std::string on(const FieldProfile& p, const std::string& inner) const {
        return p.array.empty() ? inner : "{every: {field: " + p.array + ", check: " + inner + "}}";
    }
    // True when an existing rule (enabled or not) reads the field in this
    // dimension, or reads it at all for a presence rule: most checks fail on
    // a missing value, so such a rule already judges presence.
    bool judged(const FieldProfile& p, rules::Dimension d, bool presence) const {
        const std::string field = top(p);
        for (const auto& info : m_existing.rules(m_profile.kind())) {
            const bool reads = std::find(info.fields.begin(), info.fields.end(), field) != info.fields.end();
            if (reads && (presence || info.dimension == d)) {
                return true;
            }
        }
        return false;
    }
    void add(const FieldProfile& p, std::string what, rules::Dimension d, std::string title, std::string advice,
             std::string check, std::string evidence) {
        if (judged(p, d, what == "present")) {
            return;
        }
        std::string path = p.path();
        std::replace(path.begin(), path.end(), '.', '_');
        SuggestedRule r{std::string(model::kind_name(m_profile.kind())) + ".suggested." + path + "." + what,
                        top(p), d, std::move(title), std::move(advice), std::move(check), std::move(evidence)};
        if (m_existing.find(r.id) != nullptr) {
            return;
        }
        m_out.push_back(std::move(r));
    }
    static std::string capital(std::string s) {
        if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
            s[0] = static_cast<char>(s[0] - 'a' + 'A');
        }
        return s;
    }

    void presence(const FieldProfile& p) {
        if (p.seen < k_min_seen || !meets(p.present, p.seen)) {
            return;
        }
        add(p, "present", rules::Dimension::completeness, capital(label(p)) + " ingevuld", "Vul " + label(p) + " in.",
            on(p, "{present: " + p.name + "}"),
            "present in " + percent(p.present, p.seen) + " of " + of(p) + " (" + thousands(p.seen - p.present) +
                " missing)");
    }

    bool code_list(const FieldProfile& p) {
        const bool text = p.type == FieldType::string || p.type == FieldType::string_array;
        if (!text || p.values_overflow || p.string_values < k_min_seen || p.values.size() < 2) {
            return false;
        }
        const NamedList* best = nullptr;
        std::int64_t best_in = -1;
        for (const auto& l : m_lists) {
            std::int64_t in = 0;
            for (const auto& [v, n] : p.values) {
                in += l.list.contains(v) ? n : 0;
            }
            if (in > best_in) {
                best = &l;
                best_in = in;
            }
        }
        if (best == nullptr || !meets(best_in, p.string_values)) {
            return false;
        }
        const std::string in = p.type == FieldType::string_array
                                   ? "{every: {field: " + p.name + ", check: {in: {field: ., list: " + best->path + "}}}}"
                                   : on(p, "{in: {field: " + p.name + ", list: " + best->path + ", if_missing: pass}}");
        add(p, "known", rules::Dimension::validity, capital(label(p)) + " uit de lijst",
            "Kies " + label(p) + " uit de lijst.", in,
            percent(best_in, p.string_values) + " of " + thousands(p.string_values) + " values are codes of " +
                best->path + " (" + thousands(p.string_values - best_in) + " are not)");
        return true;
    }

    bool enumeration(const FieldProfile& p) {
        if (p.type != FieldType::string || p.personal || p.values_overflow || p.values.size() < 2 ||
            p.values.size() > k_max_enum || p.string_values < 50) {
            return false;
        }
        std::vector<std::pair<std::string, std::int64_t>> sorted(p.values.begin(), p.values.end());
        std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        std::int64_t kept = 0;
        std::string values;
        for (const auto& [v, n] : sorted) {
            if (meets(kept, p.string_values)) {
                break;
            }
            if (!writable(v)) {
                return false;
            }
            kept += n;
            values += (values.empty() ? "" : ", ") + yaml_quoted(v);
        }
        add(p, "values", rules::Dimension::validity, capital(label(p)) + " is een bekende waarde",
            "Kies voor " + label(p) + " een van de gebruikelijke waarden.",
            on(p, "{in: {field: " + p.name + ", values: [" + values + "], if_missing: pass}}"),
            percent(kept, p.string_values) + " of " + thousands(p.string_values) + " values are one of these (" +
                thousands(p.string_values - kept) + " are not)");
        return true;
    }

    void pattern(const FieldProfile& p) {
        if (p.type != FieldType::string || p.string_values < k_min_seen || p.max_length > k_max_pattern_length ||
            p.distinct.size() <= k_max_enum) {
            return;
        }
        const auto top_shape = std::max_element(p.shapes.begin(), p.shapes.end(),
                                                [](const auto& a, const auto& b) { return a.second < b.second; });
        if (top_shape == p.shapes.end() || !meets(top_shape->second, p.string_values)) {
            return;
        }
        add(p, "format", rules::Dimension::validity, capital(label(p)) + " in de gebruikelijke vorm",
            "Controleer " + label(p) + ": de waarde heeft niet de gebruikelijke vorm.",
            on(p, "{matches: {field: " + p.name + ", pattern: " + yaml_quoted(shape_pattern(top_shape->first)) +
                      ", if_missing: pass}}"),
            percent(top_shape->second, p.string_values) + " of " + thousands(p.string_values) +
                " values have one shape (" + thousands(p.string_values - top_shape->second) + " do not)");
    }

    void range(const FieldProfile& p) {
        if (p.numbers.size() < static_cast<std::size_t>(k_min_seen)) {
            return;
        }
        std::vector<double> v = p.numbers;
        std::sort(v.begin(), v.end());
        const double q1 = v[v.size() / 4];
        const double q3 = v[(v.size() * 3) / 4];
        const double iqr = q3 - q1;
        double lo = iqr > 0 ? std::max(v.front(), q1 - 3 * iqr) : v.front();
        double hi = iqr > 0 ? std::min(v.back(), q3 + 3 * iqr) : v.back();
        // Bounds on observed values, so the rule never cuts between two of them.
        lo = *std::lower_bound(v.begin(), v.end(), lo);
        hi = *(std::upper_bound(v.begin(), v.end(), hi) - 1);
        // A bound fewer than k_min_reaching records reach would show one
        // record's value: it moves outward to a round number (a power of
        // ten below the width of the range), which passes the same records.
        const double step = hi > lo ? std::pow(10.0, std::floor(std::log10(hi - lo))) : 1.0;
        if (std::upper_bound(v.begin(), v.end(), lo) - v.begin() < k_min_reaching) {
            lo = std::floor(lo / step) * step;
        }
        if (v.end() - std::lower_bound(v.begin(), v.end(), hi) < k_min_reaching) {
            hi = std::ceil(hi / step) * step;
        }
        const auto inside = std::upper_bound(v.begin(), v.end(), hi) - std::lower_bound(v.begin(), v.end(), lo);
        const auto total = static_cast<std::int64_t>(v.size());
        if (!meets(inside, total)) {
            return;
        }
        add(p, "range", rules::Dimension::validity, capital(label(p)) + " binnen het gebruikelijke bereik",
            "Controleer " + label(p) + ": de waarde ligt buiten het gebruikelijke bereik (" + number(lo) + " tot " +
                number(hi) + ").",
            on(p, "{range: {field: " + p.name + ", min: " + number(lo) + ", max: " + number(hi) + ", if_missing: pass}}"),
            thousands(inside) + " of " + thousands(total) + " values between " + number(lo) + " and " + number(hi));
    }

    void not_future(const FieldProfile& p) {
        if (p.times < k_min_seen || !meets(p.times - p.future - p.unparsed, p.times)) {
            return;
        }
        add(p, "not_future", rules::Dimension::validity, capital(label(p)) + " niet in de toekomst",
            "Controleer " + label(p) + ": de datum ligt in de toekomst.",
            on(p, "{range: {field: " + p.name + ", max: as_of, if_missing: pass}}"),
            thousands(p.times - p.future - p.unparsed) + " of " + thousands(p.times) + " values are not after " +
                util::format_timestamp(m_profile.now()) + " (" + thousands(p.future) + " are, " +
                thousands(p.unparsed) + " do not parse)");
    }

    void count(const FieldProfile& p) {
        if (!p.array.empty() || (p.type != FieldType::string_array && p.type != FieldType::object_array)) {
            return;
        }
        std::int64_t arrays = 0;
        for (const auto& [n, c] : p.lengths) {
            arrays += c;
        }
        if (arrays < k_min_seen) {
            return;
        }
        std::int64_t best = 0;
        std::int64_t best_at_least = 0;
        for (std::int64_t k = 2; k <= 100; ++k) {
            std::int64_t at_least = 0;
            for (const auto& [n, c] : p.lengths) {
                at_least += n >= k ? c : 0;
            }
            if (!meets(at_least, arrays)) {
                break;
            }
            best = k;
            best_at_least = at_least;
        }
        if (best < 2) {
            return;
        }
        add(p, "count", rules::Dimension::completeness, capital(label(p)) + ": minstens " + std::to_string(best),
            "Vul minstens " + std::to_string(best) + " keer " + label(p) + " in.",
            "{count: {field: " + p.name + ", min: " + std::to_string(best) + ", if_missing: pass}}",
            thousands(best_at_least) + " of " + thousands(arrays) + " filled-in lists have at least " +
                std::to_string(best) + " items");
    }

    void unique(const FieldProfile& p) {
        if (!p.array.empty() || p.type != FieldType::string || !m_has_created || p.distinct_overflow ||
            p.max_length > k_max_pattern_length ||
            p.present < 100 || !meets(p.present, p.seen) || static_cast<std::int64_t>(p.distinct.size()) != p.present) {
            return;
        }
        add(p, "unique", rules::Dimension::uniqueness, capital(label(p)) + " komt maar één keer voor",
            "Dit record heeft dezelfde " + label(p) + " als een ouder record; controleer of het dubbel is.",
            "{unique: {key: [{field: " + p.name + "}], keep: earliest, order_by: created_at}}",
            "all " + thousands(p.present) + " filled-in values are distinct");
    }

    const engine::KindProfiler& m_profile;
    std::vector<NamedList> m_lists;
    const rules::RuleSet& m_existing;
    bool m_has_created = false;
    std::vector<SuggestedRule> m_out;
};

}  // namespace

std::vector<SuggestedRule> suggest_rules(const engine::KindProfiler& profile, const std::string& rules_dir,
                                         const rules::RuleSet& existing) {
    Suggester s(profile, rules_dir, existing);
    return s.run();
}

std::string suggested_rules_yaml(const engine::KindProfiler& profile, const std::vector<SuggestedRule>& rules) {
    const std::string kind(model::kind_name(profile.kind()));
    std::string out = "# Suggested rules for " + kind + ", from a profile of " + thousands(profile.records()) + " " +
                      things(profile.kind()) + " in the source (spiegeld rules suggest, " +
                      util::format_timestamp(profile.now()) +
                      ").\n"
                      "# Each rule is met by at least 99% of the records or values today; the comment\n"
                      "# above it gives the evidence. They describe the data as it is, not as it should\n"
                      "# be: keep the ones you agree with, in a rule file of your own (rules/local.yaml),\n"
                      "# give them weights and texts, and run `spiegeld check` and `spiegeld rules preview`.\n"
                      "kind: " + kind + "\nrules:" + (rules.empty() ? " []\n" : "\n");
    for (const auto& r : rules) {
        out += "  # " + r.evidence + "\n";
        out += "  - id: " + r.id + "\n";
        out += "    title: " + yaml_quoted(r.title) + "\n";
        out += "    dimension: " + std::string(rules::dimension_name(r.dimension)) + "\n";
        out += "    weight: 1\n    severity: info\n";
        out += "    advice: " + yaml_quoted(r.advice) + "\n";
        out += "    check: " + r.check + "\n\n";
    }
    return out;
}

util::Expected<engine::KindProfiler> profile_source(const Config& config, model::Kind kind, std::int64_t now) {
    auto opened = open_scan_source(config);  // sqlite or postgresql (config source.kind)
    if (!opened) {
        return opened.error();
    }
    engine::StreamRequest request;
    request.kind = kind;
    engine::KindProfiler profiler(kind, now);
    if (auto st = engine::for_each_record(*opened->source, request,
                                          [&](const model::Record& r) { profiler.add(r); });
        !st) {
        return st.error();
    }
    return profiler;
}

}  // namespace spiegel::app
