#include "daemon/app/config.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using testing::TempDir;
using testing::write_file;

const char* k_minimal =
    "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
    "rules:\n  directory: ../rules\n";

TEST(Config, shipped_config_loads_and_paths_are_relative_to_it) {
    auto c = load_config(testing::source_dir() + "/config/spiegeld.yaml");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->source.database, testing::source_dir() + "/data/source.db");
    EXPECT_EQ(c->rules.directory, testing::source_dir() + "/rules");
    EXPECT_EQ(c->http.listen, "127.0.0.1:9464");
    EXPECT_EQ(c->scan.incremental_interval_seconds, 300);
    EXPECT_EQ(c->scan.full_interval_seconds, 86400);
}

TEST(Config, unknown_key_is_reported_with_line_and_column) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "scan:\n  chunk_sise: 10\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, dir.file("c.yaml") + ":8:3: unknown key 'scan.chunk_sise'");
}

TEST(Config, wrong_type_names_the_key) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "scan:\n  chunk_size: many\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, dir.file("c.yaml") + ":8:15: key 'scan.chunk_size': expected an integer");
}

TEST(Config, bad_enum_value_lists_the_choices) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "log:\n  format: xml\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find(":8:11: key 'log.format': 'xml' is not one of text, json"),
              std::string::npos)
        << c.error().message;
}

TEST(Config, durations_accept_units) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) +
                                       "scan:\n  incremental_interval: 90s\n  full_interval: 2h\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->scan.incremental_interval_seconds, 90);
    EXPECT_EQ(c->scan.full_interval_seconds, 7200);
}

TEST(Config, missing_required_key_is_named) {
    TempDir dir;
    write_file(dir.file("c.yaml"), "source:\n  database: x.db\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("missing required key 'state.database'"), std::string::npos);
}

TEST(Config, yaml_syntax_error_has_position) {
    TempDir dir;
    write_file(dir.file("c.yaml"), "source:\n  database: [unclosed\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message.rfind(dir.file("c.yaml") + ":", 0), 0u) << c.error().message;
}

TEST(Config, missing_file_is_an_error) {
    auto c = load_config("/nonexistent/spiegeld.yaml");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, "/nonexistent/spiegeld.yaml: config file not found");
}

TEST(Cli, unknown_subcommand_is_a_usage_error) {
    auto r = testing::run_spiegeld({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("spiegeld: "), std::string::npos);
}

TEST(Cli, every_command_has_help) {
    for (const char* cmd : {"serve", "scan", "import", "check", "card", "demo", "token", "version"}) {
        auto r = testing::run_spiegeld({cmd, "--help"});
        EXPECT_EQ(r.exit_code, 0) << cmd;
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
    }
}

TEST(Cli, version_prints_the_version) {
    auto r = testing::run_spiegeld({"version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("spiegeld ", 0), 0u);
}

}  // namespace
}  // namespace spiegel::app
