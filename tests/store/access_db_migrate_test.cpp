// The access database's migration list, and AccessDb opening files of
// other versions: a reader refuses an older one that a writer then
// migrates, keeping its rows; both refuse a newer one. (Moving an earlier
// state database's rows, migration 2, is tested in access_db_test.cpp.)
#include "daemon/store/access_db_migrate.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon/store/access_db.h"
#include "daemon/util/crypto.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

bool known(AccessDb& db, const std::string& token) {
    auto found = db.lookup(token);
    return found && found->has_value();
}

TEST(AccessDbMigrate, migrations_are_listed_by_ascending_version_from_1) {
    const auto list = access_migrations("");
    ASSERT_FALSE(list.empty());
    for (std::size_t i = 0; i < list.size(); ++i) {
        EXPECT_EQ(list[i].version, static_cast<int>(i) + 1);
        EXPECT_FALSE(list[i].what.empty()) << list[i].version;
    }
}

// What version 1 created (docs/access-schema.md#schema-versions), with one token.
void write_version_1(const std::string& path, const std::string& token) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    SQLite::Database v1(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    v1.exec("CREATE TABLE access_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO access_meta VALUES ('schema_version', '1');"
            "CREATE TABLE api_token (name TEXT PRIMARY KEY, role TEXT NOT NULL, employer_id TEXT NOT NULL, "
            "hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);"
            "CREATE TABLE card_access (time TEXT NOT NULL, token_name TEXT NOT NULL, role TEXT NOT NULL, "
            "card_type TEXT NOT NULL, record_id TEXT NOT NULL, status INTEGER NOT NULL DEFAULT 200);"
            "CREATE INDEX card_access_token ON card_access(token_name, time);"
            "CREATE INDEX card_access_time ON card_access(time);");
    v1.exec("INSERT INTO api_token VALUES ('oud', 'officer', '', '" + util::sha256_hex(token) +
            "', '2026-01-01T00:00:00Z', NULL)");
}

TEST(AccessDbMigrate, a_reader_refuses_a_version_1_file_which_a_writer_then_migrates_keeping_its_tokens) {
    testing::TempDir dir;
    const std::string path = dir.file("data/access.db");
    const std::string token = "spg_" + std::string(43, 'Z');
    write_version_1(path, token);
    auto reader = AccessDb::open(path, AccessDb::Mode::read_only);
    ASSERT_FALSE(reader.ok());
    EXPECT_NE(reader.error().message.find("schema version 1 needs the upgrade"), std::string::npos)
        << reader.error().message;
    auto writer = AccessDb::open(path);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    ASSERT_TRUE(known(**writer, token));
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT value FROM access_meta WHERE key = 'schema_version'").getString(),
              std::to_string(access_migrations("").back().version));
    // Version 4: the audit log keeps no index (one page per audit commit).
    EXPECT_EQ(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'card_access'")
                  .getInt(),
              0);
    auto again = AccessDb::open(path, AccessDb::Mode::read_only);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(known(**again, token));
}

TEST(AccessDbMigrate, a_file_of_a_newer_version_is_refused) {
    testing::TempDir dir;
    const std::string path = dir.file("access.db");
    ASSERT_TRUE(AccessDb::open(path).ok());
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("UPDATE access_meta SET value = '" + std::to_string(access_migrations("").back().version + 1) +
                 "' WHERE key = 'schema_version'");
    }
    for (auto mode : {AccessDb::Mode::read_write, AccessDb::Mode::read_only}) {
        auto db = AccessDb::open(path, mode);
        ASSERT_FALSE(db.ok());
        EXPECT_NE(db.error().message.find("newer"), std::string::npos) << db.error().message;
    }
}

}  // namespace
}  // namespace spiegel::store
