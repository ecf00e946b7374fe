#include "daemon/store/importer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/store/source_db.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using model::Kind;
using testing::TempDir;

struct Outcome {
    bool ok = false;
    std::string error;
    ImportResult result;
    std::vector<std::string> messages;
    std::vector<std::int64_t> progress;
};

class ImporterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto db = SourceDb::open(m_dir.file("source.db"), SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        m_db = std::move(*db);
    }

    Outcome import(const std::string& content, Kind kind = Kind::cv, ImportSettings settings = {}) {
        const std::string path = m_dir.file("in" + std::to_string(++m_files) + ".ndjson");
        testing::write_file(path, content);
        settings.kind = kind;
        settings.source_name = "in.ndjson";
        Outcome run;
        ImportReporter reporter;
        reporter.rejected = [&](std::string_view m) { run.messages.emplace_back(m); };
        reporter.progress = [&](std::int64_t lines, double) { run.progress.push_back(lines); };
        Importer importer(*m_db, settings, reporter);
        auto result = importer.run_file(path);
        run.ok = result.ok();
        if (result) {
            run.result = *result;
        } else {
            run.error = result.error().message;
        }
        return run;
    }

    Outcome import_strict(const std::string& content) {
        ImportSettings settings;
        settings.strict = true;
        return import(content, Kind::cv, settings);
    }

    std::int64_t count(Kind kind = Kind::cv) { return *m_db->count(kind); }

    // Every stored record of a kind as JSON with its change_seq, in row order.
    std::vector<std::pair<std::string, std::int64_t>> rows(Kind kind = Kind::cv) {
        std::vector<std::pair<std::string, std::int64_t>> out;
        model::Arena arena;
        std::vector<model::Record> records;
        Cursor cursor;
        ChunkQuery query;
        query.kind = kind;
        query.limit = 7;
        while (true) {
            auto n = m_db->read_chunk(query, cursor, arena, records);
            EXPECT_TRUE(n) << n.error().message;
            if (!n || *n == 0) {
                break;
            }
        }
        for (const auto& r : records) {
            out.emplace_back(model::record_to_json(r), r.change_seq);
        }
        return out;
    }

    // One rejected line: its single message, checked to name file and line.
    std::string only_rejection(const Outcome& run, int line) {
        EXPECT_TRUE(run.ok) << run.error;
        EXPECT_EQ(run.result.rejected, 1);
        EXPECT_EQ(run.messages.size(), 1u);
        if (run.messages.size() != 1) {
            return {};
        }
        const std::string prefix = "in.ndjson:" + std::to_string(line) + ": ";
        EXPECT_EQ(run.messages[0].rfind(prefix, 0), 0u) << run.messages[0];
        return run.messages[0].substr(prefix.size());
    }

    TempDir m_dir;
    std::unique_ptr<SourceDb> m_db;
    int m_files = 0;
};

TEST_F(ImporterTest, good_lines_are_imported_and_counted) {
    const auto run = import(R"({"id":"cv-1","birth_year":1980,"skills":["lassen"]})"
                            "\n"
                            R"({"id":"cv-2","visible":true,"hours_per_day":7.5})"
                            "\n");
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_EQ(run.result.read, 2);
    EXPECT_EQ(run.result.imported, 2);
    EXPECT_EQ(run.result.rejected, 0);
    EXPECT_TRUE(run.result.committed);
    EXPECT_TRUE(run.messages.empty());
    EXPECT_EQ(count(), 2);
}

TEST_F(ImporterTest, last_line_without_newline_is_imported) {
    const auto run = import("{\"id\":\"cv-1\"}\n{\"id\":\"cv-2\"}");
    EXPECT_EQ(run.result.imported, 2);
    EXPECT_EQ(count(), 2);
}

TEST_F(ImporterTest, blank_lines_are_skipped_but_keep_line_numbers) {
    const auto run = import("\n   \n\t\r\n{\"id\":\"cv-1\"}\n\n{\"id\":7}\n");
    EXPECT_EQ(run.result.read, 2);
    EXPECT_EQ(run.result.imported, 1);
    EXPECT_NE(only_rejection(run, 6).find("'id'"), std::string::npos);
}

TEST_F(ImporterTest, utf8_bom_and_crlf_are_stripped) {
    const auto run = import("\xEF\xBB\xBF{\"id\":\"cv-1\"}\r\n{\"id\":\"cv-2\"}\r\n");
    EXPECT_EQ(run.result.imported, 2);
    EXPECT_EQ(run.result.rejected, 0);
    const auto stored = rows();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].first, R"({"id":"cv-1"})");
    EXPECT_EQ(stored[1].first, R"({"id":"cv-2"})");
}

TEST_F(ImporterTest, bom_after_line_one_is_not_stripped) {
    const auto run = import("{\"id\":\"cv-1\"}\n\xEF\xBB\xBF{\"id\":\"cv-2\"}\n");
    EXPECT_EQ(run.result.imported, 1);
    EXPECT_NE(only_rejection(run, 2).find("not valid JSON"), std::string::npos);
}

TEST_F(ImporterTest, json_array_line_is_rejected_as_not_an_object) {
    const auto run = import("{\"id\":\"cv-1\"}\n[\"cv-2\"]\n");
    EXPECT_EQ(only_rejection(run, 2), "not a JSON object");
    EXPECT_EQ(count(), 1);
}

TEST_F(ImporterTest, json_scalar_lines_are_rejected_as_not_an_object) {
    const auto run = import("null\n\"cv-1\"\n42\n");
    EXPECT_EQ(run.result.rejected, 3);
    ASSERT_EQ(run.messages.size(), 3u);
    EXPECT_EQ(run.messages[0], "in.ndjson:1: not a JSON object");
    EXPECT_EQ(run.messages[2], "in.ndjson:3: not a JSON object");
}

TEST_F(ImporterTest, malformed_json_is_rejected_without_echoing_it) {
    const auto run = import("{\"id\":\"cv-1\",\"email\":\"jan.jansen@example.nl\"\n");
    const auto reason = only_rejection(run, 1);
    EXPECT_NE(reason.find("not valid JSON"), std::string::npos);
    EXPECT_EQ(reason.find("jansen"), std::string::npos);
    EXPECT_EQ(count(), 0);
}

TEST_F(ImporterTest, invalid_utf8_is_rejected_without_echoing_the_value) {
    const auto run = import("{\"id\":\"cv-1\",\"summary\":\"Jansen \xC3\x28 lasser\"}\n");
    const auto reason = only_rejection(run, 1);
    EXPECT_EQ(reason, "invalid UTF-8");
    EXPECT_EQ(count(), 0);
}

TEST_F(ImporterTest, missing_id_is_rejected) {
    const auto run = import("{\"birth_year\":1980}\n{\"id\":null}\n{\"id\":\"\"}\n");
    EXPECT_EQ(run.result.rejected, 3);
    for (const auto& m : run.messages) {
        EXPECT_NE(m.find("missing 'id'"), std::string::npos) << m;
    }
}

TEST_F(ImporterTest, id_with_a_forbidden_character_is_rejected_without_echo) {
    const auto run = import("{\"id\":\"jan@example.nl\"}\n");
    const auto reason = only_rejection(run, 1);
    EXPECT_NE(reason.find("invalid 'id'"), std::string::npos);
    EXPECT_EQ(reason.find("jan@"), std::string::npos);
}

TEST_F(ImporterTest, id_of_65_characters_is_rejected_and_64_accepted) {
    const std::string id64(64, 'a');
    const std::string id65(65, 'b');
    const auto run = import("{\"id\":\"" + id64 + "\"}\n{\"id\":\"" + id65 + "\"}\n");
    EXPECT_EQ(run.result.imported, 1);
    EXPECT_NE(only_rejection(run, 2).find("invalid 'id'"), std::string::npos);
}

TEST_F(ImporterTest, numeric_id_is_a_wrong_type) {
    const auto run = import("{\"id\":12345}\n");
    EXPECT_EQ(only_rejection(run, 1), "field 'id': expected a string, got an integer");
}

TEST_F(ImporterTest, repeated_id_rejects_the_later_line_naming_the_first) {
    const auto run = import(
        "{\"id\":\"cv-1\",\"birth_year\":1980}\n{\"id\":\"cv-2\"}\n\n"
        "{\"id\":\"cv-1\",\"birth_year\":1990}\n");
    const auto reason = only_rejection(run, 4);
    EXPECT_NE(reason.find("id repeated"), std::string::npos);
    EXPECT_NE(reason.find("line 1"), std::string::npos);
    EXPECT_EQ(reason.find("cv-1"), std::string::npos);
    const auto stored = rows();
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].first, R"({"id":"cv-1","birth_year":1980})");
}

TEST_F(ImporterTest, wrong_field_type_is_rejected_naming_the_field_not_the_value) {
    const auto run = import("{\"id\":\"cv-1\",\"birth_year\":\"negentienzeventig\"}\n");
    const auto reason = only_rejection(run, 1);
    EXPECT_EQ(reason, "field 'birth_year': expected an integer, got a string");
    EXPECT_EQ(count(), 0);
}

TEST_F(ImporterTest, wrong_type_inside_an_item_is_rejected_with_its_path) {
    const auto run = import(
        "{\"id\":\"cv-1\",\"education\":[{\"level\":\"mbo4\",\"diploma\":true},"
        "{\"level\":\"hbo\",\"diploma\":\"ja\"}]}\n");
    EXPECT_EQ(only_rejection(run, 1),
              "field 'education[1].diploma': expected a boolean, got a string");
}

TEST_F(ImporterTest, non_string_in_a_string_array_is_rejected) {
    const auto run = import("{\"id\":\"v-1\",\"skills\":[\"heftruck\",3]}\n", Kind::vacancy);
    const auto reason = only_rejection(run, 1);
    EXPECT_NE(reason.find("field 'skills'"), std::string::npos);
}

TEST_F(ImporterTest, wrong_type_for_each_kind_is_rejected) {
    EXPECT_NE(only_rejection(import("{\"id\":\"v-1\",\"positions\":\"twee\"}\n", Kind::vacancy), 1)
                  .find("'positions'"),
              std::string::npos);
    EXPECT_NE(only_rejection(import("{\"id\":\"e-1\",\"employees\":[]}\n", Kind::employer), 1)
                  .find("'employees'"),
              std::string::npos);
}

TEST_F(ImporterTest, string_longer_than_64_KiB_is_rejected_and_64_KiB_accepted) {
    const std::string ok(64 * 1024, 'x');
    const std::string too_long(64 * 1024 + 1, 'y');
    const auto run = import("{\"id\":\"cv-1\",\"summary\":\"" + ok +
                            "\"}\n{\"id\":\"cv-2\",\"summary\":\"" + too_long + "\"}\n");
    EXPECT_EQ(run.result.imported, 1);
    const auto reason = only_rejection(run, 2);
    EXPECT_NE(reason.find("longer than 65536 bytes"), std::string::npos);
    EXPECT_EQ(reason.find("yyyy"), std::string::npos);
}

// A valid JSON object line of exactly `bytes` bytes (padding is whitespace).
std::string object_line(const std::string& id, std::size_t bytes) {
    std::string line = "{\"id\":\"" + id + "\"";
    line.append(bytes - line.size() - 1, ' ');
    line.push_back('}');
    return line;
}

TEST_F(ImporterTest, line_of_exactly_1_MiB_is_accepted) {
    const auto run = import(object_line("cv-1", k_max_line_bytes) + "\n" +
                            object_line("cv-2", k_max_line_bytes) + "\r\n" +
                            object_line("cv-3", k_max_line_bytes));
    EXPECT_EQ(run.result.imported, 3);
    EXPECT_EQ(run.result.rejected, 0);
}

TEST_F(ImporterTest, line_longer_than_1_MiB_is_rejected_and_the_next_line_still_read) {
    const auto run =
        import("{\"id\":\"cv-1\"}\n" + object_line("cv-2", k_max_line_bytes + 1) + "\n" +
               "{\"id\":\"cv-3\"}\n" + object_line("cv-4", 3 * k_max_line_bytes) + "\n" +
               "{\"id\":\"cv-5\"}\n" + object_line("cv-6", k_max_line_bytes + 1));
    EXPECT_EQ(run.result.read, 6);
    EXPECT_EQ(run.result.imported, 3);
    ASSERT_EQ(run.messages.size(), 3u);
    EXPECT_EQ(run.messages[0], "in.ndjson:2: line longer than 1048576 bytes");
    EXPECT_EQ(run.messages[1], "in.ndjson:4: line longer than 1048576 bytes");
    EXPECT_EQ(run.messages[2], "in.ndjson:6: line longer than 1048576 bytes");
    EXPECT_EQ(count(), 3);
}

TEST_F(ImporterTest, mixed_file_names_the_bad_lines_and_keeps_the_good_ones) {
    const auto run = import(
        "{\"id\":\"cv-1\"}\n"
        "{\"id\":\"cv-2\",\"birth_year\":\"x\"}\n"
        "{\"id\":\"cv-3\"}\n"
        "not json\n"
        "{\"id\":\"cv-4\"}\n");
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_EQ(run.result.read, 5);
    EXPECT_EQ(run.result.imported, 3);
    EXPECT_EQ(run.result.rejected, 2);
    ASSERT_EQ(run.messages.size(), 2u);
    EXPECT_EQ(run.messages[0].rfind("in.ndjson:2: ", 0), 0u);
    EXPECT_EQ(run.messages[1].rfind("in.ndjson:4: ", 0), 0u);
    EXPECT_EQ(*m_db->all_ids(Kind::cv), (std::vector<std::string>{"cv-1", "cv-3", "cv-4"}));
}

TEST_F(ImporterTest, strict_import_with_a_bad_line_writes_nothing_and_reports_every_line) {
    ASSERT_EQ(import("{\"id\":\"cv-1\",\"birth_year\":1970}\n").result.imported, 1);
    const auto before = rows();
    const auto run = import_strict(
        "{\"id\":\"cv-1\",\"birth_year\":1999}\n{\"id\":\"cv-2\"}\n[]\n{\"id\":\"cv-3\"}\n{}\n");
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_FALSE(run.result.committed);
    EXPECT_EQ(run.result.read, 5);
    EXPECT_EQ(run.result.imported, 0);
    EXPECT_EQ(run.result.rejected, 2);
    ASSERT_EQ(run.messages.size(), 2u);
    EXPECT_EQ(run.messages[0].rfind("in.ndjson:3: ", 0), 0u);
    EXPECT_EQ(run.messages[1].rfind("in.ndjson:5: ", 0), 0u);
    EXPECT_EQ(rows(), before);
}

TEST_F(ImporterTest, strict_import_rolls_back_batches_already_written) {
    ImportSettings settings;
    settings.strict = true;
    settings.batch_lines = 1;
    std::string content;
    for (int i = 0; i < 300; ++i) {
        content += "{\"id\":\"cv-" + std::to_string(i) + "\"}\n";
    }
    content += "{\"id\":\"cv-x\",\"visible\":\"nee\"}\n";
    const auto run = import(content, Kind::cv, settings);
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_FALSE(run.result.committed);
    EXPECT_EQ(run.result.rejected, 1);
    EXPECT_EQ(count(), 0);
}

TEST_F(ImporterTest, database_write_failure_aborts_the_import_with_nothing_written) {
    import("{\"id\":\"cv-keep\"}\n");
    {
        SQLite::Database raw(m_dir.file("source.db"), SQLite::OPEN_READWRITE);
        raw.exec(
            "CREATE TRIGGER refuse BEFORE INSERT ON cv WHEN NEW.id = 'cv-250' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    }
    ImportSettings settings;
    settings.batch_lines = 16;
    std::string content;
    for (int i = 0; i < 400; ++i) {
        content += "{\"id\":\"cv-" + std::to_string(i) + "\"}\n";
    }
    const auto run = import(content, Kind::cv, settings);
    ASSERT_FALSE(run.ok);
    EXPECT_NE(run.error.find("refused"), std::string::npos) << run.error;
    EXPECT_EQ(*m_db->all_ids(Kind::cv), std::vector<std::string>{"cv-keep"});
}

TEST_F(ImporterTest, strict_import_of_a_clean_file_commits) {
    const auto run = import_strict("{\"id\":\"cv-1\"}\n{\"id\":\"cv-2\"}\n");
    EXPECT_TRUE(run.result.committed);
    EXPECT_EQ(run.result.imported, 2);
    EXPECT_EQ(count(), 2);
}

TEST_F(ImporterTest, reimport_replaces_values_and_raises_change_seq) {
    import("{\"id\":\"cv-1\",\"birth_year\":1970,\"skills\":[\"lassen\"]}\n{\"id\":\"cv-2\"}\n");
    const auto before = rows();
    const auto run = import("{\"id\":\"cv-1\",\"birth_year\":1971}\n");
    EXPECT_EQ(run.result.imported, 1);
    EXPECT_EQ(count(), 2);
    const auto after = rows();
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after[0].first, R"({"id":"cv-1","birth_year":1971})");
    EXPECT_GT(after[0].second, before[0].second);
    EXPECT_EQ(after[1], before[1]);
}

TEST_F(ImporterTest, unknown_fields_survive_a_round_trip) {
    import(
        R"({"id":"cv-1","werkpas":{"nr":3,"ok":true},"education":[{"level":"mbo2","cohort":"2019"}],"tags":["a"]})"
        "\n");
    const auto stored = rows();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(
        stored[0].first,
        R"({"id":"cv-1","education":[{"level":"mbo2","cohort":"2019"}],"werkpas":{"nr":3,"ok":true},"tags":["a"]})");
}

TEST_F(ImporterTest, timestamps_are_stored_in_utc) {
    import(R"({"id":"v-1","updated_at":"2026-03-29T03:30:00+02:00","closing_date":"2026-04-30"})"
           "\n",
           Kind::vacancy);
    const auto stored = rows(Kind::vacancy);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].first,
              R"({"id":"v-1","updated_at":"2026-03-29T01:30:00Z","closing_date":"2026-04-30"})");
}

TEST_F(ImporterTest, records_survive_batches_of_one_line) {
    ImportSettings settings;
    settings.batch_lines = 1;
    std::string content;
    for (int i = 0; i < 50; ++i) {
        content += R"({"id":"cv-)" + std::to_string(i) +
                   R"(","municipality":"Zwolle","skills":["koken","bakken"]})"
                   "\n";
    }
    const auto run = import(content, Kind::cv, settings);
    EXPECT_EQ(run.result.imported, 50);
    const auto stored = rows();
    ASSERT_EQ(stored.size(), 50u);
    EXPECT_EQ(stored[49].first,
              R"({"id":"cv-49","municipality":"Zwolle","skills":["koken","bakken"]})");
}

TEST_F(ImporterTest, progress_is_reported_while_reading) {
    ImportSettings settings;
    settings.progress_interval = std::chrono::milliseconds(0);
    std::string content;
    for (int i = 0; i < 2500; ++i) {
        content += "{\"id\":\"cv-" + std::to_string(i) + "\"}\n";
    }
    const auto run = import(content, Kind::cv, settings);
    EXPECT_EQ(run.progress, (std::vector<std::int64_t>{1024, 2048}));
}

TEST_F(ImporterTest, read_failure_is_an_error_and_writes_nothing) {
    const int fd = ::open(m_dir.path().c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(fd, 0);
    ImportSettings settings;
    settings.source_name = "somedir";
    Importer importer(*m_db, settings);
    auto result = importer.run(fd);
    ::close(fd);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("somedir: cannot read"), std::string::npos)
        << result.error().message;
    EXPECT_EQ(*m_db->current_change_seq(), 0);
}

TEST_F(ImporterTest, unopenable_file_is_an_error_naming_it) {
    Importer importer(*m_db, {});
    auto result = importer.run_file(m_dir.file("missing.ndjson"));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("missing.ndjson: cannot open"), std::string::npos);
    EXPECT_EQ(count(), 0);
}

}  // namespace
}  // namespace spiegel::store
