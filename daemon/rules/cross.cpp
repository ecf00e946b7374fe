// Cross-record facts: referenced ids, referring ids and uniqueness groups.

#include <algorithm>
#include <limits>
#include <utility>

#include "daemon/rules/compiled.h"
#include "daemon/util/hash.h"
#include "daemon/util/text.h"
#include "daemon/util/time.h"

namespace spiegel::rules {
namespace {

bool token_char(char32_t cp) { return cp == '.' || util::is_word_char(cp); }

std::string without_dots(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c != '.') {
            out.push_back(c);
        }
    }
    return out;
}

// A token is listed when equal to a listed token, or equal to one once the
// dots of both are dropped ("bv." and "b.v" match "b.v." and "bv").
bool listed_token(const std::vector<std::string>& tokens, std::string_view token) {
    if (std::find(tokens.begin(), tokens.end(), token) != tokens.end()) {
        return true;
    }
    const std::string bare = without_dots(token);
    if (bare.empty()) {
        return false;
    }
    return std::any_of(tokens.begin(), tokens.end(), [&](const std::string& t) { return without_dots(t) == bare; });
}

// Removes whole tokens (maximal runs of letters, digits and '.') listed in `tokens`.
void remove_tokens(std::string& s, const std::vector<std::string>& tokens) {
    std::string out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t start = pos;
        std::size_t next = pos;
        if (!token_char(util::next_code_point(s, next))) {
            out.append(s, start, next - start);
            pos = next;
            continue;
        }
        std::size_t end = pos;
        while (end < s.size()) {
            std::size_t q = end;
            if (!token_char(util::next_code_point(s, q))) {
                break;
            }
            end = q;
        }
        const std::string_view token(s.data() + start, end - start);
        if (!listed_token(tokens, token)) {
            out.append(token);
        } else {
            out.push_back(' ');
        }
        pos = end;
    }
    s.swap(out);
}

template <class Keep>
void filter(std::string& s, Keep&& keep) {
    std::string out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        if (keep(util::next_code_point(s, pos))) {
            out.append(s, start, pos - start);
        }
    }
    s.swap(out);
}

std::size_t code_point_count(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < s.size(); ++n) {
        util::next_code_point(s, pos);
    }
    return n;
}

void first_code_points(std::string& s, std::size_t n) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n && pos < s.size(); ++i) {
        util::next_code_point(s, pos);
    }
    s.resize(pos);
}

void apply(const NormaliseStep& step, std::string& s) {
    switch (step.kind) {
        case NormaliseStep::Kind::lower:
            // Case-folded, compatibility-composed: "ＡＬＢＥＲＴ" is "albert".
            s = util::fold(s);
            break;
        case NormaliseStep::Kind::trim:
            s = std::string(util::trim(s));
            break;
        case NormaliseStep::Kind::letters_digits:
            filter(s, [](char32_t cp) { return util::is_word_char(cp); });
            break;
        case NormaliseStep::Kind::digits:
            filter(s, [](char32_t cp) { return cp >= '0' && cp <= '9'; });
            break;
        case NormaliseStep::Kind::remove_tokens:
            remove_tokens(s, step.tokens);
            break;
        case NormaliseStep::Kind::first:
            first_code_points(s, step.count);
            break;
        case NormaliseStep::Kind::min_length:
            // Too short to compare: the part becomes empty, and a record with
            // an empty key part never joins a group.
            if (code_point_count(s) < step.count) {
                s.clear();
            }
            break;
    }
}

// The instant of a record's order_by timestamp, to the nanosecond: seconds
// since the epoch and the fraction ("...:00.1Z" is before "...:00.9Z"). A
// missing or unreadable one counts as latest.
std::pair<std::int64_t, std::int32_t> order_time(const model::Record& record, std::uint16_t slot) {
    const model::Value& v = record.field(slot);
    if (v.is_string()) {
        if (const auto t = util::parse_timestamp(v.string)) {
            return {*t, util::timestamp_nanos(v.string)};
        }
    }
    return {std::numeric_limits<std::int64_t>::max(), 0};
}

}  // namespace

void unique_key(const CrossSpec& spec, const model::Record& record, std::string& out) {
    out.clear();
    thread_local std::string part;
    thread_local std::string composed;
    for (const KeyPart& kp : spec.key) {
        const model::Value& v = record.field(kp.slot);
        if (!v.is_string()) {
            out.clear();
            return;
        }
        // Canonically equivalent spellings (a precomposed "ë" or "e" with a
        // combining diaeresis) are the same key whatever the steps are.
        part.assign(util::compose(v.string, composed));
        for (const auto& step : kp.steps) {
            apply(step, part);
        }
        if (part.empty()) {
            out.clear();
            return;
        }
        out += part;
        out.push_back('\x1f');
    }
}

CrossIndex::CrossIndex(std::unique_ptr<Data> data) : m_data(std::move(data)) {}
CrossIndex::~CrossIndex() = default;

// Each fact is hashed on its own (seeded with its spec and what it is) and
// the hashes are added up, so the order of the sets and maps does not
// matter; the sizes go in too.
std::uint64_t CrossIndex::fingerprint() const {
    thread_local util::HashBytes b;
    std::uint64_t sum = 0;
    const Data& d = *m_data;
    for (std::size_t i = 0; i < d.sets.size(); ++i) {
        for (const std::string& key : d.sets[i]) {
            sum += util::hash64(key, 2 * i);
        }
        sum += util::hash64(std::to_string(d.sets[i].size()), 2 * i);
    }
    for (std::size_t i = 0; i < d.groups.size(); ++i) {
        for (const auto& [key, g] : d.groups[i]) {
            b.clear();
            b.text(key);
            b.number(g.count);
            b.number(g.best_time);
            b.number(g.best_nanos);
            b.text(g.best_id);
            sum += b.hash(2 * i + 1);
        }
        sum += util::hash64(std::to_string(d.groups[i].size()), 2 * i + 1);
    }
    b.clear();
    b.number(static_cast<std::uint64_t>(d.sets.size()));
    b.number(static_cast<std::uint64_t>(d.groups.size()));
    b.number(sum);
    return b.hash();
}

struct CrossIndexBuilder::Impl {
    const RuleSet& rule_set;
    std::unique_ptr<CrossIndex::Data> index;
};

CrossIndexBuilder::CrossIndexBuilder(const RuleSet& rule_set)
    : m_impl(std::make_unique<Impl>(Impl{rule_set, std::make_unique<CrossIndex::Data>()})) {
    const auto n = rule_set.impl().cross_specs.size();
    m_impl->index->sets.resize(n);
    m_impl->index->groups.resize(n);
}

CrossIndexBuilder::~CrossIndexBuilder() = default;

void CrossIndexBuilder::add(const model::Record& record) {
    const auto& impl = m_impl->rule_set.impl();
    CrossIndex::Data& index = *m_impl->index;
    const Env env{record, nullptr, make_as_of(0), nullptr, &impl};
    for (std::size_t i = 0; i < impl.cross_specs.size(); ++i) {
        const CrossSpec& spec = impl.cross_specs[i];
        if (!spec.enabled || spec.source != record.kind || (spec.where && !eval_node(*spec.where, env))) {
            continue;
        }
        if (spec.op == Op::exists) {
            index.sets[i].emplace(record.id());
        } else if (spec.op == Op::referenced_by) {
            const model::Value& v = record.field(spec.field);
            if (v.is_string() && !v.string.empty()) {
                index.sets[i].emplace(v.string);
            }
        } else {
            thread_local std::string key;
            unique_key(spec, record, key);
            if (key.empty()) {
                continue;
            }
            auto& groups = index.groups[i];
            auto it = groups.find(std::string_view(key));
            if (it == groups.end()) {
                it = groups.emplace(key, UniqueGroup{}).first;
            }
            UniqueGroup& g = it->second;
            const auto t = order_time(record, spec.order_by);
            const auto best = std::make_pair(g.best_time, g.best_nanos);
            const std::string_view id = record.id();
            if (g.count == 0 || t < best || (t == best && id < g.best_id)) {
                g.best_time = t.first;
                g.best_nanos = t.second;
                g.best_id.assign(id);
            }
            ++g.count;
        }
    }
}

std::unique_ptr<CrossIndex> CrossIndexBuilder::finish() {
    auto out = std::make_unique<CrossIndex>(std::move(m_impl->index));
    m_impl->index = std::make_unique<CrossIndex::Data>();
    const auto n = m_impl->rule_set.impl().cross_specs.size();
    m_impl->index->sets.resize(n);
    m_impl->index->groups.resize(n);
    return out;
}

}  // namespace spiegel::rules
