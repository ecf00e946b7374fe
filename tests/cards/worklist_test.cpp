// The worklist's order and paging (daemon/cards/worklist.cpp) over
// hand-made results and the test catalog (enabled cv weights: contact 3,
// email 2, phone 2, skills 1, na 4; na not applicable below: 8 in all).
#include <gtest/gtest.h>

#include "daemon/cards/worklist.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

engine::ResultRow cv(const std::string& id, double score, std::vector<std::string> failed,
                     const std::string& region = "AM21") {
    engine::ResultRow row;
    row.kind = model::Kind::cv;
    row.id = id;
    row.score = score;
    row.failed = std::move(failed);
    row.not_applicable = {"cv.na"};
    row.rated = true;
    row.region = region;
    row.peer.visible = true;
    return row;
}

TEST(Worklist, top_fix_is_the_failed_rule_of_largest_weight_with_its_gain) {
    // 8 - 2 - 3 = 3 of 8: 37.5; with contact fixed 6 of 8: 75.
    const auto fix = cards::top_fix(cv("a", 37.5, {"cv.email", "cv.contact"}), test_catalog());
    ASSERT_TRUE(fix);
    EXPECT_EQ(fix->rule->id, "cv.contact");
    EXPECT_DOUBLE_EQ(fix->score_if_fixed, 75);
    EXPECT_DOUBLE_EQ(fix->gain, 37.5);
    EXPECT_FALSE(cards::top_fix(cv("b", 100, {}), test_catalog()));
    EXPECT_FALSE(cards::top_fix(cv("c", 70, {"cv.skills"}), test_catalog()));  // stored score no longer matches
}

TEST(Worklist, orders_by_gain_then_lowest_score_then_id_within_the_region) {
    cards::WorklistIndex index;
    for (const auto& row : {cv("skills", 87.5, {"cv.skills"}), cv("contact", 62.5, {"cv.contact"}),
                            cv("perfect", 100, {}), cv("both", 50, {"cv.email", "cv.phone"}),
                            cv("contact2", 62.5, {"cv.contact"}), cv("elsewhere", 62.5, {"cv.contact"}, "AM01"),
                            cv("nowhere", 62.5, {"cv.contact"}, "")}) {
        index.add(row, test_catalog());
    }
    index.freeze();
    EXPECT_EQ(index.size(), 6u);  // no region, no list
    const auto page = index.page({"AM21", "", std::nullopt, 1});
    ASSERT_EQ(page.total, 5u);
    std::vector<std::string> ids;
    for (const auto* item : page.items) {
        ids.push_back(item->id);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"contact", "contact2", "both", "skills", "perfect"}));
}

TEST(Worklist, pages_hold_fifty_and_count_every_match) {
    cards::WorklistIndex index;
    for (int i = 0; i < 120; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "cv-%03d", i);
        engine::ResultRow row = cv(id, 87.5, {"cv.skills"});
        if (i % 2 == 0) {
            row.target_groups = {"banenafspraak"};
        }
        index.add(row, test_catalog());
    }
    index.freeze();
    const auto third = index.page({"AM21", "", std::nullopt, 3});
    EXPECT_EQ(third.total, 120u);
    EXPECT_EQ(third.pages, 3u);
    ASSERT_EQ(third.items.size(), 20u);
    EXPECT_EQ(third.items.front()->id, "cv-100");
    const auto group = index.page({"AM21", "banenafspraak", std::nullopt, 2});
    EXPECT_EQ(group.total, 60u);
    EXPECT_EQ(group.items.size(), 10u);
    EXPECT_EQ(index.page({"AM21", "", false, 1}).total, 0u);
}

}  // namespace
}  // namespace spiegel::testing
