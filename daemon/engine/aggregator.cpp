#include "daemon/engine/aggregator.h"

#include <cmath>

namespace spiegel::engine {
namespace {

constexpr char k_sep = '\x1f';

void bump(PeerCell& cell, std::string& scratch, std::string_view attribute, std::string_view value,
          std::int64_t by = 1) {
    scratch.assign(attribute);
    scratch += k_sep;
    scratch += value;
    auto it = cell.find(std::string_view(scratch));
    if (it == cell.end()) {
        cell.emplace(scratch, by);
    } else {
        it->second += by;
    }
}

}  // namespace

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

void ScanAggregates::add_group(const ResultRow& row, std::string_view split, std::string_view value) {
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
    ++g.records;
    g.unreadable += row.unreadable ? 1 : 0;
    g.score_tenths += std::llround(row.score * 10.0);
    ++g.buckets[histogram_bucket(row.score)];
    for (const std::string& rule : row.failed) {
        auto f = g.failing.find(std::string_view(rule));
        if (f == g.failing.end()) {
            g.failing.emplace(rule, 1);
        } else {
            ++f->second;
        }
    }
}

void ScanAggregates::add_peers(const ResultRow& row, std::string_view region) {
    m_key.assign(model::kind_name(row.kind));
    m_key += k_sep;
    m_key += row.occupation;
    m_key += k_sep;
    m_key += region;
    auto it = m_peers.find(std::string_view(m_key));
    if (it == m_peers.end()) {
        it = m_peers.emplace(m_key, PeerCell{}).first;
    }
    PeerCell& cell = it->second;
    std::string scratch;
    const PeerAttrs& p = row.peer;
    if (row.kind == model::Kind::vacancy) {
        bump(cell, scratch, "count", "");
        bump(cell, scratch, "open", "", p.open ? 1 : 0);
        bump(cell, scratch, "salary", "", p.salary ? 1 : 0);
        bump(cell, scratch, "hours_min", p.hours_min);
        bump(cell, scratch, "hours_max", p.hours_max);
        bump(cell, scratch, "education", p.education);
        return;
    }
    bump(cell, scratch, "count", "");
    if (!p.visible) {
        return;
    }
    bump(cell, scratch, "visible", "");
    bump(cell, scratch, "education", p.education);
    bump(cell, scratch, "birth", p.birth_bucket);
    bump(cell, scratch, "hours_per_day", p.hours_bucket);
    for (const auto& s : p.skills) {
        bump(cell, scratch, "skill", s);
    }
    for (const auto& s : p.licences) {
        bump(cell, scratch, "licence", s);
    }
    for (const auto& s : p.co_occupations) {
        bump(cell, scratch, "co_occupation", s);
    }
}

void ScanAggregates::add(const ResultRow& row) {
    add_group(row, k_split_all, "");
    add_group(row, k_split_region, row.region);
    if (row.kind != model::Kind::employer) {
        if (row.target_groups.empty()) {
            add_group(row, k_split_target_group, "");
        }
        for (const auto& tg : row.target_groups) {
            add_group(row, k_split_target_group, tg);
        }
        add_group(row, k_split_isco_major, row.isco_major());
        if (!row.occupation.empty()) {
            add_peers(row, "");
            if (!row.region.empty()) {
                add_peers(row, row.region);
            }
        }
    }
}

void ScanAggregates::merge(const ScanAggregates& other) {
    for (const auto& [key, g] : other.m_groups) {
        m_groups[key].merge(g);
    }
    for (const auto& [key, cell] : other.m_peers) {
        PeerCell& mine = m_peers[key];
        for (const auto& [attr, n] : cell) {
            mine[attr] += n;
        }
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
