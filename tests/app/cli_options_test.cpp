// Common options anywhere on the command line (docs/cli.md): --config
// before the subcommand, after it, and after the subcommand's own
// arguments, as git and kubectl users expect.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "tests/app/serve_fixture.h"
#include "tests/http/raw_client.h"
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

TEST(CliOptions, config_after_the_commands_that_read_none) {
    Cli cli;
    const auto version = cli.run({"version", "--config", cli.config});
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_EQ(version.out.rfind("spiegeld ", 0), 0u) << version.out;
    const auto schema = cli.run({"schema", "postgresql", "--config", cli.config});
    EXPECT_EQ(schema.exit_code, 0) << schema.err;
    EXPECT_NE(schema.out.find("CREATE TABLE"), std::string::npos);
}

TEST(CliOptions, two_different_config_files_are_a_usage_error) {
    Cli cli;
    const auto r = cli.run({"--config", cli.config, "check", "--config", cli.dir.file("other.yaml")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--config is given twice"), std::string::npos) << r.err;
}

// serve is the default subcommand (docs/cli.md), so its options work
// without the word: `spiegeld --config F --listen HOST:PORT` runs the daemon.
TEST(CliOptions, serve_options_work_without_the_subcommand) {
    Cli cli;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--config", cli.config, "--listen", "127.0.0.1:0"},
          std::vector<std::string>{"--listen", "127.0.0.1:0", "--config", cli.config},
          std::vector<std::string>{"--listen", "127.0.0.1:0", "serve", "--config", cli.config}}) {
        static int run = 0;
        DaemonProcess daemon(args, cli.dir.path(), cli.dir.file("serve-" + std::to_string(++run) + ".log"));
        const int port = daemon.port();
        ASSERT_GT(port, 0) << daemon.log();
        EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200) << daemon.log();
        daemon.signal(SIGTERM);
        EXPECT_EQ(daemon.wait_exit(std::chrono::seconds(10)), std::optional<int>(0));
    }
    const auto other = cli.run({"--listen", "127.0.0.1:0", "check", "--config", cli.config});
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.err.find("--listen is an option of serve"), std::string::npos) << other.err;
    const auto twice = cli.run({"--listen", "127.0.0.1:0", "serve", "--listen", "127.0.0.1:1", "--config", cli.config});
    EXPECT_EQ(twice.exit_code, 2);
    EXPECT_NE(twice.err.find("--listen is given twice"), std::string::npos) << twice.err;
}

// An empty value is not "no value": `--as-of ""` (an unset variable in a
// script) must not scan as of now, nor `--report ""` skip the report.
// Numbers outside their range are usage errors, not wrapped or clamped.
TEST(CliOptions, empty_values_and_seeds_out_of_range_are_usage_errors) {
    Cli cli;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"scan", "--config", cli.config, "--as-of", ""}, "--as-of: must not be empty"},
        {{"scan", "--config", cli.config, "--report", ""}, "--report: must not be empty"},
        {{"demo", "--config", cli.config, "--as-of", ""}, "--as-of: must not be empty"},
        {{"check", "--config", ""}, "--config: must not be empty"},
        {{"--config", "", "check"}, "--config: must not be empty"},
        {{"check", "--config", cli.config, "--rules", ""}, "--rules: must not be empty"},
        {{"card", "--config", cli.config, "occupation", "2512", "--region", ""}, "--region: must not be empty"},
        {{"card", "--config", cli.config, "cv", ""}, "id: must not be empty"},
        {{"import", "--config", cli.config, "--kind", "cv", ""}, "file: must not be empty"},
        {{"token", "--config", cli.config, "add", "", "--role", "officer"}, "name: must not be empty"},
        {{"token", "--config", cli.config, "revoke", ""}, "name: must not be empty"},
        {{"demo", "--config", cli.config, "--seed", "-1"}, "--seed: expected a whole number"},
        {{"demo", "--config", cli.config, "--seed", "18446744073709551616"}, "--seed: expected a whole number"},
        {{"demo", "--config", cli.config, "--seed", "12abc"}, "--seed: expected a whole number"},
    };
    for (const auto& [args, reason] : cases) {
        const auto r = cli.run(args);
        EXPECT_EQ(r.exit_code, 2) << args[0] << " " << reason << ": " << r.err;
        EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    const auto top = cli.run({"demo", "--config", cli.config, "--cvs", "3", "--vacancies", "1", "--employers", "1",
                              "--seed", "18446744073709551615"});
    EXPECT_EQ(top.exit_code, 0) << top.err;
}

TEST(CliOptions, without_config_the_default_path_is_named) {
    Cli cli;
    const auto r = cli.run({"check"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("config/spiegeld.yaml"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace spiegel::testing
