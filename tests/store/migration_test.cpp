// The versioned migration runner on a scratch SQLite file: migrations run
// in order from the stored version on, the last version is stored, newer
// files are refused and readers accept only the current version.
#include "daemon/store/migration.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

struct MigrationFixture {
    testing::TempDir dir;
    SQLite::Database db{dir.file("m.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    std::vector<int> ran;

    std::vector<Migration> list() {
        std::vector<Migration> out;
        for (int v : {1, 2, 3}) {
            out.push_back({v, "test", [this, v](SQLite::Database& d) {
                               if (v == 1) {
                                   d.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                               }
                               ran.push_back(v);
                           }});
        }
        return out;
    }
};

TEST(Migration, a_new_file_runs_every_migration_in_order_and_stores_the_last_version) {
    MigrationFixture f;
    EXPECT_EQ(stored_schema_version(f.db, "meta"), 0);
    migrate(f.db, "meta", 0, f.list());
    EXPECT_EQ(f.ran, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(stored_schema_version(f.db, "meta"), 3);
}

TEST(Migration, an_older_file_runs_only_the_newer_migrations_and_a_current_one_none) {
    MigrationFixture f;
    f.db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    store_schema_version(f.db, "meta", 1);
    migrate(f.db, "meta", stored_schema_version(f.db, "meta"), f.list());
    EXPECT_EQ(f.ran, (std::vector<int>{2, 3}));
    EXPECT_EQ(stored_schema_version(f.db, "meta"), 3);
    f.ran.clear();
    migrate(f.db, "meta", stored_schema_version(f.db, "meta"), f.list());
    EXPECT_TRUE(f.ran.empty());
}

TEST(Migration, a_newer_file_is_refused_before_anything_runs) {
    MigrationFixture f;
    try {
        migrate(f.db, "meta", 4, f.list());
        FAIL() << "a file of version 4 was accepted";
    } catch (const SchemaError& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(f.ran.empty());
}

TEST(Migration, readers_accept_only_the_current_version_and_say_why_not) {
    EXPECT_NO_THROW(require_readable(3, 3, "a scan"));
    auto message = [](int stored) {
        try {
            require_readable(stored, 3, "a scan");
        } catch (const SchemaError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message(4).find("newer"), std::string::npos) << message(4);
    EXPECT_NE(message(0).find("no schema yet (a scan creates it)"), std::string::npos) << message(0);
    EXPECT_NE(message(2).find("schema version 2 needs the upgrade to version 3"), std::string::npos) << message(2);
    EXPECT_NE(message(2).find("readers never make"), std::string::npos) << message(2);
}

}  // namespace
}  // namespace spiegel::store
