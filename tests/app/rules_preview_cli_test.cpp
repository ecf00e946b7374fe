// `spiegeld rules preview` through the real binary: a world of known CVs
// scanned with the shipped rules, then candidate rule sets with a raised
// threshold, a disabled rule and a new rule; the records they move are
// known. The preview evaluates at the stored scan's as-of and stores nothing.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "daemon/store/source_db.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using model::Kind;
using testing::run_spiegeld;
using testing::TempDir;

// updated_at is 153 days before the as-of but more than 180 days before
// today: a preview evaluating at today's date would move cv.freshness.
constexpr const char* k_preview_as_of = "2026-10-01T12:00:00Z";

struct Cv {
    std::string id;
    int skills = 4;
    bool contact = true;
    bool summary = true;
};

std::string cv_json(const Cv& cv) {
    std::string skills;
    for (int i = 0; i < cv.skills; ++i) {
        skills += std::string(i ? "," : "") + "\"skill " + std::to_string(i) + "\"";
    }
    std::string json = R"({"id":")" + cv.id + R"(","created_at":"2026-01-01T00:00:00Z",
      "updated_at":"2026-05-01T00:00:00Z","birth_year":1985,"postcode":"1234 AB","region":"AM21",)";
    if (cv.contact) {
        json += R"("email":"a@example.nl","phone":"0612345678",)";
    }
    if (cv.summary) {
        json += R"("summary":"Ik ben een ervaren ontwikkelaar met veel plezier in mijn werk en ik zoek een nieuwe uitdaging in de regio waar ik woon en werk graag samen",)";
    }
    json += R"("desired_occupations":[{"code":"2512","title":"x"}],
      "education":[{"level":"hbo","name":"Informatica","diploma":true,"year_end":2008}],
      "experience":[{"occupation_code":"2512","title":"Ontwikkelaar","employer":"X","start":"2010-01",
                     "description":"Ontwikkelen en onderhouden van webapplicaties voor klanten"}],
      "skills":[)" + skills + R"(],"hours_per_week":36,"hours_per_day":8,"max_travel_minutes":45,
      "visible":true,"target_groups":["ww"]})";
    return json;
}

class RulesPreviewCli : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(testing::source_dir() + "/rules", m_dir.file("rules"), fs::copy_options::recursive);
        m_config = testing::write_test_config(m_dir, m_dir.file("rules"));
        auto db = store::SourceDb::open(m_dir.file("data/source.db"), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        testing::write_records(**db, Kind::cv,
                               {cv_json({"cv-three-skills", 3}), cv_json({"cv-four-skills", 4}),
                                cv_json({"cv-no-contact", 4, false}), cv_json({"cv-no-summary", 4, true, false}),
                                cv_json({"cv-two-skills", 2})});
    }

    void scan() {
        const auto r = run_spiegeld({"scan", "--config", m_config, "--as-of", k_preview_as_of, "--full"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }

    // A copy of the shipped rules with cv.yaml edited by `edit`.
    std::string candidate(const std::function<void(std::string&)>& edit) {
        const std::string dir = m_dir.file("candidate");
        fs::remove_all(dir);
        fs::copy(testing::source_dir() + "/rules", dir, fs::copy_options::recursive);
        std::string text = testing::read_text(dir + "/cv.yaml");
        edit(text);
        testing::write_file(dir + "/cv.yaml", text);
        return dir;
    }

    testing::RunResult preview(const std::string& rules_dir, const std::string& format = "json") {
        std::vector<std::string> args = {"rules", "preview", "--config", m_config, "--format", format};
        if (!rules_dir.empty()) {
            args.insert(args.end(), {"--rules", rules_dir});
        }
        return run_spiegeld(args, m_dir.path());
    }

    // rule id -> {newly_failing, newly_passing}
    static std::map<std::string, std::pair<int, int>> rule_changes(const nlohmann::json& j) {
        std::map<std::string, std::pair<int, int>> out;
        for (const auto& r : j.at("rules")) {
            out[r.at("id").get<std::string>()] = {r.at("newly_failing").get<int>(), r.at("newly_passing").get<int>()};
        }
        return out;
    }

    std::vector<std::string> state_dump() {
        SQLite::Database db(m_dir.file("data/state.db"), SQLite::OPEN_READONLY);
        std::vector<std::string> out;
        SQLite::Statement q(db, "SELECT kind || '|' || id || '|' || score || '|' || failed || '|' || scan_id FROM result "
                                "UNION ALL SELECT 'scan|' || count(*) FROM scan ORDER BY 1");
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString());
        }
        return out;
    }

    TempDir m_dir;
    std::string m_config;
};

void replace(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
}

TEST_F(RulesPreviewCli, unchanged_rules_move_no_record_at_the_stored_as_of) {
    scan();
    const auto r = preview("");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& [id, change] : rule_changes(j)) {
        EXPECT_EQ(change, std::make_pair(0, 0)) << id;
    }
    EXPECT_EQ(j.at("as_of"), "2026-10-01T12:00:00Z");
    EXPECT_EQ(j.at("records").at("cv").at("compared"), 5);
    EXPECT_EQ(j.at("records").at("cv").at("changed"), 0);
    EXPECT_EQ(j.at("source_changed_since_scan"), false);
    EXPECT_TRUE(j.at("top_changed_rules").empty());
}

TEST_F(RulesPreviewCli, raised_threshold_disabled_rule_and_new_rule_move_the_known_records) {
    scan();
    const auto before = state_dump();
    const std::string dir = candidate([](std::string& text) {
        replace(text, "count: {field: skills, min: 3}", "count: {field: skills, min: 4}");
        replace(text, "  - id: cv.contact.reachable\n", "  - id: cv.contact.reachable\n    enabled: false\n");
        text += "\n  - id: cv.summary.present\n    title: Presentatie aanwezig\n    dimension: completeness\n"
                "    weight: 1\n    severity: info\n    advice: Schrijf een persoonlijke presentatie.\n"
                "    check:\n      present: summary\n";
    });
    const auto r = preview(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    const auto changes = rule_changes(j);
    EXPECT_EQ(changes.at("cv.skills.min"), std::make_pair(1, 0));        // cv-three-skills
    EXPECT_EQ(changes.at("cv.contact.reachable"), std::make_pair(0, 1));  // cv-no-contact
    EXPECT_EQ(changes.at("cv.summary.present"), std::make_pair(1, 0));   // cv-no-summary
    for (const auto& [id, change] : changes) {
        if (id != "cv.skills.min" && id != "cv.contact.reachable" && id != "cv.summary.present") {
            EXPECT_EQ(change, std::make_pair(0, 0)) << id;  // cv.freshness too: evaluated at the stored as-of
        }
    }
    // The three above, and cv-two-skills: it fails cv.skills.min before and
    // after, but the new rule's weight changes its score.
    EXPECT_EQ(j.at("records").at("cv").at("changed"), 4);
    ASSERT_EQ(j.at("top_changed_rules").size(), 3u);
    // Five CVs in one region: under min_cell (10) the region is hidden, the total is not.
    bool saw_region = false;
    for (const auto& g : j.at("groups")) {
        if (g.at("kind") == "cv" && g.at("split") == "region") {
            saw_region = true;
            EXPECT_EQ(g.at("value"), "AM21");
            EXPECT_EQ(g.at("suppressed"), true);
            EXPECT_FALSE(g.contains("records"));
            EXPECT_FALSE(g.contains("avg_score_after"));
        }
        if (g.at("kind") == "cv" && g.at("split") == "all") {
            EXPECT_EQ(g.at("records"), 5);
            EXPECT_DOUBLE_EQ(g.at("failing_share_before").get<double>(), 0.6);  // two-skills, no-contact, no-summary
            EXPECT_DOUBLE_EQ(g.at("failing_share_after").get<double>(), 0.6);   // two-skills, three-skills, no-summary
        }
    }
    EXPECT_TRUE(saw_region);
    EXPECT_EQ(state_dump(), before) << "a preview stores nothing";

    const auto text = preview(dir, "text");
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("cv.skills.min"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("+1 / -0"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("under 10 records are not shown"), std::string::npos) << text.out;
}

TEST_F(RulesPreviewCli, a_region_of_at_least_min_cell_records_shows_its_change) {
    const std::string config = testing::read_text(m_config) + "privacy:\n  min_cell: 5\n";
    testing::write_file(m_config, config);
    scan();
    const std::string dir = candidate([](std::string& text) {
        replace(text, "count: {field: skills, min: 3}", "count: {field: skills, min: 4}");
    });
    const auto r = preview(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    bool saw = false;
    for (const auto& g : j.at("groups")) {
        if (g.at("kind") == "cv" && g.at("split") == "region" && g.at("value") == "AM21") {
            saw = true;
            EXPECT_EQ(g.at("records"), 5);
            EXPECT_DOUBLE_EQ(g.at("failing_share_change").get<double>(), 0.2);
        }
    }
    EXPECT_TRUE(saw) << r.out;
}

TEST_F(RulesPreviewCli, a_source_change_after_the_scan_is_reported) {
    scan();
    auto db = store::SourceDb::open(m_dir.file("data/source.db"), store::SourceDb::Mode::read_write);
    ASSERT_TRUE(db);
    testing::write_records(**db, Kind::cv, {cv_json({"cv-later", 4})});
    const auto r = preview("");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("source_changed_since_scan"), true);
    EXPECT_EQ(j.at("records").at("cv").at("not_stored"), 1);
    EXPECT_EQ(j.at("records").at("cv").at("compared"), 5);
}

TEST_F(RulesPreviewCli, broken_candidate_rules_are_a_usage_error_naming_the_file) {
    scan();
    const std::string dir = candidate([](std::string& text) { text += "  - id: cv.broken\n    check: {no_such_check: 1}\n"; });
    const auto r = preview(dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cv.yaml:"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST_F(RulesPreviewCli, a_rules_directory_whose_name_has_a_line_break_is_named_escaped) {
    scan();
    const std::string dir = m_dir.file("r\nx");
    fs::create_directories(dir);  // empty: no rules defined
    const auto r = preview(dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("r\\nx' do not load"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\nx"), std::string::npos) << "no raw line break from the name: " << r.err;
}

TEST_F(RulesPreviewCli, without_a_stored_scan_it_says_to_scan_first) {
    const auto r = preview("");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("run `spiegeld scan` first"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(m_dir.file("data/state.db"))) << "a preview creates no state database";
}

}  // namespace
}  // namespace spiegel::app
