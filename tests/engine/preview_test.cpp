// PreviewSink: stored results compared with a candidate's, record by record;
// rules and groups counted as the preview reports them.
#include "daemon/engine/preview.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/test_support.h"

namespace spiegel::engine {
namespace {

using model::Kind;

const rules::RuleSet& shipped_rules() {
    static const auto loaded = rules::load_rule_set(testing::source_dir() + "/rules");
    return *loaded.rule_set;
}

ResultRow row(const std::string& id, double score, std::vector<std::string> failed, const std::string& region = "AM21",
              std::vector<std::string> groups = {}) {
    ResultRow r;
    r.kind = Kind::cv;
    r.id = id;
    r.score = score;
    r.failed = std::move(failed);
    r.region = region;
    r.target_groups = std::move(groups);
    return r;
}

const RuleChange& rule(const PreviewResult& p, const std::string& id) {
    const auto it = std::find_if(p.rules.begin(), p.rules.end(), [&](const RuleChange& r) { return r.id == id; });
    EXPECT_NE(it, p.rules.end()) << id;
    return *it;
}

const GroupChange* group(const PreviewResult& p, const std::string& split, const std::string& value) {
    for (const auto& g : p.groups) {
        if (g.kind == Kind::cv && g.split == split && g.value == value) {
            return &g;
        }
    }
    return nullptr;
}

PreviewResult compare(const std::vector<ResultRow>& before, const std::vector<ResultRow>& after) {
    PreviewSink sink(shipped_rules());
    for (const auto& r : before) {
        sink.add_stored(Kind::cv, r);
    }
    EXPECT_TRUE(sink.begin_kind(Kind::cv, true));
    for (const auto& r : after) {
        EXPECT_TRUE(sink.put(r));
    }
    EXPECT_TRUE(sink.end_kind(Kind::cv, true));
    return sink.finish();
}

TEST(PreviewSink, a_rule_failed_before_and_another_after_counts_one_each_way) {
    const auto p = compare({row("cv-1", 80, {"cv.email.valid"})}, {row("cv-1", 80, {"cv.skills.min"})});
    EXPECT_EQ(rule(p, "cv.email.valid").newly_passing, 1);
    EXPECT_EQ(rule(p, "cv.email.valid").newly_failing, 0);
    EXPECT_EQ(rule(p, "cv.skills.min").newly_failing, 1);
    EXPECT_EQ(rule(p, "cv.skills.min").newly_passing, 0);
    EXPECT_EQ(p.kinds[0].compared, 1);
    EXPECT_EQ(p.kinds[0].changed, 1);
}

TEST(PreviewSink, an_unchanged_record_changes_nothing_and_every_rule_has_an_entry) {
    const auto p = compare({row("cv-1", 90, {"cv.email.valid", "cv.skills.min"})},
                           {row("cv-1", 90, {"cv.skills.min", "cv.email.valid"})});
    EXPECT_EQ(p.kinds[0].changed, 0);
    for (const auto& r : p.rules) {
        EXPECT_EQ(r.changed(), 0) << r.id;
    }
    for (Kind kind : model::k_all_kinds) {
        for (const auto& info : shipped_rules().rules(kind)) {
            EXPECT_NO_FATAL_FAILURE(rule(p, info.id));
        }
    }
    EXPECT_TRUE(top_changed_rules(p.rules, 10).empty());
}

TEST(PreviewSink, a_score_change_alone_marks_the_record_changed) {
    const auto p = compare({row("cv-1", 90, {"cv.skills.min"})}, {row("cv-1", 85, {"cv.skills.min"})});
    EXPECT_EQ(p.kinds[0].changed, 1);
    EXPECT_EQ(rule(p, "cv.skills.min").changed(), 0);
}

TEST(PreviewSink, a_rule_only_the_stored_results_name_gets_its_newly_passing_records) {
    const auto p = compare({row("cv-1", 50, {"cv.removed.rule"}), row("cv-2", 50, {"cv.removed.rule"})},
                           {row("cv-1", 100, {}), row("cv-2", 100, {})});
    EXPECT_EQ(rule(p, "cv.removed.rule").newly_passing, 2);
    EXPECT_EQ(rule(p, "cv.removed.rule").kind, Kind::cv);
}

TEST(PreviewSink, new_and_gone_records_are_counted_apart_and_not_compared) {
    const auto p = compare({row("cv-1", 100, {}), row("cv-gone", 0, {"cv.skills.min"})},
                           {row("cv-1", 100, {}), row("cv-new", 0, {"cv.skills.min"})});
    EXPECT_EQ(p.kinds[0].compared, 1);
    EXPECT_EQ(p.kinds[0].not_stored, 1);
    EXPECT_EQ(p.kinds[0].stored_not_seen, 1);
    EXPECT_EQ(rule(p, "cv.skills.min").changed(), 0);
}

TEST(PreviewSink, groups_carry_scores_and_failing_shares_before_and_after) {
    const auto p = compare({row("cv-1", 100, {}, "AM21", {"ww"}), row("cv-2", 50, {"cv.skills.min"}, "AM01")},
                           {row("cv-1", 80, {"cv.skills.min"}, "AM21", {"ww"}), row("cv-2", 50, {"cv.skills.min"}, "AM01")});
    const auto* all = group(p, "all", "");
    ASSERT_NE(all, nullptr);
    EXPECT_EQ(all->records, 2);
    EXPECT_EQ(all->score_tenths_before, 1500);
    EXPECT_EQ(all->score_tenths_after, 1300);
    EXPECT_EQ(all->failing_before, 1);
    EXPECT_EQ(all->failing_after, 2);
    const auto* am21 = group(p, "region", "AM21");
    ASSERT_NE(am21, nullptr);
    EXPECT_EQ(am21->records, 1);
    EXPECT_EQ(am21->failing_after, 1);
    const auto* ww = group(p, "target_group", "ww");
    ASSERT_NE(ww, nullptr);
    EXPECT_EQ(ww->score_tenths_after, 800);
    const auto* none = group(p, "target_group", "");
    ASSERT_NE(none, nullptr);
    EXPECT_EQ(none->records, 1);
    EXPECT_EQ(none->failing_before, none->failing_after);
}

TEST(PreviewSink, groups_are_those_of_the_stored_result) {
    const auto p = compare({row("cv-1", 100, {}, "AM21")}, {row("cv-1", 100, {}, "AM05")});
    EXPECT_NE(group(p, "region", "AM21"), nullptr);
    EXPECT_EQ(group(p, "region", "AM05"), nullptr);
}

TEST(TopChangedRules, orders_by_records_moved_then_id_and_keeps_the_limit) {
    const std::vector<RuleChange> rules = {{"b", Kind::cv, 1, 1}, {"a", Kind::cv, 0, 2}, {"c", Kind::cv, 5, 0},
                                           {"d", Kind::cv, 0, 0}};
    const auto top = top_changed_rules(rules, 2);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].id, "c");
    EXPECT_EQ(top[1].id, "a");
    EXPECT_EQ(top_changed_rules(rules, 10).size(), 3u);
}

}  // namespace
}  // namespace spiegel::engine
