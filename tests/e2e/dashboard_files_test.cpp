// The shipped monitoring files stay valid and in step with docs/metrics.md:
// promtool accepts the alert rules, their unit tests and the example
// Prometheus config; every Grafana dashboard parses, uses the fixed
// datasource uid and non-empty queries; every metric name they use is
// documented.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "tests/e2e/e2e_support.h"

namespace spiegel::testing::e2e {
namespace {

// Empty when `name` is a documented series (a histogram's _bucket, _sum and
// _count included), else the reason.
std::string undocumented(const std::string& name,
                         const std::map<std::string, std::string>& metrics) {
    if (metrics.count(name) != 0) {
        return "";
    }
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            const auto it = metrics.find(name.substr(0, name.size() - suffix.size()));
            if (it != metrics.end() && it->second == "histogram") {
                return "";
            }
        }
    }
    return name + " is not in docs/metrics.md";
}

TEST(MonitoringFiles, promtool_accepts_the_alert_rules) {
    const auto r = run_command(k_promtool + " check rules " +
                               quoted(repo_file("dashboards/prometheus/spiegel-alerts.yml")));
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(MonitoringFiles, alert_rule_unit_tests_pass) {
    const auto r = run_command(k_promtool + " test rules " +
                               quoted(repo_file("tests/dashboards/alerts_test.yml")) + " " +
                               quoted(repo_file("tests/dashboards/alerts_history_test.yml")) + " " +
                               quoted(repo_file("tests/dashboards/anomaly_test.yml")));
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(MonitoringFiles, promtool_accepts_the_example_prometheus_config) {
    const auto r =
        run_command(k_promtool + " check config " + quoted(repo_file("config/prometheus.yml")));
    EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(MonitoringFiles, every_alert_has_a_unit_test_severity_and_bilingual_texts) {
    const std::string tests = read_text(repo_file("tests/dashboards/alerts_test.yml")) +
                              read_text(repo_file("tests/dashboards/alerts_history_test.yml")) +
                              read_text(repo_file("tests/dashboards/anomaly_test.yml"));
    const YAML::Node doc = YAML::LoadFile(repo_file("dashboards/prometheus/spiegel-alerts.yml"));
    int alerts = 0;
    for (const auto& group : doc["groups"]) {
        for (const auto& rule : group["rules"]) {
            if (!rule["alert"].IsDefined()) {
                continue;  // a recording rule
            }
            const auto name = rule["alert"].as<std::string>();
            ++alerts;
            EXPECT_NE(tests.find("alertname: " + name + "\n"), std::string::npos)
                << name << " has no promtool test";
            EXPECT_TRUE(rule["labels"]["severity"].IsDefined()) << name;
            for (const char* key : {"summary", "summary_nl", "description"}) {
                EXPECT_TRUE(rule["annotations"][key].IsDefined())
                    << name << " lacks annotation " << key;
            }
        }
    }
    EXPECT_GE(alerts, 6);
}

TEST(MonitoringFiles, every_dashboard_parses_with_a_unique_uid_and_unique_panel_ids) {
    const auto files = dashboard_files();
    ASSERT_EQ(files.size(), 3u);
    std::set<std::string> uids;
    for (const auto& file : files) {
        nlohmann::json board;
        ASSERT_NO_THROW(board = load_json(file)) << file;
        EXPECT_TRUE(uids.insert(board.value("uid", "")).second)
            << file << ": duplicate or missing uid";
        EXPECT_GE(board.value("schemaVersion", 0), 36) << file << ": not a Grafana 9/10 schema";
        std::set<int> ids;
        for (const auto& panel : board.at("panels")) {
            EXPECT_TRUE(ids.insert(panel.value("id", -1)).second) << file << ": duplicate panel id";
            EXPECT_TRUE(panel.contains("gridPos")) << file << ": " << panel.value("title", "");
        }
    }
}

TEST(MonitoringFiles, every_panel_and_variable_uses_the_fixed_datasource_uid) {
    for (const auto& file : dashboard_files()) {
        const auto board = load_json(file);
        for (const auto& panel : query_panels(board)) {
            const std::string where = file + ": " + panel.value("title", "");
            ASSERT_TRUE(panel.contains("datasource")) << where;
            EXPECT_EQ(panel["datasource"].value("uid", ""), k_datasource_uid) << where;
            ASSERT_FALSE(panel.value("targets", nlohmann::json::array()).empty()) << where;
            for (const auto& target : panel["targets"]) {
                EXPECT_EQ(target.at("datasource").value("uid", ""), k_datasource_uid) << where;
            }
        }
        for (const auto& variable : board.at("templating").at("list")) {
            EXPECT_EQ(variable.at("datasource").value("uid", ""), k_datasource_uid) << file;
        }
        EXPECT_EQ(read_text(file).find("${DS_"), std::string::npos)
            << file << ": import-only datasource variable";
    }
}

TEST(MonitoringFiles, every_panel_query_has_an_expression_about_spiegel) {
    const auto queries = dashboard_queries();
    EXPECT_GE(queries.size(), 40u);
    for (const auto& q : queries) {
        EXPECT_FALSE(q.expr.empty()) << q.where;
        const bool scrape_health = q.expr.find("up{job=\"spiegel\"") != std::string::npos;
        EXPECT_TRUE(scrape_health || !metric_names_in(q.expr).empty()) << q.where << ": " << q.expr;
    }
}

TEST(MonitoringFiles, every_metric_in_dashboards_and_alerts_is_documented) {
    const auto metrics = documented_metrics();
    ASSERT_GE(metrics.size(), 25u) << "the Series table of docs/metrics.md was not found";
    auto queries = dashboard_queries();
    const auto alerts = alert_queries();
    queries.insert(queries.end(), alerts.begin(), alerts.end());
    for (const auto& q : queries) {
        for (const auto& name : metric_names_in(q.expr)) {
            EXPECT_EQ(undocumented(name, metrics), "") << q.where;
        }
    }
}

TEST(MonitoringFiles, an_undocumented_metric_name_is_caught) {
    const auto metrics = documented_metrics();
    EXPECT_EQ(undocumented("spiegel_http_request_duration_seconds_bucket", metrics), "");
    EXPECT_NE(undocumented("spiegel_score_average_bucket", metrics), "");
    EXPECT_NE(undocumented("spiegel_scan_total", metrics), "");
}

TEST(MonitoringFiles, grafana_provisioning_names_the_fixed_datasource_and_the_dashboards) {
    const YAML::Node ds =
        YAML::LoadFile(repo_file("dashboards/grafana/provisioning/datasources/prometheus.yaml"));
    EXPECT_EQ(ds["datasources"][0]["uid"].as<std::string>(), k_datasource_uid);
    EXPECT_EQ(ds["datasources"][0]["type"].as<std::string>(), "prometheus");
    const YAML::Node provider =
        YAML::LoadFile(repo_file("dashboards/grafana/provisioning/dashboards/spiegel.yaml"));
    EXPECT_EQ(provider["providers"][0]["type"].as<std::string>(), "file");
    EXPECT_TRUE(provider["providers"][0]["options"]["path"].IsDefined());
}

}  // namespace
}  // namespace spiegel::testing::e2e
