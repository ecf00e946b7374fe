#include "daemon/engine/preview.h"

#include <algorithm>
#include <cmath>

namespace spiegel::engine {
namespace {

std::int32_t tenths(double score) { return static_cast<std::int32_t>(std::llround(score * 10.0)); }

}  // namespace

PreviewSink::PreviewSink(const rules::RuleSet& candidate) {
    for (model::Kind kind : model::k_all_kinds) {
        for (const auto& info : candidate.rules(kind)) {
            intern(kind, info.id);
        }
    }
}

PreviewSink::RuleIndex PreviewSink::intern(model::Kind kind, std::string_view id) {
    if (auto it = m_rule_index.find(id); it != m_rule_index.end()) {
        return it->second;
    }
    const auto index = static_cast<RuleIndex>(m_rule_ids.size());
    m_rule_ids.emplace_back(std::string(id), kind);
    m_rule_index.emplace(std::string(id), index);
    m_counts.emplace_back();
    return index;
}

void PreviewSink::add_stored(model::Kind kind, const ResultRow& stored) {
    Stored s;
    s.score_tenths = tenths(stored.score);
    s.failed.reserve(stored.failed.size());
    for (const auto& id : stored.failed) {
        s.failed.push_back(intern(kind, id));
    }
    std::sort(s.failed.begin(), s.failed.end());
    s.region = stored.region;
    s.target_groups = stored.target_groups;
    m_stored[index_of(kind)].insert_or_assign(stored.id, std::move(s));
}

util::Status PreviewSink::begin_kind(model::Kind, bool) { return {}; }

util::Status PreviewSink::put(const ResultRow& row) {
    KindPreview& totals = m_kinds[index_of(row.kind)];
    auto& stored = m_stored[index_of(row.kind)];
    auto it = stored.find(row.id);
    if (it == stored.end()) {
        ++totals.not_stored;
        return {};
    }
    Stored& before = it->second;
    before.seen = true;
    ++totals.compared;
    m_scratch.clear();
    for (const auto& id : row.failed) {
        m_scratch.push_back(intern(row.kind, id));
    }
    std::sort(m_scratch.begin(), m_scratch.end());
    // Both lists are sorted: one merge finds what is only before or only after.
    auto b = before.failed.begin();
    auto a = m_scratch.begin();
    while (b != before.failed.end() || a != m_scratch.end()) {
        if (a == m_scratch.end() || (b != before.failed.end() && *b < *a)) {
            ++m_counts[*b++].newly_passing;
        } else if (b == before.failed.end() || *a < *b) {
            ++m_counts[*a++].newly_failing;
        } else {
            ++a;
            ++b;
        }
    }
    const std::int32_t after_tenths = tenths(row.score);
    if (after_tenths != before.score_tenths || before.failed != m_scratch) {
        ++totals.changed;
    }
    count_groups(before, row, after_tenths);
    return {};
}

GroupChange& PreviewSink::group(model::Kind kind, std::string_view split, std::string_view value) {
    auto key = std::make_tuple(kind, std::string(split), std::string(value));
    auto [it, inserted] = m_groups.try_emplace(key);
    if (inserted) {
        it->second.kind = kind;
        it->second.split = std::get<1>(key);
        it->second.value = std::get<2>(key);
    }
    return it->second;
}

void PreviewSink::count_groups(const Stored& before, const ResultRow& after, std::int32_t after_tenths) {
    const bool failing_before = !before.failed.empty();
    const bool failing_after = !after.failed.empty();
    auto add = [&](GroupChange& g) {
        ++g.records;
        g.score_tenths_before += before.score_tenths;
        g.score_tenths_after += after_tenths;
        g.failing_before += failing_before ? 1 : 0;
        g.failing_after += failing_after ? 1 : 0;
    };
    // Groups are those of the stored result, so a record moves only by its rules.
    add(group(after.kind, k_split_all, ""));
    add(group(after.kind, k_split_region, before.region));
    if (after.kind == model::Kind::employer) {
        return;
    }
    if (before.target_groups.empty()) {
        add(group(after.kind, k_split_target_group, ""));
    }
    for (const auto& code : before.target_groups) {
        add(group(after.kind, k_split_target_group, code));
    }
}

util::Status PreviewSink::end_kind(model::Kind kind, bool full) {
    if (!full) {
        return {};
    }
    KindPreview& totals = m_kinds[index_of(kind)];
    for (const auto& [id, stored] : m_stored[index_of(kind)]) {
        if (!stored.seen) {
            ++totals.stored_not_seen;
        }
    }
    m_stored[index_of(kind)].clear();
    return {};
}

PreviewResult PreviewSink::finish() {
    PreviewResult out;
    out.kinds = m_kinds;
    out.rules.reserve(m_rule_ids.size());
    for (std::size_t i = 0; i < m_rule_ids.size(); ++i) {
        out.rules.push_back({m_rule_ids[i].first, m_rule_ids[i].second, m_counts[i].newly_failing,
                             m_counts[i].newly_passing});
    }
    std::sort(out.rules.begin(), out.rules.end(), [](const RuleChange& x, const RuleChange& y) {
        return std::tie(x.kind, x.id) < std::tie(y.kind, y.id);
    });
    out.groups.reserve(m_groups.size());
    for (auto& [key, g] : m_groups) {
        out.groups.push_back(std::move(g));
    }
    return out;
}

std::vector<RuleChange> top_changed_rules(const std::vector<RuleChange>& rules, std::size_t limit) {
    std::vector<RuleChange> out;
    for (const auto& r : rules) {
        if (r.changed() > 0) {
            out.push_back(r);
        }
    }
    std::sort(out.begin(), out.end(), [](const RuleChange& x, const RuleChange& y) {
        return x.changed() != y.changed() ? x.changed() > y.changed() : x.id < y.id;
    });
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

}  // namespace spiegel::engine
