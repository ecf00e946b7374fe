#include "daemon/store/source_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

using model::Kind;
using testing::TempDir;

class SourceDbTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto db = SourceDb::open(m_dir.file("data/source.db"), SourceDb::Mode::read_write);
        ASSERT_TRUE(db) << db.error().message;
        m_db = std::move(*db);
    }

    // Writes records through one Writer transaction.
    void write(Kind kind, const std::vector<std::string>& json) { testing::write_records(*m_db, kind, json); }

    // Direct SQL, as an ETL job would run it on its own connection.
    void etl(const std::string& sql) {
        SQLite::Database db(m_dir.file("data/source.db"), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        db.exec(sql);
    }

    std::vector<model::Record> read_all(ChunkQuery query, model::Arena& arena,
                                        int* chunks = nullptr) {
        std::vector<model::Record> out;
        Cursor cursor;
        for (int i = 0; i < 1000; ++i) {
            auto n = m_db->read_chunk(query, cursor, arena, out);
            EXPECT_TRUE(n) << n.error().message;
            if (!n || *n == 0) {
                break;
            }
            if (chunks) {
                ++*chunks;
            }
        }
        return out;
    }

    std::int64_t seq_of(const std::string& id) {
        SQLite::Database db(m_dir.file("data/source.db"), SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT change_seq FROM cv WHERE id = ?");
        q.bind(1, id);
        return q.executeStep() ? q.getColumn(0).getInt64() : -1;
    }

    TempDir m_dir;
    std::unique_ptr<SourceDb> m_db;
};

TEST_F(SourceDbTest, read_write_open_creates_the_file_and_schema) {
    SQLite::Database db(m_dir.file("data/source.db"), SQLite::OPEN_READONLY);
    for (const char* table :
         {"cv", "vacancy", "employer", "source_seq", "source_meta", "source_tombstone"}) {
        EXPECT_TRUE(db.tableExists(table)) << table;
    }
    EXPECT_EQ(
        db.execAndGet("SELECT value FROM source_meta WHERE key = 'schema_version'").getString(),
        std::to_string(k_source_schema_version));
    EXPECT_EQ(*m_db->current_change_seq(), 0);
}

TEST_F(SourceDbTest, reopening_an_existing_database_keeps_its_rows) {
    write(Kind::cv, {R"({"id":"cv-1"})"});
    m_db.reset();
    auto again = SourceDb::open(m_dir.file("data/source.db"), SourceDb::Mode::read_write);
    ASSERT_TRUE(again);
    EXPECT_EQ(*(*again)->count(Kind::cv), 1);
}

TEST_F(SourceDbTest, read_only_open_of_a_missing_file_fails_and_creates_nothing) {
    const auto path = m_dir.file("nope.db");
    auto db = SourceDb::open(path, SourceDb::Mode::read_only);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error().message.find("nope.db"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(SourceDbTest, writer_stamps_rows_with_its_own_change_seq) {
    write(Kind::cv, {R"({"id":"cv-1"})", R"({"id":"cv-2"})"});
    const auto first = seq_of("cv-1");
    EXPECT_GT(first, 0);
    EXPECT_EQ(seq_of("cv-2"), first);
    write(Kind::cv, {R"({"id":"cv-2","birth_year":1990})"});
    EXPECT_GT(seq_of("cv-2"), first);
    EXPECT_EQ(seq_of("cv-1"), first);
    EXPECT_EQ(*m_db->current_change_seq(), seq_of("cv-2"));
}

TEST_F(SourceDbTest, writer_destroyed_without_commit_rolls_back) {
    write(Kind::cv, {R"({"id":"cv-1"})"});
    {
        model::Arena arena;
        auto writer = m_db->begin_write();
        ASSERT_TRUE(writer);
        ASSERT_TRUE(writer->upsert(testing::record(Kind::cv, R"({"id":"cv-2"})", arena)));
    }
    EXPECT_EQ(*m_db->count(Kind::cv), 1);
    EXPECT_EQ(*m_db->all_ids(Kind::cv), std::vector<std::string>{"cv-1"});
}

TEST_F(SourceDbTest, failed_begin_write_leaves_no_transaction_open) {
    etl("DELETE FROM source_seq");
    auto failed = m_db->begin_write();
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("cannot start a write transaction"), std::string::npos);
    etl("INSERT INTO source_seq (id, value) VALUES (1, 40)");
    auto writer = m_db->begin_write();
    ASSERT_TRUE(writer) << writer.error().message;
    EXPECT_EQ(writer->change_seq(), 41);
    ASSERT_TRUE(writer->commit());
}

TEST_F(SourceDbTest, etl_insert_gets_a_change_seq_from_the_trigger) {
    write(Kind::cv, {R"({"id":"cv-1"})"});
    const auto before = *m_db->current_change_seq();
    etl("INSERT INTO cv (id, birth_year) VALUES ('cv-etl', 1985)");
    EXPECT_GT(seq_of("cv-etl"), before);
    EXPECT_EQ(*m_db->current_change_seq(), seq_of("cv-etl"));
}

TEST_F(SourceDbTest, etl_update_bumps_change_seq_so_changes_only_reads_see_it) {
    write(Kind::cv, {R"({"id":"cv-1"})", R"({"id":"cv-2"})"});
    const auto since = *m_db->current_change_seq();
    etl("UPDATE cv SET birth_year = 1975 WHERE id = 'cv-2'");
    EXPECT_GT(seq_of("cv-2"), since);
    model::Arena arena;
    ChunkQuery query;
    query.changes_only = true;
    query.since_seq = since;
    const auto changed = read_all(query, arena);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].id(), "cv-2");
    EXPECT_EQ(changed[0].field("birth_year").integer, 1975);
}

TEST_F(SourceDbTest, etl_delete_leaves_a_tombstone_seen_by_deleted_since) {
    write(Kind::cv, {R"({"id":"cv-1"})", R"({"id":"cv-2"})"});
    write(Kind::vacancy, {R"({"id":"v-1"})"});
    const auto since = *m_db->current_change_seq();
    etl("DELETE FROM cv WHERE id = 'cv-1'");
    EXPECT_EQ(*m_db->deleted_since(Kind::cv, since), std::vector<std::string>{"cv-1"});
    EXPECT_TRUE(m_db->deleted_since(Kind::cv, *m_db->current_change_seq())->empty());
    EXPECT_TRUE(m_db->deleted_since(Kind::vacancy, 0)->empty());
    EXPECT_GT(*m_db->current_change_seq(), since);
}

TEST_F(SourceDbTest, full_read_over_several_chunks_returns_each_row_once) {
    std::vector<std::string> lines;
    for (int i = 0; i < 23; ++i) {
        lines.push_back(R"({"id":"cv-)" + std::to_string(i) + R"("})");
    }
    write(Kind::cv, lines);
    etl("UPDATE cv SET birth_year = 1960 WHERE id IN ('cv-3', 'cv-17')");
    model::Arena arena;
    ChunkQuery query;
    query.limit = 5;
    int chunks = 0;
    const auto all = read_all(query, arena, &chunks);
    EXPECT_EQ(chunks, 5);
    std::map<std::string, int> seen;
    for (const auto& r : all) {
        ++seen[std::string(r.id())];
    }
    EXPECT_EQ(seen.size(), 23u);
    for (const auto& [id, n] : seen) {
        EXPECT_EQ(n, 1) << id;
    }
}

TEST_F(SourceDbTest, changes_only_read_over_several_chunks_returns_each_changed_row_once) {
    std::vector<std::string> lines;
    for (int i = 0; i < 12; ++i) {
        lines.push_back(R"({"id":"cv-)" + std::to_string(i) + R"("})");
    }
    write(Kind::cv, lines);  // 12 rows sharing one change_seq: chunks split inside it
    const auto since = *m_db->current_change_seq();
    write(Kind::cv, {R"({"id":"cv-20"})", R"({"id":"cv-21"})", R"({"id":"cv-22"})"});
    etl("UPDATE cv SET birth_year = 1970 WHERE id IN ('cv-0', 'cv-5', 'cv-11')");
    model::Arena arena;
    ChunkQuery query;
    query.changes_only = true;
    query.limit = 2;
    EXPECT_EQ(read_all(query, arena).size(), 15u);  // since 0: every row, once
    query.since_seq = since;
    std::map<std::string, int> seen;
    for (const auto& r : read_all(query, arena)) {
        ++seen[std::string(r.id())];
    }
    EXPECT_EQ(
        seen,
        (std::map<std::string, int>{
            {"cv-0", 1}, {"cv-11", 1}, {"cv-20", 1}, {"cv-21", 1}, {"cv-22", 1}, {"cv-5", 1}}));
}

TEST_F(SourceDbTest, column_with_bad_json_becomes_a_field_issue) {
    write(Kind::cv, {R"({"id":"cv-1","skills":["lassen"],"birth_year":1980})"});
    etl("UPDATE cv SET skills = '[\"lassen\",' , education = '{\"level\":1}' WHERE id = 'cv-1'");
    model::Arena arena;
    const auto all = read_all({}, arena);
    ASSERT_EQ(all.size(), 1u);
    const auto& r = all[0];
    EXPECT_TRUE(r.field("skills").is_null());
    EXPECT_TRUE(r.field("education").is_null());
    EXPECT_EQ(r.field("birth_year").integer, 1980);
    ASSERT_EQ(r.issues.size(), 2u);
    const auto& schema = model::schema_for(Kind::cv);
    EXPECT_EQ(r.issues[0].slot, *schema.slot("skills") < *schema.slot("education")
                                    ? *schema.slot("skills")
                                    : *schema.slot("education"));
    for (const auto& issue : r.issues) {
        EXPECT_EQ(issue.reason.find("lassen"), std::string_view::npos);
    }
}

TEST_F(SourceDbTest, malformed_timestamp_becomes_a_field_issue_and_offsets_are_normalised) {
    etl("INSERT INTO cv (id, updated_at, created_at, birth_year) VALUES "
        "('cv-1', 'gisteren', '2026-10-01T14:00:00+02:00', 'negentig')");
    model::Arena arena;
    const auto all = read_all({}, arena);
    ASSERT_EQ(all.size(), 1u);
    const auto& r = all[0];
    EXPECT_TRUE(r.field("updated_at").is_null());
    EXPECT_EQ(r.field("created_at").string, "2026-10-01T12:00:00Z");
    EXPECT_TRUE(r.field("birth_year").is_null());
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].reason, "not a valid RFC 3339 timestamp");
    EXPECT_EQ(r.issues[1].reason, "stored value is not an integer");
}

// docs/records.md: a missing field, null and '' all mean "not filled in".
TEST_F(SourceDbTest, an_empty_text_in_a_number_or_boolean_column_is_not_filled_in) {
    etl("INSERT INTO cv (id, birth_year, hours_per_day, visible, skills) VALUES ('cv-1', '', '', '', '')");
    etl("INSERT INTO cv (id, birth_year, visible) VALUES ('cv-2', ' ', 'ja')");
    model::Arena arena;
    const auto all = read_all({}, arena);
    ASSERT_EQ(all.size(), 2u);
    for (const char* field : {"birth_year", "hours_per_day", "visible", "skills"}) {
        EXPECT_TRUE(all[0].field(field).is_null()) << field;
    }
    EXPECT_TRUE(all[0].issues.empty());
    EXPECT_EQ(all[1].issues.size(), 2u) << "text that is not empty is still unreadable";
}

TEST_F(SourceDbTest, wanted_slots_limit_what_is_read) {
    write(Kind::cv, {R"({"id":"cv-1","birth_year":1980,"postcode":"1234AB"})"});
    model::Arena arena;
    ChunkQuery query;
    query.wanted.assign(model::schema_for(Kind::cv).fields.size(), false);
    query.wanted[*model::schema_for(Kind::cv).slot("postcode")] = true;
    const auto all = read_all(query, arena);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id(), "cv-1");
    EXPECT_EQ(all[0].field("postcode").string, "1234AB");
    EXPECT_TRUE(all[0].field("birth_year").is_null());
}

}  // namespace
}  // namespace spiegel::store
