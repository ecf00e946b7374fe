#pragma once
// The adviser's worklist (docs/web.md): the CVs of a labour-market region,
// optionally of one target group and visibility, ordered by the score the
// most valuable fix would gain (then lowest score, then id), 50 per page.
// Rows hold the pseudonymous id, score, grade and that fix: never a name
// or contact detail (the results hold none).
//
// A WorklistIndex is built once per scan from the stored results and then
// only read: build() is pure, page() is const and thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "daemon/cards/personal_card.h"
#include "daemon/engine/result.h"

namespace spiegel::cards {

inline constexpr std::size_t k_worklist_page_size = 50;

// The failed rule whose fix gains most, and the score after that fix.
// `rule` points into the catalog, which must outlive the TopFix.
struct TopFix {
    const rules::RuleInfo* rule = nullptr;
    double score_if_fixed = 0;
    double gain = 0;
};
// Empty when the record fails nothing, or the stored score no longer
// matches the rules (then no gain can be promised).
std::optional<TopFix> top_fix(const engine::ResultRow& result, const CardCatalog& catalog);

// One CV of the index: small, as 200,000 of them are held per scan.
struct WorkItem {
    std::string id;
    double score = 0;
    std::optional<TopFix> fix;
    std::uint64_t target_groups = 0;  // bit i: code i of the catalog's target groups list
    bool visible = false;
};

struct WorklistQuery {
    std::string region;        // AMxx, required
    std::string target_group;  // "" all
    std::optional<bool> visible;
    std::size_t page = 1;      // 1-based
};

struct WorklistPage {
    std::vector<const WorkItem*> items;  // into the index
    std::size_t page = 1;
    std::size_t pages = 0;
    std::size_t total = 0;  // matching CVs
};

class WorklistIndex {
public:
    // Adds one stored CV result (call for every CV, then freeze()). The
    // catalog must outlive the index (items point at its rules).
    void add(const engine::ResultRow& result, const CardCatalog& catalog);
    void freeze();
    WorklistPage page(const WorklistQuery& query) const;
    std::size_t size() const { return m_size; }

private:
    std::uint64_t group_bit(const std::string& code) const;

    std::map<std::string, std::vector<WorkItem>> m_by_region;
    std::map<std::string, std::uint64_t> m_group_bits;  // target group code -> bit
    std::size_t m_size = 0;
};

// JSON of a page: {"region", "region_name", "target_group", "visible",
// "page", "pages", "page_size", "total", "items": [{"id", "score",
// "score_text", "grade", "grade_label", "fix": {"rule", "title",
// "score_if_fixed", "gain"} | null, "card": "/cards/cv/ID"}]}.
nlohmann::json worklist_json(const WorklistPage& page, const WorklistQuery& query, const CardCatalog& catalog);

}  // namespace spiegel::cards
