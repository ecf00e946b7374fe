// `spiegeld scan` through the real binary over a small source database
// written with SourceDb::Writer, with the shipped default rules: report
// format, exit codes, incremental == full, deletions, unreadable values.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/store/source_db.h"
#include "daemon/store/state_db.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using model::Kind;
using testing::run_spiegeld;
using testing::TempDir;

constexpr const char* k_as_of = "2026-10-01T12:00:00Z";

std::string good_cv(const std::string& id, const std::string& occupation = "2512") {
    return R"({"id":")" + id + R"(","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-09-01T00:00:00Z",
      "birth_year":1985,"postcode":"1234 AB","region":"AM21","email":"a@example.nl","phone":"0612345678",
      "summary":"Ik ben een ervaren ontwikkelaar met veel plezier in mijn werk en ik zoek een nieuwe uitdaging in de regio waar ik woon en werk graag samen",
      "desired_occupations":[{"code":")" + occupation + R"(","title":"x"}],
      "education":[{"level":"hbo","name":"Informatica","diploma":true,"year_end":2008}],
      "experience":[{"occupation_code":"2512","title":"Ontwikkelaar","employer":"X","start":"2010-01",
                     "description":"Ontwikkelen en onderhouden van webapplicaties voor klanten"}],
      "skills":["C++","SQL","Linux"],"hours_per_week":36,"hours_per_day":8,"max_travel_minutes":45,
      "visible":true,"target_groups":["ww"]})";
}

class ScanCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = testing::write_test_config(m_dir, testing::source_dir() + "/rules");
        auto db = store::SourceDb::open(m_dir.file("data/source.db"), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        m_source = std::move(*db);
    }

    void upsert(Kind kind, const std::vector<std::string>& json) {
        testing::write_records(*m_source, kind, json);
    }

    void fixture() {
        upsert(Kind::employer, {R"({"id":"e-1","name":"Bakkerij Jansen","created_at":"2020-01-01T00:00:00Z",
            "postcode":"1234AB","region":"AM21","sector":"detailhandel","status":"actief",
            "last_contact_at":"2026-09-01T00:00:00Z"})",
                                R"({"id":"e-2","name":"Oud BV","status":"gestaakt","postcode":"1000AA"})"});
        upsert(Kind::vacancy, {R"({"id":"v-1","employer_id":"e-1","status":"open","occupation_code":"7512",
            "received_at":"2026-09-01T00:00:00Z","registered_at":"2026-09-01T02:00:00Z","region":"AM21",
            "hours_per_week_min":24,"hours_per_week_max":36,"salary_min":2500})",
                               R"({"id":"v-2","employer_id":"e-404","status":"open"})"});
        upsert(Kind::cv, {good_cv("cv-1"), good_cv("cv-2", "5223"), R"({"id":"cv-3","region":"AM01"})"});
    }

    testing::RunResult scan(std::vector<std::string> extra, const std::string& config = "") {
        std::vector<std::string> args = {"scan", "--config", config.empty() ? m_config : config, "--as-of",
                                         k_as_of};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_spiegeld(args, m_dir.path());
    }

    // kind/id -> parsed report line.
    static std::map<std::string, nlohmann::json> parse_report(const std::string& text) {
        std::map<std::string, nlohmann::json> out;
        std::istringstream in(text);
        std::string line;
        while (std::getline(in, line)) {
            auto j = nlohmann::json::parse(line);
            out[j.at("kind").get<std::string>() + "/" + j.at("id").get<std::string>()] = j;
        }
        return out;
    }

    // The comparable content of a state database: results without scan ids,
    // the latest scan's aggregates and the peer statistics.
    static std::vector<std::string> state_dump(const std::string& path) {
        SQLite::Database db(path);
        std::vector<std::string> out;
        auto dump = [&](const std::string& sql) {
            SQLite::Statement q(db, sql);
            while (q.executeStep()) {
                std::string row;
                for (int i = 0; i < q.getColumnCount(); ++i) {
                    row += q.getColumn(i).getString() + "|";
                }
                out.push_back(row);
            }
        };
        const std::string last = "(SELECT max(id) FROM scan WHERE status = 'ok')";
        // Every column but scan_id (which scan last evaluated a record differs by design).
        dump("SELECT kind, id, score, failed, completeness, validity, consistency, timeliness, uniqueness, "
             "privacy, unreadable, region, target_groups, occupation, visible, education, birth_bucket, "
             "hours_bucket, skills, licences, co_occupations, open, salary, hours_min, hours_max, "
             "not_applicable, source_row, digest, content_hash, valid_until FROM result ORDER BY kind, id");
        // Every figure of the groups (all columns but scan_id).
        std::string groups;
        {
            SQLite::Statement columns(db, "SELECT name FROM pragma_table_info('scan_group') WHERE name <> 'scan_id'");
            while (columns.executeStep()) {
                groups += (groups.empty() ? "" : ", ") + columns.getColumn(0).getString();
            }
        }
        dump("SELECT " + groups + " FROM scan_group WHERE scan_id = " + last + " ORDER BY kind, split, value");
        dump("SELECT kind, split, value, rule_id, failing, not_applicable FROM scan_rule WHERE scan_id = " + last +
             " ORDER BY 1, 2, 3, 4");
        dump("SELECT kind, occupation, region, attribute, value, count FROM peer_stat ORDER BY 1, 2, 3, 4, 5");
        return out;
    }

    // N of "N results kept unevaluated" on the scan's phases line; -1 when absent.
    static long kept(const std::string& err) {
        const std::string tail = " results kept unevaluated";
        const std::size_t end = err.find(tail);
        if (end == std::string::npos) {
            return -1;
        }
        std::size_t begin = end;
        while (begin > 0 && std::isdigit(static_cast<unsigned char>(err[begin - 1]))) {
            --begin;
        }
        return std::stol(err.substr(begin, end - begin));
    }

    // A full scan at `as_of` into this state, then the same scan into a
    // fresh state: both must store the same (scan ids aside). Returns the
    // results the first kept unevaluated.
    long rescan_equals_a_first_scan(const char* as_of) {
        const auto rescan = run_spiegeld({"scan", "--config", m_config, "--full", "--as-of", as_of}, m_dir.path());
        EXPECT_EQ(rescan.exit_code, 0) << rescan.err;
        std::filesystem::remove(m_dir.file("data/other-state.db"));
        const auto first =
            run_spiegeld({"scan", "--config", second_config(), "--full", "--as-of", as_of}, m_dir.path());
        EXPECT_EQ(first.exit_code, 0) << first.err;
        EXPECT_EQ(kept(first.err), 0) << first.err;
        const auto a = state_dump(m_dir.file("data/state.db"));
        EXPECT_GT(a.size(), 20u);
        EXPECT_EQ(a, state_dump(m_dir.file("data/other-state.db"))) << "as of " << as_of;
        return kept(rescan.err);
    }

    std::string second_config() {
        const std::string path = m_dir.file("other.yaml");
        testing::write_file(path, "source:\n  database: data/source.db\nstate:\n  database: data/other-state.db\n"
                                  "rules:\n  directory: " + m_rules + "\n");
        return path;
    }

    // Both configs read a copy of the shipped rules with `overrides` added.
    void use_rules_with(const std::string& overrides) {
        m_rules = m_dir.file("rules");
        std::filesystem::copy(testing::source_dir() + "/rules", m_rules, std::filesystem::copy_options::recursive);
        testing::write_file(m_rules + "/local.yaml", "overrides:\n" + overrides);
        m_config = testing::write_test_config(m_dir, m_rules);
    }

    TempDir m_dir;
    std::string m_rules = testing::source_dir() + "/rules";
    std::string m_config;
    std::unique_ptr<store::SourceDb> m_source;
};

TEST_F(ScanCliTest, full_scan_reports_every_record_as_ndjson) {
    fixture();
    const auto r = scan({"--full", "--report", "-"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = parse_report(r.out);
    ASSERT_EQ(report.size(), 7u) << r.out;
    const auto& perfect = report.at("cv/cv-1");
    EXPECT_TRUE(perfect.at("failed").is_array());
    EXPECT_EQ(perfect.at("score").get<double>(), 100.0) << perfect.dump();
    EXPECT_TRUE(perfect.at("failed").empty()) << perfect.dump();
    const auto failed = report.at("cv/cv-3").at("failed").get<std::vector<std::string>>();
    EXPECT_NE(std::find(failed.begin(), failed.end(), "cv.contact.reachable"), failed.end());
    EXPECT_LT(report.at("cv/cv-3").at("score").get<double>(), 50.0);
    const auto vfailed = report.at("vacancy/v-2").at("failed").get<std::vector<std::string>>();
    EXPECT_NE(std::find(vfailed.begin(), vfailed.end(), "vacancy.employer.known"), vfailed.end());
    EXPECT_NE(r.err.find("scan 1 (full)"), std::string::npos) << r.err;
}

TEST_F(ScanCliTest, report_to_a_file_matches_stdout_and_scores_have_one_decimal) {
    fixture();
    const auto r = scan({"--report", "report.ndjson"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = testing::read_text(m_dir.file("report.ndjson"));
    for (const auto& [key, line] : parse_report(text)) {
        const double score = line.at("score").get<double>();
        EXPECT_DOUBLE_EQ(score * 10, std::round(score * 10)) << key;
    }
    EXPECT_EQ(parse_report(text).size(), 7u);
}

TEST_F(ScanCliTest, a_report_path_that_cannot_be_written_is_named_escaped_on_one_line) {
    fixture();
    const auto r = scan({"--report", "/nonexistent-dir/a\nb\x1b[31m.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "spiegeld: '/nonexistent-dir/a\\nb\\x1b[31m.ndjson': cannot write the report\n");
}

TEST_F(ScanCliTest, first_scan_without_full_is_a_full_scan_then_incremental_scans_only_changes) {
    fixture();
    auto first = scan({"--report", "-"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(parse_report(first.out).size(), 7u);
    auto second = scan({"--report", "-"});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_TRUE(second.out.empty()) << second.out;
    upsert(Kind::cv, {good_cv("cv-9")});
    auto third = scan({"--report", "-"});
    ASSERT_EQ(third.exit_code, 0) << third.err;
    const auto report = parse_report(third.out);
    ASSERT_EQ(report.size(), 1u) << third.out;
    EXPECT_EQ(report.count("cv/cv-9"), 1u);
}

TEST_F(ScanCliTest, incremental_after_insert_update_delete_equals_a_full_scan) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    upsert(Kind::cv, {good_cv("cv-4", "2511"), R"({"id":"cv-2","region":"AM02"})"});
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-1'");
    m_source->database().exec("UPDATE cv SET postcode = 'bad' WHERE id = 'cv-4'");
    upsert(Kind::vacancy, {R"({"id":"v-3","employer_id":"e-2","status":"open","occupation_code":"7512"})"});
    const auto inc = scan({"--report", "-"});
    ASSERT_EQ(inc.exit_code, 0) << inc.err;
    const auto reported = parse_report(inc.out);
    EXPECT_EQ(reported.count("cv/cv-4"), 1u);
    EXPECT_EQ(reported.count("cv/cv-2"), 1u);
    EXPECT_EQ(reported.count("cv/cv-3"), 0u);  // unchanged
    EXPECT_EQ(reported.count("employer/e-2"), 1u);  // cross rules: rescanned fully
    const auto full = scan({"--full"}, second_config());
    ASSERT_EQ(full.exit_code, 0) << full.err;
    const auto a = state_dump(m_dir.file("data/state.db"));
    const auto b = state_dump(m_dir.file("data/other-state.db"));
    ASSERT_GT(a.size(), 20u);
    EXPECT_EQ(a, b);
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE id = 'cv-1'").getInt(), 0);
}

// The ids of the stored results of a kind, sorted.
std::vector<std::string> result_ids(const std::string& state, const std::string& kind) {
    SQLite::Database db(state, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT id FROM result WHERE kind = ? ORDER BY id");
    q.bind(1, kind);
    std::vector<std::string> ids;
    while (q.executeStep()) {
        ids.push_back(q.getColumn(0).getString());
    }
    return ids;
}

// An ETL job renames an id in place (UPDATE ... SET id): the rename
// trigger leaves a tombstone for the old id, so the incremental scan drops
// its result as it would a deleted record's, and counts it as deleted.
TEST_F(ScanCliTest, incremental_scan_drops_the_result_of_an_id_renamed_in_place) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    m_source->database().exec("UPDATE cv SET id = 'cv-9' WHERE id = 'cv-2'");
    const auto inc = scan({});
    ASSERT_EQ(inc.exit_code, 0) << inc.err;
    EXPECT_NE(inc.err.find(" cv 1 changed (0 unreadable, 1 deleted);"), std::string::npos) << inc.err;
    EXPECT_EQ(result_ids(m_dir.file("data/state.db"), "cv"), (std::vector<std::string>{"cv-1", "cv-3", "cv-9"}));
    // The same as a first scan into a fresh state, aggregates included.
    const auto fresh = scan({"--full"}, second_config());
    ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
    EXPECT_EQ(result_ids(m_dir.file("data/other-state.db"), "cv"), result_ids(m_dir.file("data/state.db"), "cv"));
    EXPECT_EQ(state_dump(m_dir.file("data/state.db")), state_dump(m_dir.file("data/other-state.db")));
}

// A rename the triggers did not see (a source file from before the rename
// trigger, simulated by dropping it) leaves two stored results at one source
// row: the old id's and the new id's. A full scan keeps only the one whose
// id is at that row now, whether it compares digests (with a report) or
// keeps unchanged results unevaluated, and counts the other as deleted.
TEST_F(ScanCliTest, full_scan_drops_the_result_of_an_id_renamed_without_a_tombstone) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    m_source->database().exec("DROP TRIGGER cv_rename");
    const auto rename_unseen = [&](const std::string& from, const std::string& to) {
        m_source->database().exec("UPDATE cv SET id = '" + to + "' WHERE id = '" + from + "'");
        const auto inc = scan({});
        ASSERT_EQ(inc.exit_code, 0) << inc.err;
        SQLite::Database state(m_dir.file("data/state.db"), SQLite::OPEN_READONLY);
        EXPECT_EQ(state.execAndGet("SELECT count(DISTINCT source_row) FROM result WHERE kind = 'cv' AND id IN ('" +
                                   from + "', '" + to + "')")
                      .getInt(),
                  1)
            << "both results at one source row";
    };
    const auto equals_a_first_scan = [&] {
        std::filesystem::remove(m_dir.file("data/other-state.db"));
        const auto fresh = scan({"--full"}, second_config());
        ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
        EXPECT_EQ(result_ids(m_dir.file("data/state.db"), "cv"), result_ids(m_dir.file("data/other-state.db"), "cv"));
        EXPECT_EQ(state_dump(m_dir.file("data/state.db")), state_dump(m_dir.file("data/other-state.db")));
    };

    // The new id first in id order: the digest found at the row is its own.
    rename_unseen("cv-2", "cv-0");
    ASSERT_EQ(result_ids(m_dir.file("data/state.db"), "cv"),
              (std::vector<std::string>{"cv-0", "cv-1", "cv-2", "cv-3"}));
    // Every record evaluated and compared with the stored digests.
    const auto reported = scan({"--full", "--report", "-"});
    ASSERT_EQ(reported.exit_code, 0) << reported.err;
    EXPECT_EQ(kept(reported.err), 0) << reported.err;
    EXPECT_NE(reported.err.find(" cv 3 (0 unreadable, 1 deleted);"), std::string::npos) << reported.err;
    EXPECT_EQ(result_ids(m_dir.file("data/state.db"), "cv"), (std::vector<std::string>{"cv-0", "cv-1", "cv-3"}));
    equals_a_first_scan();

    rename_unseen("cv-3", "cv-8");
    // Unchanged records' results kept unevaluated.
    const auto kept_scan = scan({"--full"});
    ASSERT_EQ(kept_scan.exit_code, 0) << kept_scan.err;
    EXPECT_GT(kept(kept_scan.err), 0) << kept_scan.err;
    EXPECT_NE(kept_scan.err.find(" cv 3 (0 unreadable, 1 deleted);"), std::string::npos) << kept_scan.err;
    EXPECT_EQ(result_ids(m_dir.file("data/state.db"), "cv"), (std::vector<std::string>{"cv-0", "cv-1", "cv-8"}));
    equals_a_first_scan();

    // A result stored without a content hash (its record was unreadable)
    // still counts at its row: found by review, it survived a full scan
    // that kept results unevaluated.
    m_source->database().exec("UPDATE cv SET skills = '[broken' WHERE id = 'cv-0'");
    ASSERT_EQ(scan({}).exit_code, 0);
    m_source->database().exec("UPDATE cv SET id = 'cv-5', skills = '[\"a\", \"b\", \"c\"]' WHERE id = 'cv-0'");
    ASSERT_EQ(scan({}).exit_code, 0);
    ASSERT_EQ(result_ids(m_dir.file("data/state.db"), "cv"),
              (std::vector<std::string>{"cv-0", "cv-1", "cv-5", "cv-8"}));
    const auto unreadable_kept = scan({"--full"});
    ASSERT_EQ(unreadable_kept.exit_code, 0) << unreadable_kept.err;
    EXPECT_GT(kept(unreadable_kept.err), 0) << unreadable_kept.err;
    EXPECT_NE(unreadable_kept.err.find(" cv 3 (0 unreadable, 1 deleted);"), std::string::npos) << unreadable_kept.err;
    EXPECT_EQ(result_ids(m_dir.file("data/state.db"), "cv"), (std::vector<std::string>{"cv-1", "cv-5", "cv-8"}));
    equals_a_first_scan();

    // And an ordinary deletion a full scan finds is counted as well.
    m_source->database().exec("DROP TRIGGER cv_delete_seq");
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-1'");
    const auto deleted = scan({"--full"});
    ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
    EXPECT_NE(deleted.err.find(" cv 2 (0 unreadable, 1 deleted);"), std::string::npos) << deleted.err;
    equals_a_first_scan();
}

// A full rescan patches the stored peer cells instead of rewriting them:
// after inserts, updates and deletes it stores exactly what a full scan
// into an empty state stores, and cells it did not change keep the scan
// that last changed them.
TEST_F(ScanCliTest, full_rescan_patches_peer_cells_to_what_a_first_scan_writes) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    upsert(Kind::cv, {good_cv("cv-4", "2511"), R"({"id":"cv-2","region":"AM02"})"});
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-1'");
    upsert(Kind::vacancy, {R"({"id":"v-3","employer_id":"e-2","status":"open","occupation_code":"7512"})"});
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    ASSERT_EQ(scan({"--full"}, second_config()).exit_code, 0);
    const auto a = state_dump(m_dir.file("data/state.db"));
    ASSERT_GT(a.size(), 20u);
    EXPECT_EQ(a, state_dump(m_dir.file("data/other-state.db")));
    SQLite::Database state(m_dir.file("data/state.db"));
    auto one = [&](const std::string& sql) { return state.execAndGet(sql).getInt64(); };
    const std::int64_t untouched = one("SELECT count(*) FROM peer_stat WHERE scan_id = 1");
    EXPECT_GT(untouched, 0) << "cells the second scan did not change keep scan 1";
    EXPECT_GT(one("SELECT count(*) FROM peer_stat WHERE scan_id = 2"), 0);
    const auto later = run_spiegeld({"scan", "--config", m_config, "--full", "--as-of", "2026-10-09T08:00:00Z"},
                                    m_dir.path());
    ASSERT_EQ(later.exit_code, 0) << later.err;
    EXPECT_EQ(one("SELECT count(*) FROM peer_stat WHERE scan_id = 3"), 0) << "a rescan of unchanged data";
    EXPECT_EQ(one("SELECT count(*) FROM result WHERE scan_id = 3"), 0) << "a rescan of unchanged data";
    EXPECT_GT(one("SELECT count(*) FROM result WHERE scan_id = 1"), 0);
    EXPECT_EQ(state_dump(m_dir.file("data/state.db")), a);
    // The card tells when the record was last evaluated: by the rescan.
    const auto card = run_spiegeld({"card", "cv", "cv-3", "--config", m_config, "--format", "json"}, m_dir.path());
    ASSERT_EQ(card.exit_code, 0) << card.err;
    EXPECT_EQ(nlohmann::json::parse(card.out).at("as_of"), "2026-10-09T08:00:00Z");
}

// A full rescan at a later time, when time-dependent rules change many
// results, patches the previous aggregates with the changed results (same
// rules and source): it stores exactly what a first scan at that time
// stores, groups, rule counts and peer cells included.
TEST_F(ScanCliTest, full_rescan_at_a_later_time_patches_aggregates_to_what_a_first_scan_stores) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    upsert(Kind::cv, {good_cv("cv-5", "2511")});
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-2'");
    const std::string later = "2028-03-01T00:00:00Z";  // freshness and expiry rules now fail
    const auto rescan = run_spiegeld({"scan", "--config", m_config, "--full", "--as-of", later}, m_dir.path());
    ASSERT_EQ(rescan.exit_code, 0) << rescan.err;
    const auto first = run_spiegeld({"scan", "--config", second_config(), "--full", "--as-of", later}, m_dir.path());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto a = state_dump(m_dir.file("data/state.db"));
    ASSERT_GT(a.size(), 20u);
    EXPECT_EQ(a, state_dump(m_dir.file("data/other-state.db")));
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_GT(state.execAndGet("SELECT count(*) FROM result WHERE scan_id = 2").getInt(), 0)
        << "the later rescan changed results";
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE digest IS NULL").getInt(), 0);
}

// An incremental scan of records touched without a change to their results
// writes nothing: no result row takes its scan id, and the state stays
// what the previous scan stored.
TEST_F(ScanCliTest, incremental_scan_of_touched_records_with_unchanged_results_writes_no_result) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    const auto before = state_dump(m_dir.file("data/state.db"));
    m_source->database().exec("UPDATE cv SET updated_at = updated_at");  // through the change triggers
    const auto inc = scan({"--report", "-"});
    ASSERT_EQ(inc.exit_code, 0) << inc.err;
    EXPECT_EQ(parse_report(inc.out).size(), 3u) << "every touched CV was evaluated";
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE scan_id = 2").getInt(), 0);
    EXPECT_EQ(state.execAndGet("SELECT type FROM scan WHERE id = 2").getString(), "incremental");
    EXPECT_EQ(state_dump(m_dir.file("data/state.db")), before);
}

// An incremental scan keeps, unevaluated, the stored result of a changed
// record whose stored values are the ones its result was computed from (a
// row touched, or rewritten as it was by a re-import). It evaluates a
// record whose values changed, and one deleted and inserted anew (its
// result must follow the new source row), and stores what a first scan
// stores.
TEST_F(ScanCliTest, incremental_scan_keeps_the_results_of_changed_records_whose_stored_values_are_as_evaluated) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    m_source->database().exec("UPDATE cv SET updated_at = updated_at");  // all three, through the triggers
    m_source->database().exec("UPDATE cv SET postcode = 'bad' WHERE id = 'cv-1'");
    m_source->database().exec("DELETE FROM cv WHERE id = 'cv-2'");
    upsert(Kind::cv, {good_cv("cv-2", "5223")});
    const auto inc = scan({});
    ASSERT_EQ(inc.exit_code, 0) << inc.err;
    EXPECT_NE(inc.err.find("cv 3 changed"), std::string::npos) << inc.err;
    EXPECT_EQ(kept(inc.err), 1) << "cv-3 only: " << inc.err;
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT group_concat(id) FROM result WHERE scan_id = 2").getString(), "cv-1,cv-2");
    const auto a = state_dump(m_dir.file("data/state.db"));
    const auto first = run_spiegeld({"scan", "--config", second_config(), "--full", "--as-of", k_as_of}, m_dir.path());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(a, state_dump(m_dir.file("data/other-state.db")));
}

// A touched record's stored result is kept only while it holds: once a
// time bound its evaluation used has passed, the incremental scan that
// meets the record evaluates it again; and never with a report, which
// prints every changed record's result.
TEST_F(ScanCliTest, incremental_scan_evaluates_a_touched_record_whose_time_bound_has_passed_and_keeps_none_for_a_report) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    m_source->database().exec("UPDATE cv SET updated_at = updated_at");
    // cv-1 and cv-2 were updated 2026-09-01: cv.freshness fails from 2027-02-28T00:00:01Z on.
    const auto later =
        run_spiegeld({"scan", "--config", m_config, "--as-of", "2027-03-01T00:00:00Z"}, m_dir.path());
    ASSERT_EQ(later.exit_code, 0) << later.err;
    EXPECT_EQ(kept(later.err), 1) << "cv-3 only: " << later.err;
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_NE(state.execAndGet("SELECT failed FROM result WHERE id = 'cv-1'").getString().find("cv.freshness"),
              std::string::npos);
    m_source->database().exec("UPDATE cv SET updated_at = updated_at");
    const auto report = run_spiegeld(
        {"scan", "--config", m_config, "--as-of", "2027-03-01T00:00:00Z", "--report", "-"}, m_dir.path());
    ASSERT_EQ(report.exit_code, 0) << report.err;
    EXPECT_EQ(kept(report.err), 0) << report.err;
    EXPECT_EQ(parse_report(report.out).size(), 3u);
}

// The stored watermark belongs to one source: pointed at another one, the
// next scan is full even without --full (its change markers mean nothing
// against the watermark), and the one after is incremental again.
TEST_F(ScanCliTest, another_source_forces_a_full_scan) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    {
        SQLite::Database from(m_dir.file("data/source.db"), SQLite::OPEN_READONLY);
        from.backup(m_dir.file("data/copy.db").c_str(), SQLite::Database::Save);
    }
    const std::string other = m_dir.file("copy.yaml");
    testing::write_file(other, "source:\n  database: data/copy.db\nstate:\n  database: data/state.db\n"
                               "rules:\n  directory: " + testing::source_dir() + "/rules\n");
    const auto same = scan({});
    ASSERT_EQ(same.exit_code, 0) << same.err;
    EXPECT_NE(same.err.find("(incremental)"), std::string::npos) << same.err;
    const auto moved = scan({}, other);
    ASSERT_EQ(moved.exit_code, 0) << moved.err;
    EXPECT_NE(moved.err.find("(full)"), std::string::npos) << moved.err;
    const auto again = scan({}, other);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("(incremental)"), std::string::npos) << again.err;
}

TEST_F(ScanCliTest, scanning_twice_gives_identical_results) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    const auto a = state_dump(m_dir.file("data/state.db"));
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    const auto b = state_dump(m_dir.file("data/state.db"));
    EXPECT_EQ(a, b);
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM scan WHERE status = 'ok'").getInt(), 2);
    EXPECT_EQ(state.execAndGet("SELECT count(DISTINCT scan_id) FROM result").getInt(), 1);
}

TEST_F(ScanCliTest, unreadable_value_is_counted_and_does_not_stop_the_scan) {
    fixture();
    m_source->database().exec("UPDATE cv SET skills = '[\"SQL\", broken' WHERE id = 'cv-1'");
    const auto r = scan({"--full", "--report", "-"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = parse_report(r.out);
    EXPECT_EQ(report.size(), 7u);
    const auto failed = report.at("cv/cv-1").at("failed").get<std::vector<std::string>>();
    EXPECT_NE(std::find(failed.begin(), failed.end(), "cv.skills.min"), failed.end());
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT cv_unreadable FROM scan").getInt(), 1);
    EXPECT_NE(r.err.find("1 cv records have values that could not be read"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("broken"), std::string::npos);
}

TEST_F(ScanCliTest, aggregates_of_a_small_fixture_match_hand_counts) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    SQLite::Database state(m_dir.file("data/state.db"));
    auto one = [&](const std::string& sql) { return state.execAndGet(sql).getInt64(); };
    const std::string group = "SELECT records FROM scan_group WHERE kind = 'cv' AND split = ";
    EXPECT_EQ(one(group + "'all' AND value = ''"), 3);
    EXPECT_EQ(one(group + "'region' AND value = 'AM21'"), 2);
    EXPECT_EQ(one(group + "'region' AND value = 'AM01'"), 1);
    EXPECT_EQ(one(group + "'target_group' AND value = 'ww'"), 2);
    EXPECT_EQ(one(group + "'target_group' AND value = ''"), 1);
    EXPECT_EQ(one(group + "'isco_major' AND value = '2'"), 1);
    EXPECT_EQ(one(group + "'isco_major' AND value = '5'"), 1);
    EXPECT_EQ(one("SELECT le_100 FROM scan_group WHERE kind = 'vacancy' AND split = 'all'"), 2);
    // cv-3 has neither e-mail nor phone; cv-1 and cv-2 have both.
    EXPECT_EQ(one("SELECT failing FROM scan_rule WHERE kind = 'cv' AND split = 'all' AND rule_id = "
                  "'cv.contact.reachable'"),
              1);
    EXPECT_EQ(one("SELECT failing FROM scan_rule WHERE kind = 'vacancy' AND split = 'all' AND rule_id = "
                  "'vacancy.employer.known'"),
              1);
    const std::string peer = "SELECT count FROM peer_stat WHERE kind = 'cv' AND occupation = '2512' AND ";
    EXPECT_EQ(one(peer + "region = '' AND attribute = 'visible'"), 1);
    EXPECT_EQ(one(peer + "region = 'AM21' AND attribute = 'skill' AND value = 'c++'"), 1);
    EXPECT_EQ(one(peer + "region = '' AND attribute = 'hours_per_day' AND value = '8'"), 1);
    EXPECT_EQ(one(peer + "region = '' AND attribute = 'birth' AND value = '1981-1990'"), 1);
    EXPECT_EQ(one("SELECT count FROM peer_stat WHERE kind = 'vacancy' AND occupation = '7512' AND region = "
                  "'AM21' AND attribute = 'hours_max' AND value = '36'"),
              1);
    EXPECT_EQ(one("SELECT count(*) FROM peer_stat WHERE kind = 'vacancy' AND attribute = 'salary'"), 2);
}

TEST_F(ScanCliTest, invalid_as_of_is_a_usage_error) {
    const auto r = run_spiegeld({"scan", "--config", m_config, "--as-of", "yesterday"}, m_dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--as-of"), std::string::npos) << r.err;
}

TEST_F(ScanCliTest, broken_rules_exit_2_with_file_line_column_diagnostics) {
    const std::string rules = m_dir.file("badrules");
    testing::write_file(rules + "/cv.yaml", "kind: cv\nrules:\n  - id: cv.x\n    check: {nonsense: 1}\n");
    const std::string config = testing::write_test_config(m_dir, rules);
    const auto r = run_spiegeld({"scan", "--config", config}, m_dir.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("cv.yaml:"), std::string::npos) << r.err;
}

// An empty or cut-off rule file that leaves a kind without enabled rules
// would have every record of it score 100: the scan is refused, and the
// stored results stay, until --allow-no-rules says it is meant.
TEST_F(ScanCliTest, a_kind_that_lost_all_its_rules_since_the_last_scan_is_refused_unless_allowed) {
    fixture();
    const std::string rules = m_dir.file("own-rules");
    std::filesystem::copy(testing::source_dir() + "/rules", rules, std::filesystem::copy_options::recursive);
    const std::string config = testing::write_test_config(m_dir, rules);
    ASSERT_EQ(scan({}, config).exit_code, 0);
    const auto before = state_dump(m_dir.file("data/state.db"));
    testing::write_file(rules + "/cv.yaml", "");  // cut off to nothing: loads as a file without rules
    const auto check = run_spiegeld({"check", "--config", config}, m_dir.path());
    ASSERT_EQ(check.exit_code, 0) << check.err;  // a valid rule set in itself
    const auto refused = scan({"--full"}, config);
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find(rules + ":1:1: no enabled cv rule left (the last scan had 20)"), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("--allow-no-rules"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find("vacancy rule"), std::string::npos) << refused.err;
    EXPECT_EQ(state_dump(m_dir.file("data/state.db")), before);
    {
        SQLite::Database db(m_dir.file("data/state.db"));
        EXPECT_EQ(db.execAndGet("SELECT status FROM scan ORDER BY id DESC LIMIT 1").getString(), "failed");
    }
    const auto allowed = scan({"--allow-no-rules"}, config);
    ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
    const auto report = parse_report(scan({"--full", "--report", "-"}, config).out);
    EXPECT_EQ(report.at("cv/cv-3").at("score").get<double>(), 100.0);  // now meant: later scans go on without cv rules
    {
        // A value this version did not write is no reason to refuse (or fail) a scan.
        SQLite::Database db(m_dir.file("data/state.db"), SQLite::OPEN_READWRITE);
        db.exec("UPDATE state_meta SET value = 'cv:many' WHERE key = 'enabled_rules'");
    }
    EXPECT_EQ(scan({}, config).exit_code, 0);
}

TEST_F(ScanCliTest, missing_config_is_a_usage_error) {
    const auto r = run_spiegeld({"scan", "--config", m_dir.file("nope.yaml")}, m_dir.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace spiegel::app

namespace spiegel::app {
namespace {

// A full rescan keeps the stored result of a record whose stored values
// did not change, without evaluating it, while no bound relative to the
// as-of that its evaluation used has been passed (docs/scan.md). Whatever
// it kept, it stores exactly what evaluating every record stores.
TEST_F(ScanCliTest, full_rescan_keeps_results_of_unchanged_records_and_stores_what_evaluating_them_stores) {
    fixture();
    const auto first = scan({"--full"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(kept(first.err), 0) << first.err;
    const auto before = state_dump(m_dir.file("data/state.db"));
    // The same as-of: every result holds, the cross-record ones too.
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 7);
    EXPECT_EQ(state_dump(m_dir.file("data/state.db")), before);
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE scan_id = 2").getInt(), 0);
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE content_hash IS NULL").getInt(), 0);
    // A week later nothing has expired yet.
    EXPECT_EQ(rescan_equals_a_first_scan("2026-10-08T12:00:00Z"), 7);
}

TEST_F(ScanCliTest, a_kept_result_is_evaluated_again_once_a_time_bound_it_used_is_passed) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    // cv-1 and cv-2 were updated 2026-09-01: cv.freshness (updated_at within
    // 180 days) fails from 2027-02-28T00:00:01Z on. e-1's last contact
    // (2026-09-01, within 365 days) still counts.
    EXPECT_EQ(rescan_equals_a_first_scan("2027-03-01T00:00:00Z"), 5) << "cv-1 and cv-2 were evaluated again";
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_NE(state.execAndGet("SELECT failed FROM result WHERE id = 'cv-1'").getString().find("cv.freshness"),
              std::string::npos);
    // Much later, again the same as a first scan.
    rescan_equals_a_first_scan("2029-06-01T00:00:00Z");
}

// A vacancy counts as open (for the cards' open vacancies and the tension)
// through its closing date. With vacancy.expired_open disabled no rule
// reads that date against the as-of, so the attribute itself must bound
// how long its result is kept.
TEST_F(ScanCliTest, a_kept_vacancy_is_no_longer_open_once_its_closing_date_has_passed) {
    use_rules_with("  - {id: vacancy.expired_open, enabled: false}\n");
    fixture();
    upsert(Kind::vacancy, {R"({"id":"v-3","employer_id":"e-1","status":"open","occupation_code":"7512",
        "region":"AM21","closing_date":"2026-10-20"})"});
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    const auto open_in_am21 = [&] {
        SQLite::Database state(m_dir.file("data/state.db"), SQLite::OPEN_READONLY);
        return state
            .execAndGet("SELECT coalesce(sum(count), 0) FROM peer_stat WHERE kind = 'vacancy' AND occupation = '7512' "
                        "AND region = 'AM21' AND attribute = 'open' AND value = ''")
            .getInt();
    };
    EXPECT_EQ(open_in_am21(), 2);
    EXPECT_EQ(rescan_equals_a_first_scan("2026-10-20T23:59:59Z"), 8) << "still open on its closing date";
    EXPECT_EQ(open_in_am21(), 2);
    EXPECT_EQ(rescan_equals_a_first_scan("2026-10-21T00:00:00Z"), 7) << "v-3 evaluated again";
    EXPECT_EQ(open_in_am21(), 1);
}

TEST_F(ScanCliTest, a_record_whose_stored_values_changed_is_evaluated_again_by_a_full_rescan) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    m_source->database().exec("UPDATE cv SET postcode = 'bad' WHERE id = 'cv-1'");
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 6);
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_NE(state.execAndGet("SELECT failed FROM result WHERE id = 'cv-1'").getString().find("cv.postcode.valid"),
              std::string::npos);
    // A change the change triggers do not see (a column no rule reads
    // aside) is still a change: the stored values are compared, not markers.
    m_source->database().exec("DROP TRIGGER cv_update_seq");
    m_source->database().exec("UPDATE cv SET email = '' , phone = '' WHERE id = 'cv-2'");
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 6);
    SQLite::Database again(m_dir.file("data/state.db"));
    EXPECT_NE(again.execAndGet("SELECT failed FROM result WHERE id = 'cv-2'").getString().find("cv.contact.reachable"),
              std::string::npos);
}

TEST_F(ScanCliTest, a_changed_cross_record_index_has_every_record_of_the_kinds_it_serves_evaluated) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    // v-2 refers to e-404; an employer with that id makes it known.
    upsert(Kind::employer, {R"({"id":"e-404","name":"Nieuw BV","status":"actief","postcode":"1000AA"})"});
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 3) << "the CVs only";
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT failed FROM result WHERE id = 'v-2'").getString().find("vacancy.employer.known"),
              std::string::npos);
    // Unchanged again: kept again.
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 8);
}

TEST_F(ScanCliTest, no_result_is_kept_at_an_earlier_as_of_with_a_report_or_after_a_rules_change) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    EXPECT_EQ(rescan_equals_a_first_scan("2026-06-01T00:00:00Z"), 0) << "earlier than the latest as-of";
    // A report prints every result, so every record is evaluated.
    const auto reported = scan({"--full", "--report", "-"});
    ASSERT_EQ(reported.exit_code, 0) << reported.err;
    EXPECT_EQ(kept(reported.err), 0) << reported.err;
    EXPECT_EQ(parse_report(reported.out).size(), 7u);
    // Other rules (a copy with one weight changed): nothing stored is kept.
    const std::string rules = m_dir.file("rules");
    std::filesystem::copy(testing::source_dir() + "/rules", rules, std::filesystem::copy_options::recursive);
    const std::string cv = testing::read_text(rules + "/cv.yaml");
    const std::size_t weight = cv.find("weight: ");
    ASSERT_NE(weight, std::string::npos);
    testing::write_file(rules + "/cv.yaml", cv.substr(0, weight + 8) + "1" + cv.substr(weight + 8));
    const std::string config = m_dir.file("changed.yaml");
    testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                "rules:\n  directory: " + rules + "\n");
    const auto changed = scan({"--full"}, config);
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_EQ(kept(changed.err), 0) << changed.err;
    const auto again = scan({"--full"}, config);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(kept(again.err), 7) << again.err;
}

// A state file of version 5 (no content hashes, no cross fingerprint, the
// fingerprint without the judgement version) is upgraded: its results
// count as changed once, are rewritten with their hashes, and the rescan
// after that keeps them.
TEST_F(ScanCliTest, after_the_upgrade_from_version_5_one_full_scan_rewrites_results_then_they_are_kept) {
    fixture();
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    {
        SQLite::Database v5(m_dir.file("data/state.db"), SQLite::OPEN_READWRITE);
        v5.exec(std::string(testing::k_peer_stat_as_table_sql) +
                "ALTER TABLE result DROP COLUMN content_hash; ALTER TABLE result DROP COLUMN valid_until; "
                "ALTER TABLE scan DROP COLUMN cross_fingerprint; DELETE FROM state_meta WHERE key = 'max_as_of'; "
                // Version 5 digests did not cover the two columns: other values.
                "UPDATE result SET digest = digest + 1; "
                "UPDATE scan SET rules_fingerprint = substr(rules_fingerprint, 1, instr(rules_fingerprint, '+j') - 1); "
                // Before version 7 a record's current score was a history row.
                "INSERT INTO score_history (kind, id, scan_id, as_of, score) "
                "SELECT kind, id, scan_id, score_as_of, score FROM result; "
                "ALTER TABLE result DROP COLUMN score_as_of; "
                "UPDATE state_meta SET value = '5' WHERE key = 'schema_version'");
    }
    const auto upgraded = scan({"--full"});
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
    EXPECT_EQ(kept(upgraded.err), 0) << upgraded.err;
    SQLite::Database state(m_dir.file("data/state.db"));
    EXPECT_EQ(state.execAndGet("SELECT value FROM state_meta WHERE key = 'schema_version'").getString(),
              std::to_string(store::k_state_schema_version));
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE content_hash IS NULL").getInt(), 0);
    EXPECT_EQ(state.execAndGet("SELECT count(*) FROM result WHERE scan_id = 2").getInt(), 7) << "each rewritten once";
    EXPECT_EQ(rescan_equals_a_first_scan(k_as_of), 7);
}

// Whatever happened before (changes of every sort, incremental and full
// scans, the as-of moving forwards and back), a full scan stores exactly
// what a first scan into a fresh state stores at the same as-of: kept
// results included. Random steps from a fixed seed.
TEST_F(ScanCliTest, after_any_history_a_full_scan_stores_what_a_first_scan_stores) {
    fixture();
    std::mt19937 rng(20261206);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto date = [&](int days_from_2026) {
        return util::format_timestamp(*util::parse_timestamp("2026-01-01T00:00:00Z") +
                                      static_cast<std::int64_t>(days_from_2026) * 86400);
    };
    std::vector<std::string> cvs;
    for (int n = 0; n < 12; ++n) {
        std::string cv = good_cv("r-" + std::to_string(n), n % 2 ? "2512" : "5223");
        const std::string from = "\"updated_at\":\"2026-09-01T00:00:00Z\"";
        cv.replace(cv.find(from), from.size(), "\"updated_at\":\"" + date(pick(0, 600)) + "\"");
        cvs.push_back(cv);
    }
    upsert(Kind::cv, cvs);
    upsert(Kind::vacancy, {R"({"id":"v-9","employer_id":"e-1","status":"open","occupation_code":"2512","closing_date":"2026-12-01"})"});
    ASSERT_EQ(scan({"--full"}).exit_code, 0);
    int fulls = 0;
    long kept_total = 0;
    for (int step = 0; step < 24; ++step) {
        const std::string id = "r-" + std::to_string(pick(0, 11));
        switch (pick(0, 7)) {
            case 0:
                m_source->database().exec("UPDATE cv SET updated_at = '" + date(pick(0, 700)) + "' WHERE id = '" + id + "'");
                break;
            case 1:
                m_source->database().exec("UPDATE cv SET postcode = '" + std::string(pick(0, 1) ? "bad" : "1234 AB") +
                                          "' WHERE id = '" + id + "'");
                break;
            case 2:
                m_source->database().exec("DELETE FROM cv WHERE id = '" + id + "'");
                break;
            case 3:
                upsert(Kind::cv, {good_cv(id, pick(0, 1) ? "2511" : "5223")});
                break;
            case 4:
                if (pick(0, 1)) {
                    upsert(Kind::employer, {R"({"id":"e-404","name":"Nieuw BV","status":"actief"})"});
                } else {
                    m_source->database().exec("DELETE FROM employer WHERE id = 'e-404'");
                }
                break;
            case 5:
                m_source->database().exec("UPDATE cv SET skills = '[\"SQL\", broken' WHERE id = '" + id + "'");
                break;
            case 6:
                m_source->database().exec("UPDATE vacancy SET closing_date = '" + date(pick(300, 800)).substr(0, 10) +
                                          "' WHERE id = 'v-9'");
                break;
            default:
                break;  // no change
        }
        // Mostly forwards in time, now and then back.
        const std::string as_of = date(pick(0, 9) == 0 ? pick(200, 400) : 270 + step * pick(5, 40));
        if (pick(0, 3) == 0) {
            const auto inc = run_spiegeld({"scan", "--config", m_config, "--as-of", as_of}, m_dir.path());
            ASSERT_EQ(inc.exit_code, 0) << inc.err;
            continue;
        }
        const long kept_now = rescan_equals_a_first_scan(as_of.c_str());
        ASSERT_FALSE(HasFailure()) << "step " << step << " as of " << as_of;
        ++fulls;
        kept_total += kept_now;
    }
    EXPECT_GT(fulls, 10);
    EXPECT_GT(kept_total, 50) << "the full scans kept results, so the comparison tested keeping them";
}

}  // namespace
}  // namespace spiegel::app
