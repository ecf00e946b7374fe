// Common options anywhere on the command line (docs/cli.md): --config
// before the subcommand, after it, and after the subcommand's own
// arguments, as git and kubectl users expect.
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

struct Cli {
    TempDir dir;
    std::string config = write_test_config(dir, source_dir() + "/rules");
    // The working directory has no config/spiegeld.yaml: only --config finds one.
    RunResult run(const std::vector<std::string>& args) const { return run_spiegeld(args, dir.path()); }
};

TEST(CliOptions, config_after_the_token_actions_arguments) {
    Cli cli;
    const auto added = cli.run({"token", "add", "anna", "--role", "adviser", "--config", cli.config});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto listed = cli.run({"token", "list", "--config", cli.config});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("anna\tadviser"), std::string::npos) << listed.out;
}

TEST(CliOptions, config_before_the_subcommand) {
    Cli cli;
    const auto added = cli.run({"--config", cli.config, "token", "add", "bert", "--role", "officer"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const auto listed = cli.run({"--config", cli.config, "token", "list"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("bert\tofficer"), std::string::npos) << listed.out;
    const auto checked = cli.run({"--config", cli.config, "check"});
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
}

TEST(CliOptions, config_between_subcommand_and_action) {
    Cli cli;
    const auto added = cli.run({"token", "--config", cli.config, "add", "carla", "--role", "adviser"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
}

TEST(CliOptions, config_after_the_other_options_of_check) {
    Cli cli;
    const auto checked = cli.run({"check", "--config", cli.config});
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
}

TEST(CliOptions, two_different_config_files_are_a_usage_error) {
    Cli cli;
    const auto r = cli.run({"--config", cli.config, "check", "--config", cli.dir.file("other.yaml")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--config is given twice"), std::string::npos) << r.err;
}

TEST(CliOptions, without_config_the_default_path_is_named) {
    Cli cli;
    const auto r = cli.run({"check"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("config/spiegeld.yaml"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace spiegel::testing
