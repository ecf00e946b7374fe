// `spiegeld demo` end to end: the real binary into a temporary database.
#include <gtest/gtest.h>

#include "daemon/store/source_db.h"
#include "tests/demo/demo_test_support.h"

namespace spiegel::demo {
namespace {

using spiegel::testing::run_spiegeld;
using spiegel::testing::source_dir;
using spiegel::testing::TempDir;
using spiegel::testing::write_file;
using spiegel::testing::write_test_config;

std::int64_t count(const std::string& path, model::Kind kind) {
    auto db = store::SourceDb::open(path, store::SourceDb::Mode::read_only);
    EXPECT_TRUE(db.ok());
    if (!db) {
        return -1;
    }
    auto n = (*db)->count(kind);
    return n ? *n : -1;
}

std::vector<std::string> demo_args(const std::string& config) {
    return {"demo",
            "--config",
            config,
            "--cvs",
            "200",
            "--vacancies",
            "50",
            "--employers",
            "20",
            "--seed",
            "9",
            "--as-of",
            spiegel::testing::k_demo_as_of};
}

TEST(DemoCli, demo_fills_the_configured_source_database) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    const auto run = run_spiegeld(demo_args(config), dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("wrote 20 employers, 50 vacancies, 200 cvs"), std::string::npos)
        << run.err;
    const std::string db = dir.file("data/source.db");
    EXPECT_EQ(count(db, model::Kind::cv), 200);
    EXPECT_EQ(count(db, model::Kind::vacancy), 50);
    EXPECT_EQ(count(db, model::Kind::employer), 20);
}

TEST(DemoCli, rerunning_demo_upserts_the_same_ids) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    ASSERT_EQ(run_spiegeld(demo_args(config), dir.path()).exit_code, 0);
    const auto again = run_spiegeld(demo_args(config), dir.path());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(count(dir.file("data/source.db"), model::Kind::cv), 200);
    EXPECT_EQ(count(dir.file("data/source.db"), model::Kind::employer), 20);
}

TEST(DemoCli, same_seed_writes_identical_records) {
    TempDir a;
    TempDir b;
    ASSERT_EQ(
        run_spiegeld(demo_args(write_test_config(a, source_dir() + "/rules")), a.path()).exit_code,
        0);
    ASSERT_EQ(
        run_spiegeld(demo_args(write_test_config(b, source_dir() + "/rules")), b.path()).exit_code,
        0);
    for (model::Kind kind : model::k_all_kinds) {
        std::vector<std::string> json[2];
        int i = 0;
        for (const TempDir* dir : {&a, &b}) {
            auto db = store::SourceDb::open(dir->file("data/source.db"),
                                            store::SourceDb::Mode::read_only);
            ASSERT_TRUE(db.ok());
            store::ChunkQuery query;
            query.kind = kind;
            store::Cursor cursor;
            model::Arena arena;
            std::vector<model::Record> records;
            while (true) {
                auto n = (*db)->read_chunk(query, cursor, arena, records);
                ASSERT_TRUE(n.ok());
                if (*n == 0) {
                    break;
                }
            }
            for (const auto& r : records) {
                json[i].push_back(model::record_to_json(r));
            }
            ++i;
        }
        EXPECT_FALSE(json[0].empty());
        EXPECT_EQ(json[0], json[1]) << model::kind_name(kind);
    }
}

TEST(DemoCli, defects_file_with_unknown_key_exits_2_naming_the_line) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    write_file(dir.file("defects.yaml"), "cv:\n  stale: 0.1\nvacancy:\n  lateness: 0.2\n");
    auto args = demo_args(config);
    args.insert(args.end(), {"--defects", dir.file("defects.yaml")});
    const auto run = run_spiegeld(args, dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("defects.yaml:4:3: key 'vacancy.lateness': unknown key"), std::string::npos)
        << run.err;
}

TEST(DemoCli, bad_as_of_exits_2) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    const auto run = run_spiegeld({"demo", "--config", config, "--as-of", "yesterday"}, dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("--as-of"), std::string::npos) << run.err;
}

TEST(DemoCli, negative_count_exits_2) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    const auto run = run_spiegeld({"demo", "--config", config, "--vacancies", "-1"}, dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("--vacancies"), std::string::npos) << run.err;
}

TEST(DemoCli, zero_counts_write_nothing_and_succeed) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    const auto run = run_spiegeld(
        {"demo", "--config", config, "--cvs", "0", "--vacancies", "0", "--employers", "0"},
        dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(count(dir.file("data/source.db"), model::Kind::cv), 0);
}

TEST(DemoCli, missing_occupation_list_exits_2_naming_the_file) {
    TempDir dir;
    const std::string config = write_test_config(dir);  // an empty rules directory
    const auto run = run_spiegeld({"demo", "--config", config, "--cvs", "5"}, dir.path());
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("isco08_nl.csv"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace spiegel::demo
