// Exporter: process-lifetime counters (the registry sorts their labels), promtool-clean text, and renders
// that never mix two snapshots while another thread publishes.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/metrics/metrics_fixture.h"

namespace spiegel::metrics {
namespace {

using model::Kind;
using testing::samples;

class ExporterTest : public testing::ScannedState {};

TEST(ExporterCounters, zero_series_exist_before_the_first_event) {
    Exporter exporter("1.2.3");
    const auto s = samples(exporter.render());
    EXPECT_EQ(s.at(R"(spiegel_build_info{version="1.2.3"})"), 1);
    for (const char* scan : {"full", "incremental"}) {
        for (const char* result : {"success", "failure"}) {
            EXPECT_EQ(s.at(std::string("spiegel_scans_total{result=\"") + result + "\",scan=\"" + scan + "\"}"), 0);
        }
    }
    EXPECT_EQ(s.at(R"(spiegel_rule_reloads_total{result="success"})"), 0);
    EXPECT_EQ(s.at(R"(spiegel_rule_reloads_total{result="failure"})"), 0);
    EXPECT_EQ(s.at(R"(spiegel_records_scanned_total{kind="employer"})"), 0);
    EXPECT_EQ(s.at("spiegel_scan_in_progress"), 0);
    EXPECT_EQ(s.count("spiegel_last_scan_success"), 0u);
}

TEST(ExporterCounters, a_stopped_scan_is_no_longer_in_progress_and_not_counted) {
    Exporter exporter("1.2.3");
    exporter.scan_started();
    exporter.scan_stopped();
    const auto s = samples(exporter.render());
    EXPECT_EQ(s.at("spiegel_scan_in_progress"), 0);
    EXPECT_EQ(s.at(R"(spiegel_scans_total{result="success",scan="full"})"), 0);
    EXPECT_EQ(s.at(R"(spiegel_scans_total{result="failure",scan="full"})"), 0);
    EXPECT_EQ(s.count("spiegel_last_scan_success"), 0u);
}

TEST(ExporterCounters, scans_reloads_requests_and_card_reads_are_counted) {
    Exporter exporter("1.2.3");
    exporter.scan_started();
    EXPECT_EQ(samples(exporter.render()).at("spiegel_scan_in_progress"), 1);
    exporter.scan_finished({true, true, 2.5, {10, 4, 0}});
    exporter.scan_finished({false, false, 0.5, {0, 0, 0}});
    exporter.rules_reloaded(true, 17);
    exporter.rules_reloaded(false, 0);
    exporter.http_request("/metrics", 200, 0.003);
    exporter.http_request("/metrics", 200, 0.2);
    exporter.http_request("/api/v1/cards/cv/{id}", 404, 0.001);
    exporter.personal_card_read("officer");
    const auto s = samples(exporter.render());
    EXPECT_EQ(s.at("spiegel_scan_in_progress"), 0);
    EXPECT_EQ(s.at(R"(spiegel_scans_total{result="success",scan="full"})"), 1);
    EXPECT_EQ(s.at(R"(spiegel_scans_total{result="failure",scan="incremental"})"), 1);
    EXPECT_EQ(s.at(R"(spiegel_records_scanned_total{kind="cv"})"), 10);
    EXPECT_EQ(s.at(R"(spiegel_records_scanned_total{kind="vacancy"})"), 4);
    EXPECT_EQ(s.at("spiegel_last_scan_success"), 0);
    EXPECT_EQ(s.at("spiegel_rules_loaded"), 17);
    EXPECT_EQ(s.at(R"(spiegel_rule_reloads_total{result="failure"})"), 1);
    EXPECT_EQ(s.at(R"(spiegel_http_requests_total{code="200",route="/metrics"})"), 2);
    EXPECT_EQ(s.at(R"(spiegel_http_requests_total{code="404",route="/api/v1/cards/cv/{id}"})"), 1);
    EXPECT_EQ(s.at(R"(spiegel_http_request_duration_seconds_count{route="/metrics"})"), 2);
    EXPECT_EQ(s.at(R"(spiegel_http_request_duration_seconds_bucket{route="/metrics",le="0.005"})"), 1);
    EXPECT_EQ(s.at(R"(spiegel_personal_card_reads_total{role="officer"})"), 1);
}

TEST_F(ExporterTest, render_passes_promtool_check_metrics) {
    fixture();
    scan(true);
    Exporter exporter("0.1.0");
    exporter.publish(snapshot(2));
    exporter.scan_started();
    exporter.scan_finished({true, true, 1.0, {11, 0, 0}});
    exporter.rules_reloaded(true, 40);
    exporter.http_request("/metrics", 200, 0.01);
    exporter.personal_card_read("officer");
    const auto [status, output] = testing::promtool_check(exporter.render(), m_dir.path());
    EXPECT_EQ(status, 0) << output;
}

TEST_F(ExporterTest, a_published_snapshot_replaces_the_reloaded_rule_count) {
    fixture();
    scan(true);
    Exporter exporter("0.1.0");
    exporter.rules_reloaded(true, 3);
    EXPECT_EQ(samples(exporter.render()).at("spiegel_rules_loaded"), 3);
    exporter.publish(snapshot(2));
    EXPECT_EQ(samples(exporter.render()).at("spiegel_rules_loaded"), static_cast<double>(m_rules->enabled_count()));
}

TEST_F(ExporterTest, concurrent_renders_see_one_whole_snapshot_or_the_other) {
    fixture();
    scan(true);
    const auto first = snapshot(2);
    upsert(Kind::cv, {testing::cv("cv-20", "AM01", R"("ww")"), testing::cv("cv-21", "AM02", R"("wajong")")});
    scan(false);
    const auto second = snapshot(2);
    ASSERT_NE(first->scan_id, second->scan_id);

    Exporter exporter("0.1.0");
    exporter.publish(first);
    const std::string text_first = exporter.render();
    exporter.publish(second);
    const std::string text_second = exporter.render();
    ASSERT_NE(text_first, text_second);

    std::atomic<bool> done{false};
    std::thread publisher([&] {
        for (int i = 0; i < 2000; ++i) {
            exporter.publish(i % 2 == 0 ? first : second);
        }
        done = true;
    });
    int renders = 0;
    int mixed = 0;
    while (!done || renders < 200) {
        const std::string text = exporter.render();
        mixed += (text != text_first && text != text_second) ? 1 : 0;
        ++renders;
    }
    publisher.join();
    EXPECT_EQ(mixed, 0) << "of " << renders << " renders";
}

TEST(ExporterDemo, demo_database_renders_promtool_clean_and_under_5000_series) {
    spiegel::testing::TempDir dir;
    const std::string rules_dir = spiegel::testing::source_dir() + "/rules";
    const std::string config = spiegel::testing::write_test_config(dir, rules_dir);
    ASSERT_EQ(spiegel::testing::run_spiegeld({"demo", "--config", config, "--cvs", "3000", "--vacancies", "600",
                                              "--employers", "150"}, dir.path()).exit_code, 0);
    ASSERT_EQ(spiegel::testing::run_spiegeld({"scan", "--config", config, "--full"}, dir.path()).exit_code, 0);
    auto loaded = rules::load_rule_set(rules_dir);
    ASSERT_TRUE(loaded.rule_set);
    auto snapshot = load_snapshot(dir.file("data/state.db"), *loaded.rule_set, spiegel::testing::shipped_code_lists(), 10);
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    Exporter exporter("0.1.0");
    exporter.publish(*snapshot);
    const std::string text = exporter.render();
    const auto s = samples(text);
    EXPECT_EQ(s.at(R"(spiegel_records{kind="cv"})"), 3000);
    EXPECT_GT(s.count(R"(spiegel_region_records{kind="cv",labour_market_region="AM21"})"), 0u);
    EXPECT_LT(s.size(), 5000u);
    const auto [status, output] = testing::promtool_check(text, dir.path());
    EXPECT_EQ(status, 0) << output;
}

}  // namespace
}  // namespace spiegel::metrics
