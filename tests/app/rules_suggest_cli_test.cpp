// `spiegeld rules suggest` through the real binary on generated CVs whose
// true constraints are known: it finds them, suggests nothing the data does
// not bear out (no suggested rule fails more than 1% of the records when
// scanned), leaves out what the current rules judge, and `check` accepts
// what it writes.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/model/code_lists.h"
#include "daemon/store/source_db.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using model::Kind;
using testing::run_spiegeld;
using testing::TempDir;

constexpr int k_cvs = 400;

// CVs with known constraints: hours_per_week 8..40 (two outliers of 99),
// region a code of regions.csv (one AM99), postcode "1234 AB", at least 3
// skills, birth_year 1960..2000, updated_at in the past, email always;
// phone in half of them; summary and municipality free text.
std::vector<std::string> generated_cvs() {
    std::mt19937 rng(13);
    auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const char* towns[] = {"Amsterdam", "Ede", "Zwolle", "Den Haag", "Groningen", "Tiel", "Breda", "Delft",
                           "Emmen", "Assen", "Hoorn", "Venlo", "Almere", "Gouda", "Sneek", "Heerlen"};
    std::vector<std::string> out;
    for (int i = 0; i < k_cvs; ++i) {
        nlohmann::json cv;
        cv["id"] = "cv-" + std::to_string(i);  // NOLINT
        cv["created_at"] = "2025-01-01T00:00:00Z";
        cv["updated_at"] = "2026-0" + std::to_string(between(1, 9)) + "-15T10:00:00Z";
        cv["hours_per_week"] = i < 2 ? 99 : between(8, 40);
        const auto& regions = testing::shipped_code_lists().regions.table().rows;
        cv["region"] = i == 7 ? "AM99" : regions[static_cast<std::size_t>(between(0, int(regions.size()) - 1))][0];
        char postcode[16];
        std::snprintf(postcode, sizeof postcode, "%d %c%c", between(1000, 9999), 'A' + between(0, 17),
                      'A' + between(0, 25));
        cv["postcode"] = postcode;
        cv["birth_year"] = between(1960, 2000);
        cv["email"] = "persoon" + std::to_string(i) + "@example.nl";
        if (i % 2 == 0) {
            cv["phone"] = "06" + std::to_string(10000000 + i);
        }
        std::vector<std::string> skills;
        for (int s = 0, n = between(3, 6); s < n; ++s) {
            skills.push_back("vaardigheid " + std::to_string(between(1, 500)));
        }
        cv["skills"] = skills;
        std::string summary;
        for (int w = 0, n = between(5, 40); w < n; ++w) {
            if (w > 0) {
                summary += ' ';
            }
            summary += towns[between(0, 15)];
            summary += std::to_string(between(1, 9));
        }
        cv["summary"] = summary;
        cv["municipality"] = towns[between(0, 15)];
        out.push_back(cv.dump());
    }
    return out;
}

class RulesSuggestCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_rules = m_dir.file("rules");
        fs::create_directories(m_rules);
        fs::copy(testing::source_dir() + "/rules/codes", m_rules + "/codes", fs::copy_options::recursive);
        // The current set judges email already.
        testing::write_file(m_rules + "/cv.yaml",
                            "kind: cv\nrules:\n  - id: cv.local.email\n    title: E-mail\n    dimension: completeness\n"
                            "    advice: Vul het e-mailadres in.\n    check: {present: email}\n");
        m_config = testing::write_test_config(m_dir, m_rules);
        auto db = store::SourceDb::open(m_dir.file("data/source.db"), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        testing::write_records(**db, Kind::cv, generated_cvs());
    }

    TempDir m_dir;
    std::string m_rules;
    std::string m_config;
};

TEST_F(RulesSuggestCli, finds_the_known_constraints_and_no_rule_the_data_does_not_bear_out) {
    const std::string out = m_dir.file("suggested.yaml");
    const auto r = run_spiegeld({"rules", "suggest", "--config", m_config, "--kind", "cv", "--out", out}, m_dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string yaml = testing::read_text(out);

    // Found, with their bounds and evidence.
    EXPECT_NE(yaml.find("{range: {field: hours_per_week, min: 8, max: 40, if_missing: pass}}"), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("# 398 of 400 values between 8 and 40\n"), std::string::npos) << yaml;
    EXPECT_EQ(yaml.find("to 99"), std::string::npos) << "one record's value (hours 99) is never shown: " << yaml;
    EXPECT_EQ(yaml.find(" 99)"), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("{in: {field: region, list: codes/regions.csv, if_missing: pass}}"), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("99.8% of 400 values are codes of codes/regions.csv (1 are not)"), std::string::npos);
    EXPECT_NE(yaml.find("pattern: '[0-9]{4} [A-Za-z]{2}'"), std::string::npos);
    EXPECT_NE(yaml.find("{count: {field: skills, min: 3, if_missing: pass}}"), std::string::npos);
    EXPECT_NE(yaml.find("{range: {field: birth_year, min: 1960, max: 2000, if_missing: pass}}"), std::string::npos);
    EXPECT_NE(yaml.find("{range: {field: updated_at, max: as_of, if_missing: pass}}"), std::string::npos);
    EXPECT_NE(yaml.find("# present in 100.0% of 400 CVs (0 missing)"), std::string::npos);
    // Not borne out by the data, or judged by the current rules already.
    EXPECT_EQ(yaml.find("cv.suggested.phone.present"), std::string::npos) << "phone is in half of the CVs";
    EXPECT_EQ(yaml.find("cv.suggested.email.present"), std::string::npos) << "cv.local.email judges it";
    EXPECT_EQ(yaml.find("field: summary, pattern"), std::string::npos) << "free text has no shape";
    EXPECT_EQ(yaml.find("{unique: {key: [{field: summary}]"), std::string::npos) << "free text is not a key";
    EXPECT_EQ(yaml.find("field: municipality, pattern"), std::string::npos);
    // Personal values never appear: the e-mail addresses and phones are not in the file.
    EXPECT_EQ(yaml.find("@example.nl"), std::string::npos);

    // The rule file schema accepts it too (tests/support/validate_rule_files.py).
    const std::string validate = "/usr/bin/python3 " + testing::source_dir() +
                                 "/tests/support/validate_rule_files.py " + testing::source_dir() +
                                 "/docs/schemas/rule-file.schema.json '" + out + "'";
    FILE* pipe = popen(validate.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[512] = {};
    const std::string verdict(buffer, fread(buffer, 1, sizeof buffer - 1, pipe));
    pclose(pipe);
    EXPECT_EQ(verdict, out + ": ok\n");

    // `check` accepts the file, next to the current rules.
    fs::copy_file(out, m_rules + "/suggested.yaml");
    const auto checked = run_spiegeld({"check", "--config", m_config}, m_dir.path());
    ASSERT_EQ(checked.exit_code, 0) << checked.err;

    // Scanned, no suggested rule fails more than 1% of the CVs.
    const auto scanned = run_spiegeld({"scan", "--config", m_config, "--full", "--report", "-"}, m_dir.path());
    ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
    std::map<std::string, int> failing;
    std::istringstream lines(scanned.out);
    std::string line;
    int records = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line);
        records += j.at("kind") == "cv" ? 1 : 0;
        for (const auto& id : j.at("failed")) {
            ++failing[id.get<std::string>()];
        }
    }
    ASSERT_EQ(records, k_cvs);
    EXPECT_EQ(failing["cv.suggested.hours_per_week.range"], 2);
    EXPECT_EQ(failing["cv.suggested.region.known"], 1);
    for (const auto& [id, n] : failing) {
        if (id.rfind("cv.suggested.", 0) == 0) {
            EXPECT_LE(n * 100, k_cvs) << id << " fails " << n << " of " << k_cvs;
        }
    }
}

TEST_F(RulesSuggestCli, suggests_nothing_the_shipped_rules_already_judge) {
    const std::string config = m_dir.file("shipped.yaml");
    testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                "rules:\n  directory: " + testing::source_dir() + "/rules\n");
    const auto r = run_spiegeld({"rules", "suggest", "--config", config, "--kind", "cv"}, m_dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // cv.region.known, cv.postcode.valid, cv.skills.min, cv.birth_year.plausible judge these.
    for (const char* id : {"cv.suggested.region.known", "cv.suggested.postcode.format", "cv.suggested.skills.count",
                           "cv.suggested.birth_year.range", "cv.suggested.region.present"}) {
        EXPECT_EQ(r.out.find(id), std::string::npos) << id << "\n" << r.out;
    }
    EXPECT_NE(r.out.find("cv.suggested.hours_per_week.range"), std::string::npos) << r.out;
}

TEST_F(RulesSuggestCli, an_unknown_kind_is_a_usage_error) {
    const auto r = run_spiegeld({"rules", "suggest", "--config", m_config, "--kind", "person"}, m_dir.path());
    EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace spiegel::app
