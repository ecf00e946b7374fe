#pragma once
// A scanned world for tests: a temp dir with a config and the shipped
// rules, a source database to upsert JSON records into, and real scans
// through app::run_scan_job at a fixed as-of instant. Header-only.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/app/scan_job.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/source_db.h"
#include "daemon/store/state_db.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {

// A complete CV of occupation 2512 in `region`; `groups` is the body of its
// target_groups array. With interests it passes cv.banenafspraak.complete.
inline std::string complete_cv(const std::string& id, const std::string& region, const std::string& groups,
                               bool interests = false, bool visible = true,
                               const std::string& email = "a@example.nl") {
    return R"({"id":")" + id + R"(","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-09-01T00:00:00Z",
      "birth_year":1985,"postcode":"1234 AB","region":")" + region + R"(","email":")" + email + R"(",
      "phone":"0612345678","summary":"Ik ben een ervaren ontwikkelaar met veel plezier in mijn werk en ik zoek een nieuwe uitdaging in de regio waar ik woon en werk graag samen",
      "desired_occupations":[{"code":"2512","title":"x"}],
      "education":[{"level":"hbo","name":"Informatica","diploma":true,"year_end":2008}],
      "experience":[{"occupation_code":"2512","title":"Ontwikkelaar","employer":"X","start":"2010-01",
                     "description":"Ontwikkelen en onderhouden van webapplicaties voor klanten"}],
      "skills":["C++","SQL","Linux"],"hours_per_week":36,"hours_per_day":8,"max_travel_minutes":45,
      "visible":)" + (visible ? "true" : "false") + R"(,"target_groups":[)" + groups + "]" +
           (interests ? R"(,"interests":["ict"])" : "") + "}";
}

class ScannedWorld : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string rules_dir = source_dir() + "/rules";
        auto config = app::load_config(write_test_config(m_dir, rules_dir));
        ASSERT_TRUE(config) << config.error().message;
        m_config = *config;
        auto loaded = rules::load_rule_set(rules_dir);
        ASSERT_TRUE(loaded.rule_set) << loaded.diagnostics.front().to_string();
        m_rules = std::move(loaded.rule_set);
        auto db = store::SourceDb::open(m_config.source.database, store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        m_source = std::move(*db);
    }

    void upsert(model::Kind kind, const std::vector<std::string>& json) { write_records(*m_source, kind, json); }

    // Runs a scan as of `as_of`; returns all it hands on (a failure fails the test).
    app::ScanResult scan_result(bool full, const std::string& as_of = "2026-10-01T12:00:00Z") {
        app::ScanJob job;
        job.as_of = *util::parse_timestamp(as_of);
        job.full = full;
        auto result = app::run_scan_job(m_config, *m_rules, app::rules_fingerprint(m_config.rules.directory), job);
        EXPECT_TRUE(result) << result.error().message;
        return result ? std::move(*result) : app::ScanResult{};
    }

    // Runs a scan as of `as_of`; returns what it recorded (a failure fails the test).
    store::ScanInfo scan(bool full, const std::string& as_of = "2026-10-01T12:00:00Z") {
        return scan_result(full, as_of).info;
    }

    TempDir m_dir;
    app::Config m_config;
    std::unique_ptr<rules::RuleSet> m_rules;
    std::unique_ptr<store::SourceDb> m_source;
};

}  // namespace spiegel::testing
