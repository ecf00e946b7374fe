// `spiegeld check` on the shipped rules and on broken copies, through the
// real binary.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

namespace fs = std::filesystem;

// Copies the shipped rules directory into dir/rules and returns its path.
std::string copy_rules(const TempDir& dir) {
    const std::string target = dir.file("rules");
    fs::copy(source_dir() + "/rules", target, fs::copy_options::recursive);
    return target;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

// Replaces the first occurrence of `from` in a file.
void edit(const std::string& path, const std::string& from, const std::string& to) {
    std::string text = read_text(path);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    write_file(path, text);
}

// 1-based line of the first occurrence of `needle` in a file.
int line_of(const std::string& path, const std::string& needle) {
    const auto all = lines(read_text(path));
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].find(needle) != std::string::npos) {
            return static_cast<int>(i) + 1;
        }
    }
    return -1;
}

TEST(CheckCli, shipped_config_and_rules_pass_with_a_summary) {
    TempDir dir;
    const auto r = run_spiegeld({"check", "--config", source_dir() + "/config/spiegeld.yaml"}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("40 rules (cv 20, vacancy 15, employer 5), 40 enabled"), std::string::npos) << r.out;
    EXPECT_EQ(lines(r.out).size(), 1U);
}

TEST(CheckCli, rules_option_overrides_the_configured_directory_and_changes_nothing) {
    TempDir dir;
    const std::string config = write_test_config(dir, dir.file("empty-rules"));
    const std::string rules = copy_rules(dir);
    const auto r = run_spiegeld({"check", "--config", config, "--rules", rules}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(dir.file("data/source.db")));
    EXPECT_FALSE(fs::exists(dir.file("data/state.db")));
}

TEST(CheckCli, broken_copy_reports_every_problem_as_file_line_column_and_exits_2) {
    TempDir dir;
    const std::string config = write_test_config(dir);
    const std::string rules = copy_rules(dir);
    const std::string cv = rules + "/cv.yaml";
    edit(cv, "    weight: 3\n", "    wieght: 3\n");
    edit(rules + "/vacancy.yaml", "field: occupation_code", "field: occupaton_code");
    const int typo_line = line_of(cv, "wieght");
    const auto r = run_spiegeld({"check", "--config", config, "--rules", rules}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    const auto errs = lines(r.err);
    ASSERT_EQ(errs.size(), 2U) << r.err;
    const std::regex format(R"(^.+\.yaml:[0-9]+:[0-9]+: .+$)");
    for (const auto& e : errs) {
        EXPECT_TRUE(std::regex_match(e, format)) << e;
    }
    EXPECT_NE(r.err.find(cv + ":" + std::to_string(typo_line) + ":5: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("unknown key 'wieght'"), std::string::npos);
    EXPECT_NE(r.err.find("unknown field 'occupaton_code' for kind vacancy"), std::string::npos);
}

TEST(CheckCli, missing_code_list_and_bad_lexicon_are_reported) {
    TempDir dir;
    const std::string config = write_test_config(dir);
    const std::string rules = copy_rules(dir);
    fs::remove(rules + "/codes/sectors.csv");
    edit(rules + "/lexicons/discrimination.yaml", "\"jong team\"", "\"jong {team\"");
    const auto r = run_spiegeld({"check", "--config", config, "--rules", rules}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("code list 'codes/sectors.csv' not found"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("discrimination.yaml:"), std::string::npos) << r.err;
}

TEST(CheckCli, yaml_syntax_error_is_reported_with_position) {
    TempDir dir;
    const std::string config = write_test_config(dir);
    write_file(dir.file("rules/x.yaml"), "kind: cv\nrules:\n  - id: cv.x\n    title: [oops\n");
    const auto r = run_spiegeld({"check", "--config", config}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(x\.yaml:[0-9]+:[0-9]+: YAML syntax error)"))) << r.err;
}

TEST(CheckCli, config_problem_is_reported_and_exits_2) {
    TempDir dir;
    write_file(dir.file("bad.yaml"), "source:\n  database: a.db\nstate:\n  database: b.db\nrules:\n  directory: .\nsorce: 1\n");
    const auto r = run_spiegeld({"check", "--config", dir.file("bad.yaml")}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(bad\.yaml:[0-9]+:[0-9]+: )"))) << r.err;
}

TEST(CheckCli, an_empty_rules_directory_is_refused_by_check_and_scan) {
    TempDir dir;
    const std::string config = write_test_config(dir);
    const std::string expected = dir.file("rules") + ":1:1: no rules defined: a rule set needs at least one enabled rule\n";
    const auto check = run_spiegeld({"check", "--config", config}, dir.path());
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_EQ(check.out, "");
    EXPECT_EQ(check.err, expected);
    const auto scan = run_spiegeld({"scan", "--config", config}, dir.path());
    EXPECT_EQ(scan.exit_code, 2);
    EXPECT_EQ(scan.err.rfind(expected, 0), 0U) << scan.err;
    EXPECT_FALSE(fs::exists(dir.file("data/state.db")));
}

TEST(CheckCli, a_rules_path_that_cannot_be_listed_is_refused_with_the_reason) {
    TempDir dir;
    const std::string config = write_test_config(dir);
    write_file(dir.file("not-a-dir"), "kind: cv\n");
    const auto r = run_spiegeld({"check", "--config", config, "--rules", dir.file("not-a-dir")}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, dir.file("not-a-dir") + ":1:1: cannot read rules directory: Not a directory\n");
}

TEST(CheckCli, every_config_problem_is_listed_at_its_key) {
    TempDir dir;
    const std::string config = write_test_config(dir, copy_rules(dir));
    std::string text = read_text(config);
    text.replace(text.find("listen: 127.0.0.1:0"), 19, "listen: example.org:80");
    write_file(config, text + "scan:\n  full_interval: 1h\n  full_interval: 2h\n");
    const auto r = run_spiegeld({"check", "--config", config}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, config + ":8:11: key 'http.listen': 'example.org' is not an IP address or localhost\n" +
                         config + ":11:3: key 'scan.full_interval': duplicate key\n");
}

// Problems found when the files a config names are opened are reported at
// the key that names them, as problems of the values themselves are.
TEST(CheckCli, a_file_the_config_names_is_reported_at_its_key) {
    TempDir dir;
    const std::string config = write_test_config(dir, copy_rules(dir));
    write_file(dir.file("tok.txt"), "short\n");
    ::chmod(dir.file("tok.txt").c_str(), 0600);
    write_file(config, read_text(config) + "  metrics_token_file: tok.txt\n  tls:\n    cert_file: nope.crt\n"
                                           "    key_file: nope.key\n");
    const int token_line = line_of(config, "metrics_token_file");
    const auto r = run_spiegeld({"check", "--config", config}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(config + ":" + std::to_string(token_line + 2) + ":16: key 'http.tls.cert_file': TLS "
                         "certificate '" + dir.file("nope.crt") + "' does not load: cannot be read (No such file or "
                         "directory)\n"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(config + ":" + std::to_string(token_line) + ":23: key 'http.metrics_token_file': '" +
                         dir.file("tok.txt") + "': must hold one token"),
              std::string::npos)
        << r.err;
}

// A rules directory that does not exist is a problem of the config key, for
// every command that loads the rules; check still checks the rules of a
// config with other problems.
TEST(CheckCli, a_missing_rules_directory_is_reported_at_its_key_and_other_problems_do_not_hide_the_rules) {
    TempDir dir;
    const std::string config = write_test_config(dir, dir.file("nonexistent"));
    fs::remove(dir.file("nonexistent"));
    const int line = line_of(config, "nonexistent");
    const std::string expected = config + ":" + std::to_string(line) + ":14: key 'rules.directory': '" +
                                 dir.file("nonexistent") + "': no such directory\n";
    for (const std::vector<std::string>& args : {std::vector<std::string>{"check", "--config", config},
                                                  std::vector<std::string>{"scan", "--config", config},
                                                  std::vector<std::string>{"serve", "--config", config}}) {
        const auto r = run_spiegeld(args, dir.path());
        EXPECT_EQ(r.exit_code, 2) << args[0];
        EXPECT_NE(r.err.find(expected), std::string::npos) << args[0] << ": " << r.err;
    }
    const std::string rules = copy_rules(dir);
    edit(rules + "/cv.yaml", "weight:", "wieght:");
    const std::string other = write_test_config(dir, rules);
    write_file(other, read_text(other) + "bogus: 1\n");
    const auto both = run_spiegeld({"check", "--config", other}, dir.path());
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("key 'bogus': unknown key"), std::string::npos) << both.err;
    EXPECT_NE(both.err.find(rules + "/cv.yaml:"), std::string::npos) << "the rules were checked too: " << both.err;
}

}  // namespace
}  // namespace spiegel::testing
