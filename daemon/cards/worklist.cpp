#include "daemon/cards/worklist.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "daemon/cards/card_json.h"
#include "daemon/cards/record_summary.h"

namespace spiegel::cards {
namespace {

double round1(double v) { return std::round(v * 10.0) / 10.0; }

bool before(const WorkItem& a, const WorkItem& b) {
    const double ga = a.fix ? a.fix->gain : 0;
    const double gb = b.fix ? b.fix->gain : 0;
    if (ga != gb) {
        return ga > gb;
    }
    if (a.score != b.score) {
        return a.score < b.score;
    }
    return a.id < b.id;
}

bool matches(const WorkItem& item, const WorklistQuery& q, std::uint64_t group) {
    if (q.visible && item.visible != *q.visible) {
        return false;
    }
    return q.target_group.empty() || (item.target_groups & group) != 0;
}

}  // namespace

std::optional<TopFix> top_fix(const engine::ResultRow& result, const CardCatalog& catalog) {
    if (result.failed.empty() || !result.rated) {
        return std::nullopt;
    }
    const std::set<std::string_view> skipped(result.not_applicable.begin(), result.not_applicable.end());
    double applicable = 0;
    for (const auto& [id, info] : catalog.rules) {
        if (info.kind == result.kind && info.enabled && skipped.count(id) == 0) {
            applicable += info.weight;
        }
    }
    double failed = 0;
    const rules::RuleInfo* best = nullptr;
    for (const auto& id : result.failed) {
        const auto it = catalog.rules.find(id);
        if (it == catalog.rules.end() || it->second.kind != result.kind || !it->second.enabled) {
            return std::nullopt;
        }
        failed += it->second.weight;
        if (!best || it->second.weight > best->weight) {
            best = &it->second;
        }
    }
    // The same honesty check as the card: the rules must still give the stored score.
    if (applicable <= 0 || std::fabs(round1(100.0 * (applicable - failed) / applicable) - round1(result.score)) > 0.05) {
        return std::nullopt;
    }
    const double fixed = round1(100.0 * (applicable - failed + best->weight) / applicable);
    return TopFix{best, fixed, round1(fixed - round1(result.score))};
}

void WorklistIndex::add(const engine::ResultRow& result, const CardCatalog& catalog) {
    if (result.region.empty()) {
        return;  // a worklist is per region
    }
    WorkItem item;
    item.id = result.id;
    item.score = round1(result.score);
    item.fix = top_fix(result, catalog);
    if (m_group_bits.empty()) {
        std::uint64_t bit = 1;
        for (const auto& row : catalog.codes.target_groups.table().rows) {
            if (!row.empty() && bit != 0) {
                m_group_bits.emplace(row[0], bit);
                bit <<= 1;  // 64 codes at most; more are not filterable
            }
        }
    }
    for (const auto& code : result.target_groups) {
        item.target_groups |= group_bit(code);
    }
    item.visible = result.peer.visible;
    m_by_region[result.region].push_back(std::move(item));
    ++m_size;
}

std::uint64_t WorklistIndex::group_bit(const std::string& code) const {
    const auto found = m_group_bits.find(code);
    return found == m_group_bits.end() ? 0 : found->second;
}

void WorklistIndex::freeze() {
    for (auto& [region, items] : m_by_region) {
        std::sort(items.begin(), items.end(), before);
    }
}

WorklistPage WorklistIndex::page(const WorklistQuery& query) const {
    WorklistPage out;
    out.page = std::max<std::size_t>(1, query.page);
    const auto found = m_by_region.find(query.region);
    if (found == m_by_region.end()) {
        return out;
    }
    const std::uint64_t group = query.target_group.empty() ? 0 : group_bit(query.target_group);
    if (!query.target_group.empty() && group == 0) {
        return out;  // a code outside the list: nobody is in it
    }
    const std::size_t first = (out.page - 1) * k_worklist_page_size;
    for (const WorkItem& item : found->second) {
        if (!matches(item, query, group)) {
            continue;
        }
        if (out.total >= first && out.items.size() < k_worklist_page_size) {
            out.items.push_back(&item);
        }
        ++out.total;
    }
    out.pages = (out.total + k_worklist_page_size - 1) / k_worklist_page_size;
    return out;
}

nlohmann::json worklist_json(const WorklistPage& page, const WorklistQuery& query, const CardCatalog& catalog) {
    nlohmann::json items = nlohmann::json::array();
    for (const WorkItem* item : page.items) {
        const Grade grade = grade_for(item->score);
        nlohmann::json fix = nullptr;
        if (item->fix) {
            fix = {{"rule", item->fix->rule->id},
                   {"title", item->fix->rule->title},
                   {"score_if_fixed", item->fix->score_if_fixed},
                   {"gain", item->fix->gain}};
        }
        items.push_back({{"id", item->id},
                         {"score", item->score},
                         {"score_text", score_text(item->score)},
                         {"grade", grade.letter},
                         {"grade_label", grade.label},
                         {"fix", std::move(fix)},
                         {"card", "/cards/cv/" + item->id}});
    }
    nlohmann::json j{{"region", query.region},
                     {"region_name", std::string(catalog.codes.regions.get(query.region, "name"))},
                     {"target_group", query.target_group},
                     {"page", page.page},
                     {"pages", page.pages},
                     {"page_size", k_worklist_page_size},
                     {"total", page.total},
                     {"items", std::move(items)}};
    j["visible"] = query.visible ? nlohmann::json(*query.visible) : nlohmann::json(nullptr);
    return j;
}

}  // namespace spiegel::cards
