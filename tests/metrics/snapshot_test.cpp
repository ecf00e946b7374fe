// build_snapshot over a small source database scanned with the shipped
// rules into a real state database: hand counts, small-cell suppression,
// label vocabularies, histogram shape, scan history.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "daemon/metrics/snapshot.h"
#include "tests/metrics/metrics_fixture.h"

namespace spiegel::metrics {
namespace {

using model::Kind;
using testing::samples;

class SnapshotTest : public testing::ScannedState {};

TEST_F(SnapshotTest, records_and_splits_match_hand_counts) {
    fixture();
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(3)));
    EXPECT_EQ(s.at(R"(spiegel_records{kind="cv"})"), 11);
    EXPECT_EQ(s.at(R"(spiegel_records{kind="vacancy"})"), 0);
    EXPECT_EQ(s.at(R"(spiegel_region_records{kind="cv",labour_market_region="AM21"})"), 6);
    EXPECT_EQ(s.at(R"(spiegel_region_records{kind="cv",labour_market_region="AM01"})"), 3);
    EXPECT_EQ(s.at(R"(spiegel_target_group_records{kind="cv",target_group="banenafspraak"})"), 6);
    EXPECT_EQ(s.at(R"(spiegel_target_group_records{kind="cv",target_group="ww"})"), 5);
    EXPECT_EQ(s.at(R"(spiegel_occupation_major_group_records{kind="cv",occupation_major_group="2"})"), 9);
    EXPECT_EQ(s.at(R"(spiegel_rule_failing_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})"),
              2);
    // The profile rule counts banenafspraak CVs (people with a work
    // disability): no region has its count, a small region's could be had
    // as the national total minus the regions shown. The ratio per region
    // stays where it is computed from enough CVs; the other rules' counts
    // stay in every region shown.
    for (const char* region : {"AM21", "AM01"}) {
        EXPECT_EQ(s.count(std::string(R"(spiegel_rule_failing_records_by_region{kind="cv",rule="cv.banenafspraak.complete",labour_market_region=")") +
                          region + "\"}"),
                  0u)
            << region;
        EXPECT_EQ(s.count(std::string(R"(spiegel_rule_failing_records_by_region{kind="cv",rule="cv.skills.min",labour_market_region=")") +
                          region + "\"}"),
                  1u)
            << region;
    }
    EXPECT_EQ(s.count(R"(spiegel_cv_complete_profile_ratio{labour_market_region="AM01"})"), 0u);
    EXPECT_EQ(s.at("spiegel_rules_loaded"), static_cast<double>(m_rules->enabled_count()));
}

TEST_F(SnapshotTest, complete_profile_share_counts_banenafspraak_cvs) {
    fixture();
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(2)));
    EXPECT_EQ(s.at("spiegel_cv_banenafspraak_profiles"), 6);
    EXPECT_EQ(s.at("spiegel_cv_complete_profiles"), 4);
    EXPECT_DOUBLE_EQ(s.at(R"(spiegel_cv_complete_profile_ratio{labour_market_region="AM21"})"), 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(s.at(R"(spiegel_cv_complete_profile_by_target_group_ratio{target_group="banenafspraak"})"),
                     4.0 / 6.0);
    EXPECT_DOUBLE_EQ(s.at(R"(spiegel_cv_complete_profile_by_target_group_ratio{target_group="ww"})"), 0.0);
}

// A rule whose `when` reads an unreadable value applies and fails: a ww CV
// with unreadable target groups fails cv.banenafspraak.complete, yet is no
// banenafspraak CV and counts in no complete-profile series. With only its
// education unreadable the rule does not apply to it (its `when` is false).
TEST_F(SnapshotTest, complete_profiles_count_banenafspraak_cvs_only_not_every_cv_failing_the_rule) {
    fixture();
    m_source->database().exec("UPDATE cv SET education = '[broken' WHERE id = 'cv-7'");  // ww, AM01
    scan(true);
    EXPECT_EQ(samples(testing::render_snapshot(snapshot(1)))
                  .at(R"(spiegel_rule_failing_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})"),
              2);
    m_source->database().exec("UPDATE cv SET target_groups = '[broken' WHERE id = 'cv-7'");
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(1)));
    EXPECT_EQ(s.at(R"(spiegel_rule_failing_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})"),
              3);
    EXPECT_EQ(s.at("spiegel_cv_banenafspraak_profiles"), 6);
    EXPECT_EQ(s.at("spiegel_cv_complete_profiles"), 4);
    EXPECT_EQ(s.count(R"(spiegel_cv_complete_profile_ratio{labour_market_region="AM01"})"), 0u);
    EXPECT_DOUBLE_EQ(s.at(R"(spiegel_cv_complete_profile_by_target_group_ratio{target_group="ww"})"), 0.0);
}

TEST_F(SnapshotTest, applicable_records_count_only_records_a_rule_applies_to) {
    fixture();
    scan(true);
    // cv-1 leaves banenafspraak, cv-12 (incomplete) joins.
    upsert(Kind::cv, {testing::cv("cv-1", "AM21", R"("ww")", true), testing::cv("cv-12", "AM01", R"("banenafspraak")")});
    scan(false);  // incremental: the counts are patched, not recomputed
    const auto s = samples(testing::render_snapshot(snapshot(3)));
    const std::string conditional =
        R"(spiegel_rule_applicable_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})";
    ASSERT_EQ(s.count(conditional), 1U) << "the scan must record which rules apply (engine::fill_applicability)";
    EXPECT_EQ(s.at(conditional), 6);
    EXPECT_EQ(s.at(R"(spiegel_rule_applicable_records{kind="cv",rule="cv.email.valid",dimension="validity"})"), 12);
    EXPECT_EQ(s.at(R"(spiegel_rule_failing_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})"),
              3);
    scan(true);
    const auto full = samples(testing::render_snapshot(snapshot(3)));
    for (const auto& [series, value] : full) {
        if (series.starts_with("spiegel_rule_")) {
            EXPECT_EQ(s.at(series), value) << series << ": incremental differs from full";
        }
    }
}

TEST_F(SnapshotTest, an_older_state_file_gets_the_applicability_columns_and_no_applicable_series) {
    fixture();
    scan(true);
    {
        SQLite::Database db(m_config.state.database, SQLite::OPEN_READWRITE);
        db.exec(spiegel::testing::k_peer_stat_as_table_sql);
        db.exec("ALTER TABLE result DROP COLUMN not_applicable");
        db.exec("ALTER TABLE scan_group DROP COLUMN rated");
        db.exec("ALTER TABLE scan_rule DROP COLUMN not_applicable");
        db.exec("UPDATE state_meta SET value = '1' WHERE key = 'schema_version'");  // what such a file says
    }
    ASSERT_TRUE(store::StateDb::open(m_config.state.database));  // the daemon's start migrates it
    const std::string text = testing::render_snapshot(snapshot(3));
    const auto s = samples(text);
    EXPECT_EQ(s.at(R"(spiegel_rule_failing_records{kind="cv",rule="cv.banenafspraak.complete",dimension="completeness"})"),
              2);
    EXPECT_EQ(text.find(R"(spiegel_rule_applicable_records{kind="cv")"), std::string::npos);
    SQLite::Database db(m_config.state.database);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM pragma_table_info('scan_rule') WHERE name = 'not_applicable'")
                  .getInt(),
              1);
}

TEST_F(SnapshotTest, split_series_of_fewer_than_min_cell_records_are_left_out) {
    fixture();
    scan(true);
    const std::string text = testing::render_snapshot(snapshot(4));
    const auto s = samples(text);
    EXPECT_EQ(s.count(R"(spiegel_region_records{kind="cv",labour_market_region="AM21"})"), 1u);
    EXPECT_EQ(s.count(R"(spiegel_region_records{kind="cv",labour_market_region="AM01"})"), 0u);
    EXPECT_EQ(s.count(R"(spiegel_region_score_average{kind="cv",labour_market_region="AM01"})"), 0u);
    EXPECT_EQ(text.find(R"(labour_market_region="AM01")"), std::string::npos);
    EXPECT_EQ(text.find(R"(target_group="none")"), std::string::npos);
    // ww banenafspraak CVs: 2 < 4.
    EXPECT_EQ(s.count(R"(spiegel_cv_complete_profile_by_target_group_ratio{target_group="ww"})"), 0u);
    // Totals are never suppressed.
    EXPECT_EQ(s.at(R"(spiegel_records{kind="cv"})"), 11);
}

TEST_F(SnapshotTest, unknown_and_missing_regions_share_the_unknown_label) {
    fixture();
    scan(true);
    const std::string text = testing::render_snapshot(snapshot(2));
    const auto s = samples(text);
    EXPECT_EQ(s.at(R"(spiegel_region_records{kind="cv",labour_market_region="unknown"})"), 2);
    EXPECT_EQ(s.at(R"(spiegel_target_group_records{kind="cv",target_group="none"})"), 2);
    EXPECT_EQ(s.at(R"(spiegel_occupation_major_group_records{kind="cv",occupation_major_group="unknown"})"), 2);
    EXPECT_EQ(text.find("XX99"), std::string::npos);
    EXPECT_EQ(text.find(R"(labour_market_region="")"), std::string::npos);
}

TEST_F(SnapshotTest, no_record_id_appears_in_any_series) {
    fixture();
    scan(true);
    const std::string text = testing::render_snapshot(snapshot(1));
    EXPECT_EQ(text.find("cv-1"), std::string::npos);
    EXPECT_EQ(text.find("example.nl"), std::string::npos);
}

TEST_F(SnapshotTest, every_enabled_rule_has_a_failing_series_zero_when_none_fail) {
    fixture();
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(3)));
    for (Kind k : model::k_all_kinds) {
        for (const auto& rule : m_rules->rules(k)) {
            const std::string key = "spiegel_rule_failing_records{kind=\"" + std::string(model::kind_name(k)) +
                                    "\",rule=\"" + rule.id + "\",dimension=\"" +
                                    std::string(rules::dimension_name(rule.dimension)) + "\"}";
            EXPECT_EQ(s.count(key), rule.enabled ? 1u : 0u) << key;
        }
    }
    EXPECT_EQ(s.at(R"(spiegel_rule_failing_records{kind="employer",rule="employer.duplicate",dimension="uniqueness"})"), 0);
}

TEST_F(SnapshotTest, score_histogram_is_cumulative_and_consistent_with_count) {
    fixture();
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(3)));
    double previous = 0;
    for (int le = 10; le <= 100; le += 10) {
        const double n = s.at("spiegel_record_score_bucket{kind=\"cv\",le=\"" + std::to_string(le) + "\"}");
        EXPECT_GE(n, previous) << le;
        previous = n;
    }
    EXPECT_EQ(previous, 11);
    EXPECT_EQ(s.at(R"(spiegel_record_score_bucket{kind="cv",le="+Inf"})"), 11);
    EXPECT_EQ(s.at(R"(spiegel_record_score_count{kind="cv"})"), 11);
    EXPECT_NEAR(s.at(R"(spiegel_record_score_sum{kind="cv"})") / 11, s.at(R"(spiegel_score_average{kind="cv"})"), 1e-9);
}

TEST_F(SnapshotTest, dimension_averages_cover_records_where_the_dimension_applies) {
    fixture();
    scan(true);
    const auto s = samples(testing::render_snapshot(snapshot(3)));
    const double completeness = s.at(R"(spiegel_dimension_score_average{kind="cv",dimension="completeness"})");
    EXPECT_GT(completeness, 0);
    EXPECT_LE(completeness, 100);
    EXPECT_EQ(s.count(R"(spiegel_dimension_score_average{kind="vacancy",dimension="completeness"})"), 0u);
}

TEST_F(SnapshotTest, scan_history_keeps_the_last_full_and_incremental_scan) {
    fixture();
    scan(true);
    upsert(Kind::cv, {testing::cv("cv-12", "AM01", R"("ww")")});
    scan(false);
    const auto snap = snapshot(3);
    const auto s = samples(testing::render_snapshot(snap));
    EXPECT_EQ(s.count(R"(spiegel_last_scan_success_timestamp_seconds{scan="full"})"), 1u);
    EXPECT_EQ(s.count(R"(spiegel_last_scan_success_timestamp_seconds{scan="incremental"})"), 1u);
    EXPECT_EQ(s.count(R"(spiegel_scan_duration_seconds{scan="incremental"})"), 1u);
    EXPECT_EQ(s.at("spiegel_last_scan_success"), 1);
    EXPECT_EQ(s.at(R"(spiegel_records{kind="cv"})"), 12);
    EXPECT_EQ(s.at(R"(spiegel_region_records{kind="cv",labour_market_region="AM01"})"), 4);
}

// After each scan the daemon publishes a snapshot built from what the scan
// hands over (no database read); at start it reads one from the database.
// Both render the same text, after a full scan and after incremental scans
// of inserts, updates (an unreadable value too) and deletes.
TEST_F(SnapshotTest, the_scans_handed_over_aggregates_render_like_the_stored_ones) {
    fixture();
    upsert(Kind::vacancy, {R"({"id":"v-1","employer_id":"e-1","status":"open","occupation_code":"2512","region":"AM21"})"});
    const auto same_text = [&](const app::ScanResult& scanned, const std::string& when) {
        const std::string handed = testing::render_snapshot(build_snapshot(scanned.last_scan, *m_rules, spiegel::testing::shipped_code_lists(), 2));
        EXPECT_EQ(handed, testing::render_snapshot(snapshot(2))) << when;
        EXPECT_NE(handed.find("spiegel_dimension_score_average{"), std::string::npos) << when;
        EXPECT_NE(handed.find("spiegel_cv_complete_profile_ratio{"), std::string::npos) << when;
    };
    same_text(scan_result(true), "full scan");

    upsert(Kind::cv, {testing::cv("cv-12", "AM01", R"("banenafspraak")"), testing::cv("cv-1", "AM01", R"("ww")", true),
                      testing::cv("cv-5", "AM21", R"("banenafspraak","wajong")", true)});
    auto inserted = scan_result(false);
    ASSERT_FALSE(inserted.info.full);
    same_text(inserted, "incremental: an insert and updates");

    m_source->database().exec("DELETE FROM cv WHERE id IN ('cv-2', 'cv-9')");
    m_source->database().exec("UPDATE cv SET skills = '[\"SQL\", broken' WHERE id = 'cv-3'");
    upsert(Kind::vacancy, {R"({"id":"v-2","employer_id":"e-1","status":"open","occupation_code":"7212"})"});
    auto changed = scan_result(false);
    ASSERT_FALSE(changed.info.full);
    ASSERT_EQ(changed.info.summary.kinds[0].deleted, 2);
    same_text(changed, "incremental: deletes, an unreadable value, a vacancy");

    const auto full = scan_result(true);
    same_text(full, "full scan of the same data");
    EXPECT_TRUE(changed.last_scan.aggregates.groups() == full.last_scan.aggregates.groups())
        << "an incremental scan's aggregates are those of a full scan";
}

TEST_F(SnapshotTest, no_completed_scan_gives_an_empty_snapshot) {
    ASSERT_TRUE(store::StateDb::open(m_config.state.database));  // created as the daemon's start does
    const auto snap = snapshot(3);
    ASSERT_TRUE(snap);
    EXPECT_EQ(snap->scan_id, 0);
    EXPECT_TRUE(snap->families.empty());
    EXPECT_EQ(samples(testing::render_snapshot(snap)).count(R"(spiegel_records{kind="cv"})"), 0u);
}

TEST(LabelsTest, every_region_of_the_code_list_is_its_own_label) {
    const auto& codes = spiegel::testing::shipped_code_lists();
    const LabelVocabulary labels(codes);
    ASSERT_GT(codes.regions.size(), 30U);
    for (const auto& row : codes.regions.table().rows) {
        EXPECT_EQ(labels.region(row[0]), row[0]);
    }
}

TEST(LabelsTest, the_vocabulary_follows_the_code_lists_it_is_given) {
    model::CodeLists codes = spiegel::testing::shipped_code_lists();
    util::CsvTable regions = codes.regions.table();
    regions.rows.push_back(regions.rows.front());
    regions.rows.back()[0] = "AM99";  // a region added to regions.csv
    codes.regions = model::CodeList::from_table(regions, 0);
    util::CsvTable groups = codes.target_groups.table();
    groups.rows.push_back(groups.rows.front());
    groups.rows.back()[0] = "statushouder";
    codes.target_groups = model::CodeList::from_table(groups, 0);
    const LabelVocabulary labels(codes);
    EXPECT_EQ(labels.region("AM99"), "AM99");
    EXPECT_EQ(labels.target_group("statushouder"), "statushouder");
    for (const auto& row : spiegel::testing::shipped_code_lists().target_groups.table().rows) {
        EXPECT_EQ(labels.target_group(row[0]), row[0]);
    }
}

TEST(LabelsTest, stored_values_map_onto_the_documented_vocabulary) {
    const LabelVocabulary labels(spiegel::testing::shipped_code_lists());
    const auto region_label = [&](std::string_view v) { return labels.region(v); };
    const auto target_group_label = [&](std::string_view v) { return labels.target_group(v); };
    const auto major_group_label = [](std::string_view v) { return LabelVocabulary::major_group(v); };
    EXPECT_EQ(region_label("AM21"), "AM21");
    EXPECT_EQ(region_label("AM04"), "unknown");
    EXPECT_EQ(region_label(""), "unknown");
    EXPECT_EQ(target_group_label(""), "none");
    EXPECT_EQ(target_group_label("50plus"), "50plus");
    EXPECT_EQ(target_group_label("iets"), "");
    EXPECT_EQ(major_group_label("0"), "0");
    EXPECT_EQ(major_group_label("9"), "9");
    EXPECT_EQ(major_group_label(""), "unknown");
    EXPECT_EQ(major_group_label("x"), "unknown");
}

}  // namespace
}  // namespace spiegel::metrics
