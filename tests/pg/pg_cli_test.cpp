// The PostgreSQL source through the real binary: the shipped schema, the
// config keys and `check --connect`, demo + scan with byte-identical
// reports from SQLite and PostgreSQL, incremental scans around writers
// committing out of order, import rejections, and an unreachable server.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <regex>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/store/pg_conn.h"
#include "tests/pg/pg_server.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using testing::run_spiegeld;

constexpr const char* k_as_of = "2026-10-01T12:00:00Z";

class PgCliTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(m_server.running()); }

    // A config for the PostgreSQL source; `source_extra` adds lines to source.
    std::string pg_config(const std::string& source_extra = "", const std::string& conninfo = "") {
        const std::string path = m_dir.file("pg.yaml");
        testing::write_file(
            path, "source:\n  kind: postgresql\n  conninfo: \"" +
                      (conninfo.empty() ? m_server.conninfo() : conninfo) + "\"\n" + source_extra +
                      "state:\n  database: data/pg-state.db\nrules:\n  directory: " +
                      testing::source_dir() + "/rules\n");
        return path;
    }
    std::string sqlite_config() {
        const std::string path = m_dir.file("sqlite.yaml");
        testing::write_file(
            path,
            "source:\n  database: data/source.db\nstate:\n  database: data/sqlite-state.db\n"
            "rules:\n  directory: " +
                testing::source_dir() + "/rules\n");
        return path;
    }

    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }

    testing::TempDir m_dir;
    testing::PgServer m_server;
};

TEST_F(PgCliTest, the_schema_prints_sql_that_psql_applies_twice_and_check_connect_accepts) {
    const auto printed = run_spiegeld({"schema", "postgresql"});
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    for (const char* part :
         {"CREATE TABLE IF NOT EXISTS cv (", "desired_occupations jsonb", "created_at timestamptz",
          "change_xid xid8", "source_tombstone", "GRANT SELECT ON"}) {
        EXPECT_NE(printed.out.find(part), std::string::npos) << part;
    }
    m_server.create_schema();
    m_server.create_schema();  // idempotent
    const auto check = run_spiegeld({"check", "--connect", "--config", pg_config()});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("ok: connected to postgresql source host=" + m_server.socket_dir()),
              std::string::npos)
        << check.out;
}

TEST_F(PgCliTest, check_connect_names_a_missing_table) {
    m_server.create_schema();
    m_server.psql("DROP TABLE vacancy");
    const auto check = run_spiegeld({"check", "--connect", "--config", pg_config()});
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.err.find("table public.vacancy does not exist"), std::string::npos)
        << check.err;
    // At the key that names the source, as every problem check reports.
    EXPECT_TRUE(std::regex_search(check.err, std::regex(R"(^[^\n]+pg\.yaml:3:[0-9]+: key 'source\.conninfo': )")))
        << check.err;
    // A schema named in the file is where what it lacks is reported.
    const auto named = run_spiegeld({"check", "--connect", "--config", pg_config("  schema: public\n")});
    EXPECT_EQ(named.exit_code, 2);
    EXPECT_TRUE(std::regex_search(named.err, std::regex(R"(^[^\n]+pg\.yaml:4:[0-9]+: key 'source\.schema': [^\n]*table public\.vacancy does not exist)")))
        << named.err;
}

TEST_F(PgCliTest, a_conninfo_with_a_password_is_refused_without_quoting_it) {
    const auto check = run_spiegeld(
        {"check", "--config", pg_config("", "host=/tmp dbname=werk password=hunter2-secret")});
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.err.find("pg.yaml:3:"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("key 'source.conninfo': must not hold a password"), std::string::npos)
        << check.err;
    EXPECT_EQ(check.err.find("hunter2"), std::string::npos) << check.err;
}

TEST_F(PgCliTest, a_password_file_readable_by_others_and_sqlite_keys_are_config_errors) {
    testing::write_file(m_dir.file("pg.pass"), "hunter2\n");
    ::chmod(m_dir.file("pg.pass").c_str(), 0640);
    const auto check = run_spiegeld(
        {"check", "--config", pg_config("  password_file: pg.pass\n  database: data/source.db\n")});
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_NE(check.err.find("key 'source.password_file': "), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("readable by group or others"), std::string::npos) << check.err;
    EXPECT_NE(check.err.find("key 'source.database': only for source.kind sqlite"),
              std::string::npos)
        << check.err;
    EXPECT_EQ(check.err.find("hunter2"), std::string::npos) << check.err;
    ::chmod(m_dir.file("pg.pass").c_str(), 0600);
    const auto ok = run_spiegeld({"check", "--config", pg_config("  password_file: pg.pass\n")});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(PgCliTest, the_same_demo_data_scans_to_byte_identical_reports_from_sqlite_and_postgresql) {
    m_server.create_schema();
    const std::vector<std::string> demo{"demo", "--cvs",       "400",  "--vacancies",
                                        "80",   "--employers", "30",   "--seed",
                                        "7",    "--as-of",     k_as_of};
    auto with = [](std::vector<std::string> args, const std::string& config) {
        args.insert(args.end(), {"--config", config});
        return args;
    };
    const auto sqlite_demo = run_spiegeld(with(demo, sqlite_config()), m_dir.path());
    ASSERT_EQ(sqlite_demo.exit_code, 0) << sqlite_demo.err;
    const auto pg_demo = run_spiegeld(with(demo, pg_config()), m_dir.path());
    ASSERT_EQ(pg_demo.exit_code, 0) << pg_demo.err;
    EXPECT_EQ(m_server.psql("SELECT count(*) FROM cv"), "400");
    const std::vector<std::string> scan{"scan", "--full", "--as-of", k_as_of, "--report", "-"};
    const auto from_sqlite = run_spiegeld(with(scan, sqlite_config()), m_dir.path());
    ASSERT_EQ(from_sqlite.exit_code, 0) << from_sqlite.err;
    const auto from_pg = run_spiegeld(with(scan, pg_config()), m_dir.path());
    ASSERT_EQ(from_pg.exit_code, 0) << from_pg.err;
    EXPECT_EQ(lines(from_sqlite.out).size(), 510U);
    EXPECT_TRUE(from_pg.out == from_sqlite.out) << "the reports differ";
    // Some records fail rules: the comparison is not between two empty sets.
    EXPECT_NE(from_pg.out.find("\"failed\":[\""), std::string::npos);
}

TEST_F(PgCliTest, incremental_scans_after_the_same_etl_changes_report_the_same_from_both_engines) {
    m_server.create_schema();
    const std::vector<std::string> demo{"demo", "--cvs",       "300",  "--vacancies",
                                        "60",   "--employers", "20",   "--seed",
                                        "11",   "--as-of",     k_as_of};
    auto with = [](std::vector<std::string> args, const std::string& config) {
        args.insert(args.end(), {"--config", config});
        return args;
    };
    for (const auto& config : {sqlite_config(), pg_config()}) {
        const auto d = run_spiegeld(with(demo, config), m_dir.path());
        ASSERT_EQ(d.exit_code, 0) << d.err;
        const auto full =
            run_spiegeld(with({"scan", "--full", "--as-of", k_as_of}, config), m_dir.path());
        ASSERT_EQ(full.exit_code, 0) << full.err;
    }
    // The same ETL changes in both engines: updates (one clears a field),
    // an insert and deletions of a CV and an employer.
    const std::string etl =
        "UPDATE cv SET birth_year = 1950, email = NULL WHERE id IN (SELECT id FROM cv ORDER BY rid "
        "LIMIT 7);"
        "UPDATE vacancy SET positions = 3 WHERE id = (SELECT id FROM vacancy ORDER BY rid LIMIT 1);"
        "INSERT INTO cv (id, birth_year, postcode) VALUES ('cv-etl-1', 1990, '1234AB');"
        "DELETE FROM cv WHERE id = (SELECT id FROM cv ORDER BY rid DESC LIMIT 1 OFFSET 3);"
        "DELETE FROM employer WHERE id = (SELECT id FROM employer ORDER BY rid DESC LIMIT 1);";
    testing::shell("sqlite3 " + m_dir.file("data/source.db") + " \"" + etl + "\"");
    m_server.psql(etl);
    const std::vector<std::string> scan{"scan", "--as-of", k_as_of, "--report", "-"};
    const auto from_sqlite = run_spiegeld(with(scan, sqlite_config()), m_dir.path());
    ASSERT_EQ(from_sqlite.exit_code, 0) << from_sqlite.err;
    const auto from_pg = run_spiegeld(with(scan, pg_config()), m_dir.path());
    ASSERT_EQ(from_pg.exit_code, 0) << from_pg.err;
    EXPECT_NE(from_sqlite.out.find("\"id\":\"cv-etl-1\""), std::string::npos);
    EXPECT_LT(lines(from_sqlite.out).size(), 200U) << "an incremental scan, not a full one";
    auto sorted = [&](const std::string& text) {
        auto l = lines(text);
        std::sort(l.begin(), l.end());
        return l;
    };
    EXPECT_EQ(sorted(from_pg.out), sorted(from_sqlite.out));
    // And the stored results agree with a full scan of either engine.
    const auto full_sqlite =
        run_spiegeld(with({"scan", "--full", "--as-of", k_as_of, "--report", "-"}, sqlite_config()),
                     m_dir.path());
    const auto full_pg = run_spiegeld(
        with({"scan", "--full", "--as-of", k_as_of, "--report", "-"}, pg_config()), m_dir.path());
    EXPECT_TRUE(full_pg.out == full_sqlite.out) << "the full reports differ";
}

// A full rescan of a PostgreSQL source keeps the results of records whose
// stored values did not change (docs/scan.md) and stores what a first scan
// stores; a record changed in the source is evaluated again.
TEST_F(PgCliTest, a_full_rescan_keeps_unchanged_records_results_and_equals_a_first_scan) {
    m_server.create_schema();
    const auto d = run_spiegeld({"demo", "--cvs", "200", "--vacancies", "40", "--employers", "15", "--seed", "5",
                                 "--as-of", k_as_of, "--config", pg_config()},
                                m_dir.path());
    ASSERT_EQ(d.exit_code, 0) << d.err;
    auto full = [&](const std::string& config) {
        return run_spiegeld({"scan", "--full", "--as-of", k_as_of, "--config", config}, m_dir.path());
    };
    const auto first = full(pg_config());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.err.find("; 0 results kept unevaluated"), std::string::npos) << first.err;
    const auto again = full(pg_config());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("; 255 results kept unevaluated"), std::string::npos) << again.err;
    m_server.psql("UPDATE cv SET postcode = 'x' WHERE id = (SELECT id FROM cv ORDER BY rid LIMIT 1)");
    const auto changed = full(pg_config());
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_NE(changed.err.find("; 254 results kept unevaluated"), std::string::npos) << changed.err;
    // The same as evaluating every record into a fresh state.
    const std::string fresh = m_dir.file("fresh.yaml");
    std::string text = testing::read_text(pg_config());
    text.replace(text.find("data/pg-state.db"), std::string("data/pg-state.db").size(), "data/fresh-state.db");
    testing::write_file(fresh, text);
    ASSERT_EQ(full(fresh).exit_code, 0);
    auto dump = [&](const std::string& db) {
        SQLite::Database state(m_dir.file(db), SQLite::OPEN_READONLY);
        SQLite::Statement q(state, "SELECT kind, id, score, failed, digest, content_hash, valid_until FROM result "
                                   "ORDER BY kind, id");
        std::vector<std::string> rows;
        while (q.executeStep()) {
            std::string row;
            for (int i = 0; i < q.getColumnCount(); ++i) {
                row += q.getColumn(i).getString() + "|";
            }
            rows.push_back(row);
        }
        return rows;
    };
    const auto kept = dump("data/pg-state.db");
    EXPECT_EQ(kept.size(), 255U);
    EXPECT_EQ(kept, dump("data/fresh-state.db"));
}

TEST_F(PgCliTest, cv_and_vacancy_cards_read_contact_details_and_employer_from_postgresql) {
    m_server.create_schema();
    m_server.psql(
        "INSERT INTO employer (id, name, status) VALUES ('e-1', 'Bakkerij', 'actief');"
        "INSERT INTO vacancy (id, employer_id, status) VALUES ('v-1', 'e-1', 'open');"
        "INSERT INTO cv (id, email, phone, birth_year) VALUES ('cv-1', 'jan@example.nl', "
        "'0612345678', 1980)");
    const std::string config = pg_config();
    const auto scan = run_spiegeld({"scan", "--config", config, "--as-of", k_as_of}, m_dir.path());
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    const auto cv = run_spiegeld({"card", "cv", "cv-1", "--config", config}, m_dir.path());
    ASSERT_EQ(cv.exit_code, 0) << cv.err;
    EXPECT_NE(cv.out.find("jan@example.nl"), std::string::npos) << cv.out;
    const auto vacancy = run_spiegeld({"card", "vacancy", "v-1", "--config", config}, m_dir.path());
    ASSERT_EQ(vacancy.exit_code, 0) << vacancy.err;
    EXPECT_NE(vacancy.out.find("e-1"), std::string::npos) << vacancy.out;
    // Source down: the card fails naming the server, never the data.
    m_server.stop_immediately();
    const auto down = run_spiegeld({"card", "cv", "cv-1", "--config", config}, m_dir.path());
    EXPECT_EQ(down.exit_code, 1);
    EXPECT_NE(down.err.find("host=" + m_server.socket_dir()), std::string::npos) << down.err;
    EXPECT_EQ(down.err.find("jan@"), std::string::npos) << down.err;
}

// The officers' rule tools read the configured source, PostgreSQL too.
TEST_F(PgCliTest, rules_preview_and_suggest_read_a_postgresql_source) {
    m_server.create_schema();
    m_server.psql("INSERT INTO cv (id, email, birth_year) VALUES ('cv-1', 'a@example.nl', 1980), "
                  "('cv-2', 'b@example.nl', 1990)");
    const std::string config = pg_config();
    const auto scan = run_spiegeld({"scan", "--config", config, "--as-of", k_as_of}, m_dir.path());
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    const auto preview = run_spiegeld({"rules", "--config", config, "preview", "--format", "json"}, m_dir.path());
    ASSERT_EQ(preview.exit_code, 0) << preview.err;
    EXPECT_TRUE(nlohmann::json::parse(preview.out).contains("rules")) << preview.out;
    const auto suggest = run_spiegeld({"rules", "--config", config, "suggest", "--kind", "cv"}, m_dir.path());
    ASSERT_EQ(suggest.exit_code, 0) << suggest.err;
    EXPECT_NE(suggest.out.find("kind: cv"), std::string::npos) << suggest.out;
}

TEST_F(PgCliTest, incremental_scans_see_writers_that_commit_out_of_order) {
    m_server.create_schema();
    auto conninfo = store::PgSettings{m_server.conninfo(), "", "public"};
    m_server.psql(
        "INSERT INTO cv (id, birth_year) VALUES ('cv-1', 1980), ('cv-2', 1981), ('cv-3', 1982)");
    const std::string config = pg_config();
    const auto first = run_spiegeld({"scan", "--config", config, "--as-of", k_as_of}, m_dir.path());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto early = store::PgConn::connect(conninfo);
    auto late = store::PgConn::connect(conninfo);
    ASSERT_TRUE(early && late);
    ASSERT_TRUE((*early)->exec("BEGIN; UPDATE cv SET birth_year = 1990 WHERE id = 'cv-1'", "t1"));
    ASSERT_TRUE(
        (*late)->exec("BEGIN; UPDATE cv SET birth_year = 1991 WHERE id = 'cv-2'; COMMIT", "t2"));
    const auto second = run_spiegeld(
        {"scan", "--config", config, "--as-of", k_as_of, "--report", "-"}, m_dir.path());
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("\"id\":\"cv-2\""), std::string::npos) << second.out;
    EXPECT_EQ(second.out.find("\"id\":\"cv-1\""), std::string::npos) << second.out;
    EXPECT_EQ(second.out.find("\"id\":\"cv-3\""), std::string::npos) << second.out;
    ASSERT_TRUE((*early)->exec("COMMIT", "t1"));
    const auto third = run_spiegeld(
        {"scan", "--config", config, "--as-of", k_as_of, "--report", "-"}, m_dir.path());
    ASSERT_EQ(third.exit_code, 0) << third.err;
    EXPECT_NE(third.out.find("\"id\":\"cv-1\""), std::string::npos) << third.out;
    EXPECT_EQ(third.out.find("\"id\":\"cv-3\""), std::string::npos) << third.out;
}

TEST_F(PgCliTest, import_into_postgresql_reports_rejected_lines_and_keeps_the_good_ones) {
    m_server.create_schema();
    testing::write_file(m_dir.file("cv.ndjson"),
                        "{\"id\":\"cv-1\"}\n{\"id\":\"cv-2\",\"birth_year\":\"abc\"}\n"
                        "{\"id\":\"cv-3\",\"summary\":\"vrije tekst\"}\n");
    const auto r = run_spiegeld({"import", "--config", pg_config(), "--kind", "cv", "cv.ndjson"},
                                m_dir.path());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cv.ndjson:2: "), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("read 3, imported 2, rejected 1"), std::string::npos) << r.out;
    EXPECT_EQ(m_server.psql("SELECT string_agg(id, ',' ORDER BY id) FROM cv"), "cv-1,cv-3");
    const auto strict = run_spiegeld(
        {"import", "--config", pg_config(), "--kind", "cv", "--strict", "cv.ndjson"}, m_dir.path());
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_EQ(m_server.psql("SELECT count(*) FROM cv"), "2");
}

// PostgreSQL text and jsonb cannot hold U+0000: a line with it in a field
// of the contract (items of repeated fields included) is rejected on its
// own, naming the field, before anything is sent; the other lines are
// imported. Unknown top-level fields are kept as JSON text in the json
// column extra_fields, which stores "\u0000" as it is: such a line imports.
// "\\u0000" (a backslash, then text) is no NUL.
TEST_F(PgCliTest, import_into_postgresql_rejects_a_line_holding_u0000_and_keeps_the_others) {
    m_server.create_schema();
    testing::write_file(m_dir.file("nul.ndjson"),
                        "{\"id\":\"cv-1\",\"summary\":\"vrije tekst\"}\n"
                        "{\"id\":\"cv-2\",\"summary\":\"a\\u0000b\"}\n"
                        "{\"id\":\"cv-3\",\"skills\":[\"SQL\",\"x\\u0000\"]}\n"
                        "{\"id\":\"cv-4\",\"education\":[{\"level\":\"hbo\"},{\"level\":\"mbo\",\"name\":\"\\u0000\"}]}\n"
                        "{\"id\":\"cv-5\",\"education\":[{\"level\":\"hbo\",\"cohort\":{\"x\":[\"\\u0000\"]}}]}\n"
                        "{\"id\":\"cv-6\",\"hobby\":\"\\u0000\",\"x\\u0000\":1}\n"
                        "{\"id\":\"cv-7\",\"created_at\":\"2026\\u0000\"}\n"
                        "{\"id\":\"cv-8\",\"summary\":\"a\\\\u0000b\",\"hobby\":\"\\\\u0000\"}\n");
    const auto r = run_spiegeld({"import", "--config", pg_config(), "--kind", "cv", "nul.ndjson"}, m_dir.path());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "read 8, imported 3, rejected 5\n");
    const std::string reason = ": the character U+0000 cannot be stored in PostgreSQL\n";
    EXPECT_EQ(r.err, "nul.ndjson:2: field 'summary'" + reason + "nul.ndjson:3: field 'skills[1]'" + reason +
                         "nul.ndjson:4: field 'education[1].name'" + reason + "nul.ndjson:5: field 'education[0]'" +
                         reason + "nul.ndjson:7: field 'created_at'" + reason);
    EXPECT_EQ(m_server.psql("SELECT string_agg(id, ',' ORDER BY id) FROM cv"), "cv-1,cv-6,cv-8");
    EXPECT_EQ(m_server.psql("SELECT extra_fields::text FROM cv WHERE id = 'cv-6'"), "{\"hobby\":\"\\u0000\",\"x\\u0000\":1}");
    EXPECT_EQ(m_server.psql("SELECT summary || ' ' || (extra_fields->>'hobby') FROM cv WHERE id = 'cv-8'"),
              "a\\u0000b \\u0000");
    // The records read back as imported: a scan of them succeeds.
    const auto scanned =
        run_spiegeld({"scan", "--config", pg_config(), "--as-of", k_as_of, "--report", "-"}, m_dir.path());
    ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
    EXPECT_EQ(lines(scanned.out).size(), 3u) << scanned.out;

    // --strict: the whole import aborts, nothing written.
    testing::write_file(m_dir.file("strict.ndjson"), "{\"id\":\"cv-9\"}\n{\"id\":\"cv-10\",\"phone\":\"\\u0000\"}\n");
    const auto strict = run_spiegeld({"import", "--config", pg_config(), "--kind", "cv", "--strict", "strict.ndjson"},
                                     m_dir.path());
    EXPECT_EQ(strict.exit_code, 1);
    EXPECT_EQ(strict.out, "read 2, imported 0, rejected 1\n");
    EXPECT_NE(strict.err.find("strict.ndjson:2: field 'phone'" + reason), std::string::npos) << strict.err;
    EXPECT_EQ(m_server.psql("SELECT string_agg(id, ',' ORDER BY id) FROM cv"), "cv-1,cv-6,cv-8");
}

TEST_F(PgCliTest,
       a_scan_of_an_unreachable_server_exits_1_naming_host_and_reason_and_keeps_results) {
    m_server.create_schema();
    m_server.psql("INSERT INTO cv (id) VALUES ('cv-1')");
    testing::write_file(m_dir.file("pg.pass"), "hunter2\n");
    ::chmod(m_dir.file("pg.pass").c_str(), 0600);
    const std::string config = pg_config("  password_file: pg.pass\n");
    const auto ok = run_spiegeld({"scan", "--config", config, "--as-of", k_as_of}, m_dir.path());
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    m_server.stop_immediately();
    const auto down =
        run_spiegeld({"scan", "--full", "--config", config, "--as-of", k_as_of}, m_dir.path());
    EXPECT_EQ(down.exit_code, 1);
    EXPECT_NE(
        down.err.find("host=" + m_server.socket_dir() + " port=5432 dbname=werk: cannot connect"),
        std::string::npos)
        << down.err;
    EXPECT_NE(down.err.find("No such file or directory"), std::string::npos) << down.err;
    EXPECT_EQ(down.err.find("hunter2"), std::string::npos) << down.err;
    // The previous results stay.
    {
        SQLite::Database state(m_dir.file("data/pg-state.db"), SQLite::OPEN_READONLY);
        EXPECT_EQ(state.execAndGet("SELECT group_concat(status) FROM scan").getString(), "ok");
        EXPECT_EQ(state.execAndGet("SELECT group_concat(id) FROM result").getString(), "cv-1");
    }
    ASSERT_TRUE(m_server.start());
    const auto again = run_spiegeld(
        {"scan", "--config", config, "--as-of", k_as_of, "--report", "-"}, m_dir.path());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, "") << "nothing changed since the last successful scan";
}

}  // namespace
}  // namespace spiegel::app
