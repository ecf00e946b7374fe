// The dashboards and alert rules against a real Prometheus scraping a real
// daemon: demo data, `spiegeld serve` on a free port, /usr/bin/prometheus
// scraping it every second; then every panel query and every alert
// expression is evaluated through Prometheus' HTTP API; finally a refused
// reload must fire its alert.
//
// Panels that cannot have data on a daemon that started seconds ago are
// listed in k_may_be_empty with the reason (docs/dashboards.md says the same).

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/http_client.h"

namespace spiegel::testing::e2e {
namespace {

using namespace std::chrono_literals;

// Panel title -> why it may show no data right after start-up.
const std::map<std::string, std::string> k_may_be_empty = {};

struct Environment {
    TempDir dir;
    std::unique_ptr<Child> daemon;
    std::unique_ptr<Child> prometheus;
    int daemon_port = 0;
    int prometheus_port = 0;
    std::string officer_token;  // for POST /-/reload
};

std::string now_rfc3339() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:00Z", &tm);
    return buf;
}

std::string last_lines(const std::string& path) {
    const std::string text = read_text(path);
    return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
}

// The port from the daemon's "listening on 127.0.0.1:PORT" log line, 0 if none yet.
int bound_port(const std::string& log_path) {
    static const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
    const std::string log = read_text(log_path);
    std::smatch m;
    return std::regex_search(log, m, listening) ? std::stoi(m[1]) : 0;
}

nlohmann::json get_json(int port, const std::string& target) {
    const auto r = http_get(port, target);
    return r.status == 200 ? nlohmann::json::parse(r.body, nullptr, false) : nlohmann::json();
}

nlohmann::json query(int prometheus_port, const std::string& expr) {
    const auto r =
        http_request(prometheus_port, "POST", "/api/v1/query", "query=" + url_encode(expr));
    return nlohmann::json::parse(r.body, nullptr, false);
}

// The last 30 seconds at a 1 s step, as a Grafana graph would ask.
nlohmann::json query_range(int prometheus_port, const std::string& expr) {
    const auto now = static_cast<long long>(std::time(nullptr));
    const std::string form = "query=" + url_encode(expr) + "&start=" + std::to_string(now - 30) +
                             "&end=" + std::to_string(now) + "&step=1";
    const auto r = http_request(prometheus_port, "POST", "/api/v1/query_range", form);
    return nlohmann::json::parse(r.body, nullptr, false);
}

// Empty when the query succeeds with data (or may be empty), else why not.
std::string check_query(const Query& q, const std::string& expr, const nlohmann::json& r) {
    if (!r.is_object() || r.value("status", "") != "success") {
        return q.where + ": " + expr + "\n  -> " + (r.is_object() ? r.dump() : "no JSON") + "\n";
    }
    if (r["data"]["result"].empty() && k_may_be_empty.count(q.panel) == 0) {
        return q.where + ": no data: " + expr + "\n";
    }
    return "";
}

std::string start_daemon(Environment& env) {
    // A copy of the shipped rules, so the test can break them for a reload.
    std::filesystem::copy(repo_file("rules"), env.dir.file("rules"),
                          std::filesystem::copy_options::recursive);
    const std::string config = write_test_config(env.dir, "", "  lifecycle: true\n");
    const auto officer = run_spiegeld({"token", "--config", config, "add", "ops", "--role", "officer"});
    if (officer.exit_code != 0) {
        return "spiegeld token add failed: " + officer.err;
    }
    env.officer_token = officer.out.substr(0, officer.out.find('\n'));
    const auto demo =
        run_spiegeld({"demo", "--config", config, "--cvs", "3000", "--vacancies", "600",
                      "--employers", "150", "--seed", "20", "--as-of", now_rfc3339()});
    if (demo.exit_code != 0) {
        return "spiegeld demo failed: " + demo.err;
    }
    const std::string log = env.dir.file("spiegeld.log");
    env.daemon =
        std::make_unique<Child>(std::vector<std::string>{spiegeld_binary(), "serve", "--config",
                                                         config, "--listen", "127.0.0.1:0"},
                                log);
    if (!wait_until(
            60s,
            [&] { return (env.daemon_port = bound_port(log)) != 0 || !env.daemon->running(); }) ||
        env.daemon_port == 0) {
        return "spiegeld serve did not log 'listening on 127.0.0.1:PORT':\n" + last_lines(log);
    }
    if (!wait_until(120s, [&] { return http_get(env.daemon_port, "/readyz").status == 200; })) {
        return "spiegeld never became ready (/readyz):\n" + last_lines(log);
    }
    return "";
}

std::string prometheus_config(int daemon_port) {
    return "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
           "rule_files:\n  - " +
           repo_file("dashboards/prometheus/spiegel-alerts.yml") +
           "\n"
           "scrape_configs:\n  - job_name: spiegel\n    static_configs:\n"
           "      - targets: ['127.0.0.1:" +
           std::to_string(daemon_port) + "']\n";
}

// Number of scrapes of the daemon Prometheus has stored in the last minute.
int scrapes(int prometheus_port) {
    const auto r = query(prometheus_port, "count_over_time(up{job=\"spiegel\"}[1m])");
    if (!r.is_object() || r["data"]["result"].empty()) {
        return 0;
    }
    return std::stoi(r["data"]["result"][0]["value"][1].get<std::string>());
}

bool rules_evaluated(int prometheus_port) {
    const auto r = get_json(prometheus_port, "/api/v1/rules");
    if (!r.is_object()) {
        return false;
    }
    for (const auto& group : r["data"]["groups"]) {
        for (const auto& rule : group["rules"]) {
            if (rule.value("health", "") == "unknown") {
                return false;
            }
        }
    }
    return !r["data"]["groups"].empty();
}

std::string start_prometheus(Environment& env) {
    if (access(k_prometheus.c_str(), X_OK) != 0) {
        return k_prometheus +
               " is missing: install the Debian package prometheus (scripts/test.sh does)";
    }
    const std::string config = env.dir.file("prometheus.yml");
    write_file(config, prometheus_config(env.daemon_port));
    const std::string log = env.dir.file("prometheus.log");
    env.prometheus = std::make_unique<Child>(
        std::vector<std::string>{
            k_prometheus, "--config.file=" + config, "--storage.tsdb.path=" + env.dir.file("tsdb"),
            "--web.listen-address=127.0.0.1:0"},
        log);
    // Port 0: the port it bound is read back, so no other process can take it in between.
    if (!wait_until(30s, [&] { return (env.prometheus_port = listening_port(env.prometheus->pid())) != 0; })) {
        return "prometheus did not listen:\n" + last_lines(log);
    }
    if (!wait_until(30s, [&] { return http_get(env.prometheus_port, "/-/ready").status == 200; })) {
        return "prometheus did not become ready:\n" + last_lines(log);
    }
    // Three scrapes: rate() over the 1m windows needs two samples.
    if (!wait_until(30s, [&] { return scrapes(env.prometheus_port) >= 3; })) {
        return "prometheus did not scrape the daemon:\n" +
               get_json(env.prometheus_port, "/api/v1/targets").dump();
    }
    if (!wait_until(15s, [&] { return rules_evaluated(env.prometheus_port); })) {
        return "prometheus did not evaluate the alert rules";
    }
    return "";
}

void expect_daemon_target_up(const Environment& env) {
    SCOPED_TRACE("target up");
    const auto r = query(env.prometheus_port, "up{job=\"spiegel\"}");
    ASSERT_EQ(r.value("status", ""), "success") << r.dump();
    ASSERT_EQ(r["data"]["result"].size(), 1u) << r.dump();
    EXPECT_EQ(r["data"]["result"][0]["value"][1], "1");
}

void expect_every_dashboard_query_returns_data(const Environment& env) {
    SCOPED_TRACE("dashboard queries");
    std::string failures;
    int instant = 0;
    int range = 0;
    for (const auto& q : dashboard_queries()) {
        const std::string expr = substitute_grafana_variables(q.expr);
        failures += check_query(q, expr, query(env.prometheus_port, expr));
        ++instant;
        if (q.range) {
            failures += check_query(q, expr, query_range(env.prometheus_port, expr));
            ++range;
        }
    }
    EXPECT_EQ(failures, "");
    std::cout << "[ info     ] " << instant << " panel queries evaluated as instant queries, "
              << range << " also as range queries\n";
}

void expect_every_alert_expression_parses(const Environment& env) {
    SCOPED_TRACE("alert expressions");
    for (const auto& q : alert_queries()) {
        const auto r = query(env.prometheus_port, q.expr);
        EXPECT_EQ(r.is_object() ? r.value("status", "") : "no JSON", "success")
            << q.where << ": " << r.dump();
    }
}

void expect_alert_rules_healthy_and_quiet(const Environment& env) {
    SCOPED_TRACE("alert rules");
    const auto rules = get_json(env.prometheus_port, "/api/v1/rules");
    ASSERT_TRUE(rules.is_object());
    int count = 0;
    for (const auto& group : rules["data"]["groups"]) {
        for (const auto& rule : group["rules"]) {
            ++count;
            EXPECT_EQ(rule.value("health", ""), "ok")
                << rule.value("name", "") << ": " << rule.value("lastError", "");
        }
    }
    EXPECT_GE(count, 6);
    const auto alerts = get_json(env.prometheus_port, "/api/v1/alerts");
    EXPECT_TRUE(alerts["data"]["alerts"].empty()) << alerts.dump(2);
}

// Information for the report, not a failure: the contract lets HTTP and
// card-read series appear with their first request.
void report_documented_series_not_exposed(const std::string& exposition) {
    std::string missing;
    for (const auto& [name, type] : documented_metrics()) {
        const std::string sample = name + (type == "histogram" ? "_bucket" : "");
        if (exposition.find("\n" + sample + "{") == std::string::npos &&
            exposition.find("\n" + sample + " ") == std::string::npos) {
            missing += " " + name;
        }
    }
    std::cout << "[ info     ] documented series not exposed:"
              << (missing.empty() ? " none" : missing) << "\n";
}

void expect_metrics_pass_promtool(const Environment& env) {
    SCOPED_TRACE("promtool check metrics");
    const auto r = http_get(env.daemon_port, "/metrics");
    ASSERT_EQ(r.status, 200);
    const std::string path = env.dir.file("metrics.txt");
    write_file(path, r.body);
    const auto check = run_command(k_promtool + " check metrics < " + quoted(path));
    EXPECT_EQ(check.exit_code, 0) << check.output;
    std::istringstream lines(r.body);
    std::string line;
    int series = 0;
    while (std::getline(lines, line)) {
        series += (!line.empty() && line[0] != '#') ? 1 : 0;
    }
    std::cout << "[ info     ] the daemon exposes " << series << " series on the demo data\n";
    report_documented_series_not_exposed(r.body);
}

// One test, so ctest (one process per test) starts the daemon and
// Prometheus once.
bool alert_firing(int prometheus_port, const std::string& name) {
    const auto alerts = get_json(prometheus_port, "/api/v1/alerts");
    for (const auto& alert : alerts["data"]["alerts"]) {
        if (alert["labels"].value("alertname", "") == name &&
            alert.value("state", "") == "firing") {
            return true;
        }
    }
    return false;
}

// A refused reload of the real daemon must fire SpiegelRuleReloadFailed: the
// alert matches the exporter's real series, not only promtool's test series.
void expect_refused_reload_fires_its_alert(Environment& env) {
    SCOPED_TRACE("refused reload");
    write_file(env.dir.file("rules/zz_broken.yaml"), "kind: cv\nrules:\n  - id: [unclosed\n");
    EXPECT_EQ(http_post_json(env.daemon_port, "/-/reload", "{}", env.officer_token).status, 400);
    EXPECT_TRUE(wait_until(30s, [&] {
        return alert_firing(env.prometheus_port, "SpiegelRuleReloadFailed");
    })) << get_json(env.prometheus_port, "/api/v1/alerts").dump(2);
}

TEST(PrometheusIntegration,
     dashboards_and_alerts_work_against_a_real_prometheus_scraping_the_daemon) {
    const auto start = std::chrono::steady_clock::now();
    Environment env;
    std::string error = start_daemon(env);
    ASSERT_EQ(error, "");
    error = start_prometheus(env);
    ASSERT_EQ(error, "");
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << "[ info     ] set-up (demo, serve, prometheus, scrapes) took " << took.count()
              << " s\n";

    expect_daemon_target_up(env);
    expect_every_dashboard_query_returns_data(env);
    expect_every_alert_expression_parses(env);
    expect_alert_rules_healthy_and_quiet(env);
    expect_metrics_pass_promtool(env);
    expect_refused_reload_fires_its_alert(env);
}

}  // namespace
}  // namespace spiegel::testing::e2e
