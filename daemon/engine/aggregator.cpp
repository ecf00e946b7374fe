#include "daemon/engine/aggregator.h"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>
#include <cmath>
#include <tuple>

namespace spiegel::engine {
namespace {

constexpr char k_sep = '\x1f';

enum PeerAttribute : std::uint32_t {
    a_count, a_visible, a_education, a_birth, a_hours_per_day, a_skill, a_licence, a_co_occupation,
    a_target_group, a_open, a_salary, a_hours_min, a_hours_max, a_score_tenths, a_score, a_attribute_count
};
constexpr std::string_view k_attribute_names[a_attribute_count] = {
    "count", "visible", "education", "birth", "hours_per_day", "skill", "licence", "co_occupation",
    "target_group", "open", "salary", "hours_min", "hours_max", "score_tenths", "score"};

void add_counts(StringMap<std::int64_t>& counts, const std::vector<std::string>& rules, std::int64_t sign) {
    for (const std::string& rule : rules) {
        auto f = counts.find(std::string_view(rule));
        if (f == counts.end()) {
            counts.emplace(rule, sign);
        } else {
            f->second += sign;
        }
    }
}

}  // namespace

void FlatCounter::add(std::uint64_t key, std::int64_t by) {
    if ((m_size + 1) * 4 > m_keys.size() * 3) {  // load at most 3/4: short probes, a third less memory than 1/2
        grow();
    }
    const std::size_t mask = m_keys.size() - 1;
    std::uint64_t h = key;  // splitmix64 finaliser: every key bit reaches the low bits
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (m_keys[i] != key && m_keys[i] != k_empty) {
        i = (i + 1) & mask;
    }
    const std::int64_t was = m_keys[i] == key ? m_counts[i] : 0;
    const std::int64_t now = was + by;
    if (now < std::numeric_limits<std::int32_t>::min() || now > std::numeric_limits<std::int32_t>::max()) {
        throw std::overflow_error("peer statistics: a count beyond 32 bits");
    }
    if (m_keys[i] == k_empty) {
        m_keys[i] = key;
        ++m_size;
    }
    m_counts[i] = static_cast<std::int32_t>(now);
}

void FlatCounter::grow() {
    std::vector<std::uint64_t> keys;
    std::vector<std::int32_t> counts;
    keys.swap(m_keys);
    counts.swap(m_counts);
    const std::size_t size = keys.empty() ? 1024 : keys.size() * 2;
    m_keys.assign(size, k_empty);
    m_counts.assign(size, 0);
    m_size = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i] != k_empty) {
            add(keys[i], counts[i]);
        }
    }
}

std::size_t histogram_bucket(double score) {
    if (score <= 10.0) {
        return 0;
    }
    const auto b = static_cast<std::size_t>(std::ceil(score / 10.0)) - 1;
    return b >= k_histogram_buckets ? k_histogram_buckets - 1 : b;
}

void GroupStats::merge(const GroupStats& other) {
    records += other.records;
    unreadable += other.unreadable;
    score_tenths += other.score_tenths;
    for (std::size_t i = 0; i < k_histogram_buckets; ++i) {
        buckets[i] += other.buckets[i];
    }
    for (const auto& [rule, n] : other.failing) {
        failing[rule] += n;
    }
    rated += other.rated;
    for (const auto& [rule, n] : other.not_applicable) {
        not_applicable[rule] += n;
    }
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        dimension_tenths[d] += other.dimension_tenths[d];
        dimension_records[d] += other.dimension_records[d];
    }
    profiles += other.profiles;
    profiles_failing += other.profiles_failing;
}

std::string ScanAggregates::group_key(model::Kind kind, std::string_view split, std::string_view value) {
    std::string key(model::kind_name(kind));
    key += k_sep;
    key += split;
    key += k_sep;
    key += value;
    return key;
}

std::string ScanAggregates::peer_key(model::Kind kind, std::string_view occupation,
                                     std::string_view region) {
    return group_key(kind, occupation, region);
}

struct ScanAggregates::RowFigures {
    std::int64_t sign = 1;
    std::int64_t tenths = 0;
    std::size_t bucket = 0;
    std::array<std::int64_t, rules::k_dimension_count> dimension_tenths{};
    std::array<std::int64_t, rules::k_dimension_count> dimension_records{};
    std::int64_t profiles = 0;
    std::int64_t profiles_failing = 0;

    RowFigures(const ResultRow& row, std::int64_t by) : sign(by) {
        tenths = by * std::llround(row.score * 10.0);
        bucket = histogram_bucket(row.score);
        for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
            if (row.dimensions[d] >= 0) {
                dimension_tenths[d] = by * std::llround(row.dimensions[d] * 10.0);
                dimension_records[d] = by;
            }
        }
        if (row.kind == model::Kind::cv && contains(row.target_groups, k_profile_target_group)) {
            profiles = by;
            profiles_failing = contains(row.failed, k_profile_rule) ? by : 0;
        }
    }

    static bool contains(const std::vector<std::string>& items, std::string_view item) {
        return std::find(items.begin(), items.end(), item) != items.end();
    }
};

void ScanAggregates::add_group(const ResultRow& row, const RowFigures& figures, std::string_view split,
                               std::string_view value) {
    m_key.assign(model::kind_name(row.kind));
    m_key += k_sep;
    m_key += split;
    m_key += k_sep;
    m_key += value;
    auto it = m_groups.find(std::string_view(m_key));
    if (it == m_groups.end()) {
        it = m_groups.emplace(m_key, GroupStats{}).first;
    }
    GroupStats& g = it->second;
    const std::int64_t sign = figures.sign;
    g.records += sign;
    g.unreadable += row.unreadable ? sign : 0;
    g.score_tenths += figures.tenths;
    g.buckets[figures.bucket] += sign;
    add_counts(g.failing, row.failed, sign);
    if (row.rated) {
        g.rated += sign;
        add_counts(g.not_applicable, row.not_applicable, sign);
    }
    for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
        g.dimension_tenths[d] += figures.dimension_tenths[d];
        g.dimension_records[d] += figures.dimension_records[d];
    }
    g.profiles += figures.profiles;
    g.profiles_failing += figures.profiles_failing;
}

std::uint32_t ScanAggregates::intern(std::string_view text) {
    const auto it = m_ids.find(text);
    if (it != m_ids.end()) {
        return it->second;
    }
    const auto id = static_cast<std::uint32_t>(m_names.size());
    m_names.emplace_back(text);
    m_ids.emplace(std::string(text), id);
    return id;
}

void ScanAggregates::bump(std::uint32_t cell, std::uint32_t attribute, std::uint32_t value, std::int64_t by) {
    const std::uint64_t key = (static_cast<std::uint64_t>(cell) << 40) |
                              (static_cast<std::uint64_t>(attribute) << 32) | value;
    m_pending.add(key, by);
}

// The score histogram's values are the scores in tenths as text; a scan
// interns each of the 1,001 once instead of formatting one per record.
std::uint32_t ScanAggregates::intern_score(std::int64_t tenths) {
    if (tenths < 0 || tenths > 1000) {
        return intern(std::to_string(tenths));
    }
    if (m_score_ids.empty()) {
        m_score_ids.assign(1001, 0xffffffffu);
    }
    std::uint32_t& id = m_score_ids[static_cast<std::size_t>(tenths)];
    if (id == 0xffffffffu) {
        id = intern(std::to_string(tenths));
    }
    return id;
}

// A record counts in its occupation's national cell (region "") and, when
// it has a region, in that region's cell: each attribute value is interned
// once and counted in both.
void ScanAggregates::add_peers(const ResultRow& row, std::int64_t sign) {
    std::array<std::uint32_t, 2> cells{};
    std::size_t count = 0;
    for (std::string_view region : {std::string_view{}, std::string_view(row.region)}) {
        if (count == 1 && region.empty()) {
            break;
        }
        m_key.assign(model::kind_name(row.kind));
        m_key += k_sep;
        m_key += row.occupation;
        m_key += k_sep;
        m_key += region;
        cells[count++] = intern(m_key);
    }
    const auto both = [&](std::uint32_t attribute, std::uint32_t value, std::int64_t by) {
        for (std::size_t c = 0; c < count; ++c) {
            bump(cells[c], attribute, value, by);
        }
    };
    const PeerAttrs& p = row.peer;
    const std::uint32_t none = intern("");
    const std::int64_t tenths = std::llround(row.score * 10.0);
    // The national cell keeps the score histogram of the card's peers (all
    // vacancies, visible CVs): "beter dan N% van M" is a lookup in it.
    if (row.kind == model::Kind::vacancy || p.visible) {
        bump(cells[0], a_score, intern_score(tenths), sign);
    }
    if (row.kind == model::Kind::vacancy) {
        both(a_count, none, sign);
        both(a_score_tenths, none, sign * tenths);
        if (p.open) {
            both(a_open, none, sign);
        }
        if (p.salary) {
            both(a_salary, none, sign);
        }
        both(a_hours_min, intern(p.hours_min), sign);
        both(a_hours_max, intern(p.hours_max), sign);
        both(a_education, intern(p.education), sign);
        return;
    }
    both(a_count, none, sign);
    both(a_score_tenths, none, sign * tenths);
    if (!p.visible) {
        return;
    }
    both(a_visible, none, sign);
    both(a_education, intern(p.education), sign);
    both(a_birth, intern(p.birth_bucket), sign);
    both(a_hours_per_day, intern(p.hours_bucket), sign);
    for (const auto& s : p.skills) {
        both(a_skill, intern(s), sign);
    }
    for (const auto& s : p.licences) {
        both(a_licence, intern(s), sign);
    }
    for (const auto& s : p.co_occupations) {
        both(a_co_occupation, intern(s), sign);
    }
    for (const auto& s : row.target_groups) {
        both(a_target_group, intern(s), sign);
    }
}

void ScanAggregates::fold() const {
    if (m_pending.empty()) {
        return;
    }
    std::string key;
    m_pending.for_each([&](std::uint64_t packed, std::int64_t n) {
        const auto cell = static_cast<std::uint32_t>(packed >> 40);
        const auto attribute = static_cast<std::uint32_t>((packed >> 32) & 0xff);
        const auto value = static_cast<std::uint32_t>(packed & 0xffffffffu);
        key.assign(k_attribute_names[attribute]);
        key += k_sep;
        key += m_names[value];
        m_peers[m_names[cell]][key] += n;
    });
    m_pending.clear();
}

void ScanAggregates::for_each_peer(
    const std::function<void(std::string_view, std::string_view, std::string_view, std::int64_t)>& fn) const {
    m_pending.for_each([&](std::uint64_t packed, std::int64_t n) {
        const auto cell = static_cast<std::uint32_t>(packed >> 40);
        const auto attribute = static_cast<std::uint32_t>((packed >> 32) & 0xff);
        const auto value = static_cast<std::uint32_t>(packed & 0xffffffffu);
        fn(m_names[cell], k_attribute_names[attribute], m_names[value], n);
    });
    for (const auto& [cell, counts] : m_peers) {
        for (const auto& [key, n] : counts) {
            const std::size_t sep = key.find(k_sep);
            fn(cell, std::string_view(key).substr(0, sep),
               sep == std::string::npos ? std::string_view{} : std::string_view(key).substr(sep + 1), n);
        }
    }
}

void ScanAggregates::for_each_peer_in_key_order(model::Kind kind, const PeerFn& fn) const {
    const std::string_view name = model::kind_name(kind);
    if (!m_peers.empty()) {  // folded counts (tests, merged deltas): sort views of them
        fold();
        struct Entry {
            std::string_view occupation, region, attribute, value;
            std::int64_t n;
        };
        std::vector<Entry> entries;
        for (const auto& [cell, counts] : m_peers) {
            const auto parts = split_key(cell);
            if (parts[0] != name) {
                continue;
            }
            for (const auto& [key, n] : counts) {
                const std::size_t sep = key.find(k_sep);
                if (n != 0) {
                    entries.push_back({parts[1], parts[2], std::string_view(key).substr(0, sep),
                                       sep == std::string::npos ? std::string_view{} : std::string_view(key).substr(sep + 1),
                                       n});
                }
            }
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            return std::tie(a.occupation, a.region, a.attribute, a.value) <
                   std::tie(b.occupation, b.region, b.attribute, b.value);
        });
        for (const Entry& e : entries) {
            fn(e.occupation, e.region, e.attribute, e.value, e.n);
        }
        return;
    }
    // Pending counts: keys are unique. The kind's cells are ranked by
    // (occupation, region) and the attributes by name; each count's key is
    // rewritten as rank << 40 | attribute rank << 32 | value id, so one
    // integer comparison orders all but equal (cell, attribute) pairs, whose
    // value strings decide.
    struct Cell {
        std::uint32_t id;
        std::string_view occupation, region;
    };
    std::vector<Cell> cells;
    std::unordered_map<std::uint32_t, std::uint32_t> rank;  // cell id -> rank; k_other: another kind
    constexpr std::uint32_t k_other = 0xffffffffu;
    std::vector<std::pair<std::uint64_t, std::int64_t>> counts;
    m_pending.for_each([&](std::uint64_t packed, std::int64_t n) {
        if (n == 0) {
            return;
        }
        const auto cell = static_cast<std::uint32_t>(packed >> 40);
        auto [it, inserted] = rank.try_emplace(cell, 0);
        if (inserted) {
            const auto parts = split_key(m_names[cell]);
            if (parts[0] == name) {
                cells.push_back({cell, parts[1], parts[2]});
            } else {
                it->second = k_other;
            }
        }
        if (it->second != k_other) {
            counts.emplace_back(packed, n);
        }
    });
    std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
        return std::tie(a.occupation, a.region) < std::tie(b.occupation, b.region);
    });
    for (std::uint32_t r = 0; r < cells.size(); ++r) {
        rank[cells[r].id] = r;
    }
    std::array<std::uint32_t, a_attribute_count> by_name{};  // attribute ids in name order
    for (std::uint32_t a = 0; a < a_attribute_count; ++a) {
        by_name[a] = a;
    }
    std::sort(by_name.begin(), by_name.end(),
              [](std::uint32_t a, std::uint32_t b) { return k_attribute_names[a] < k_attribute_names[b]; });
    std::array<std::uint32_t, a_attribute_count> attribute_rank{};
    for (std::uint32_t r = 0; r < a_attribute_count; ++r) {
        attribute_rank[by_name[r]] = r;
    }
    for (auto& [packed, n] : counts) {
        const std::uint64_t cell_rank = rank.at(static_cast<std::uint32_t>(packed >> 40));
        const std::uint64_t attribute = attribute_rank[(packed >> 32) & 0xff];
        packed = cell_rank << 40 | attribute << 32 | (packed & 0xffffffffu);
    }
    rank = {};
    std::sort(counts.begin(), counts.end(), [this](const auto& a, const auto& b) {
        const std::uint64_t ha = a.first >> 32;
        const std::uint64_t hb = b.first >> 32;
        if (ha != hb) {
            return ha < hb;
        }
        return m_names[a.first & 0xffffffffu] < m_names[b.first & 0xffffffffu];
    });
    for (const auto& [packed, n] : counts) {
        const Cell& cell = cells[packed >> 40];
        fn(cell.occupation, cell.region, k_attribute_names[by_name[(packed >> 32) & 0xff]],
           m_names[packed & 0xffffffffu], n);
    }
}

const StringMap<PeerCell>& ScanAggregates::peers() const {
    fold();
    return m_peers;
}

StringMap<PeerCell>& ScanAggregates::peers() {
    fold();
    return m_peers;
}

void ScanAggregates::add(const ResultRow& row, std::int64_t sign) {
    add_groups(row, sign);
    if (row.kind != model::Kind::employer && !row.occupation.empty()) {
        add_peers(row, sign);
    }
}

void ScanAggregates::add_groups(const ResultRow& row, std::int64_t sign) {
    const RowFigures figures(row, sign);
    add_group(row, figures, k_split_all, "");
    add_group(row, figures, k_split_region, row.region);
    if (row.kind != model::Kind::employer) {
        if (row.target_groups.empty()) {
            add_group(row, figures, k_split_target_group, "");
        }
        for (const auto& tg : row.target_groups) {
            add_group(row, figures, k_split_target_group, tg);
        }
        add_group(row, figures, k_split_isco_major, row.isco_major());
    }
}

void ScanAggregates::merge(const ScanAggregates& other) {
    for (const auto& [key, g] : other.m_groups) {
        m_groups[key].merge(g);
    }
    fold();
    for (const auto& [key, cell] : other.peers()) {
        PeerCell& mine = m_peers[key];
        for (const auto& [attr, n] : cell) {
            mine[attr] += n;
        }
    }
}

void ScanAggregates::drop_empty() {
    std::erase_if(m_groups, [](const auto& group) { return group.second.records == 0; });
    for (auto& [key, g] : m_groups) {
        std::erase_if(g.failing, [](const auto& count) { return count.second == 0; });
        std::erase_if(g.not_applicable, [](const auto& count) { return count.second == 0; });
    }
}

GroupStats ScanAggregates::total(model::Kind kind) const {
    const auto it = m_groups.find(group_key(kind, k_split_all, ""));
    return it == m_groups.end() ? GroupStats{} : it->second;
}

std::vector<std::string_view> split_key(std::string_view key) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t pos = key.find(k_sep, start);
        if (pos == std::string_view::npos) {
            parts.push_back(key.substr(start));
            return parts;
        }
        parts.push_back(key.substr(start, pos - start));
        start = pos + 1;
    }
}

}  // namespace spiegel::engine
