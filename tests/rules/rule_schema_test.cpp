// docs/schemas/rule-file.schema.json against every shipped rule file and
// every deliberately broken one (tests/rules/broken/: the schema and
// `spiegeld check` both refuse each; tests/rules/check_only/: mistakes only
// check can see, such as field names and regular expressions); the same for
// docs/schemas/lexicon-file.schema.json and tests/rules/broken_lexicons/.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::rules {
namespace {

namespace fs = std::filesystem;
using testing::source_dir;

std::vector<std::string> yaml_files(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".yaml") {
            out.push_back(entry.path().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// file -> "ok" or "invalid: PATH: reason", from tests/support/validate_rule_files.py
// run with Debian's python3 (its jsonschema and PyYAML).
std::map<std::string, std::string> validate_with(const std::string& schema, const std::vector<std::string>& files) {
    std::string command = "/usr/bin/python3 " + source_dir() + "/tests/support/validate_rule_files.py " +
                          source_dir() + "/docs/schemas/" + schema;
    for (const auto& f : files) {
        command += " '" + f + "'";
    }
    command += " 2>&1";
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return {};
    }
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        output.append(buffer, n);
    }
    const int status = pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
    std::map<std::string, std::string> out;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        const auto colon = line.find(": ");
        if (colon != std::string::npos) {
            out[line.substr(0, colon)] = line.substr(colon + 2);
        }
    }
    EXPECT_EQ(out.size(), files.size()) << output;
    return out;
}

std::map<std::string, std::string> validate(const std::vector<std::string>& files) {
    return validate_with("rule-file.schema.json", files);
}

// `spiegeld check --rules DIR` over a directory holding only `file` and the
// shipped code lists and lexicons it may refer to.
testing::RunResult check_alone(const std::string& file) {
    testing::TempDir dir;
    const std::string rules = dir.file("rules");
    fs::create_directories(rules);
    fs::copy(source_dir() + "/rules/codes", rules + "/codes", fs::copy_options::recursive);
    fs::copy(source_dir() + "/rules/lexicons", rules + "/lexicons", fs::copy_options::recursive);
    fs::copy_file(file, rules + "/" + fs::path(file).filename().string());
    const std::string config = testing::write_test_config(dir, rules);
    return testing::run_spiegeld({"check", "--config", config}, dir.path());
}

// `spiegeld check` over the shipped rules with `lexicon` as the discrimination lexicon.
testing::RunResult check_with_lexicon(const std::string& lexicon) {
    testing::TempDir dir;
    const std::string rules = dir.file("rules");
    fs::copy(source_dir() + "/rules", rules, fs::copy_options::recursive);
    fs::copy_file(lexicon, rules + "/lexicons/discrimination.yaml", fs::copy_options::overwrite_existing);
    const std::string config = testing::write_test_config(dir, rules);
    return testing::run_spiegeld({"check", "--config", config}, dir.path());
}

TEST(LexiconFileSchema, the_shipped_lexicon_is_valid_and_broken_ones_are_refused_by_the_schema_and_check) {
    const std::string shipped = source_dir() + "/rules/lexicons/discrimination.yaml";
    EXPECT_EQ(validate_with("lexicon-file.schema.json", {shipped}).at(shipped), "ok");
    EXPECT_EQ(check_with_lexicon(shipped).exit_code, 0);
    const auto files = yaml_files(source_dir() + "/tests/rules/broken_lexicons");
    ASSERT_GE(files.size(), 5u);
    const auto results = validate_with("lexicon-file.schema.json", files);
    for (const auto& file : files) {
        EXPECT_EQ(results.at(file).rfind("invalid: ", 0), 0u) << file << ": the schema accepts it";
        const auto checked = check_with_lexicon(file);
        EXPECT_EQ(checked.exit_code, 2) << file << ": check accepts it";
        EXPECT_NE(checked.err.find("discrimination.yaml:"), std::string::npos) << file << ": " << checked.err;
    }
}

TEST(RuleFileSchema, every_shipped_rule_file_is_valid) {
    const auto files = yaml_files(source_dir() + "/rules");
    ASSERT_GE(files.size(), 3u);
    for (const auto& [file, result] : validate(files)) {
        EXPECT_EQ(result, "ok") << file;
    }
}

TEST(RuleFileSchema, the_schema_and_check_refuse_every_broken_file) {
    const auto files = yaml_files(source_dir() + "/tests/rules/broken");
    ASSERT_GE(files.size(), 25u);
    const auto results = validate(files);
    for (const auto& file : files) {
        const auto it = results.find(file);
        ASSERT_NE(it, results.end()) << file;
        EXPECT_EQ(it->second.rfind("invalid: ", 0), 0u) << file << ": the schema accepts it";
        const auto checked = check_alone(file);
        EXPECT_EQ(checked.exit_code, 2) << file << ": check accepts it\n" << checked.out;
        const std::string name = fs::path(file).filename().string();
        EXPECT_NE(checked.err.find(name + ":"), std::string::npos) << file << ": " << checked.err;
    }
}

TEST(RuleFileSchema, mistakes_only_check_sees_pass_the_schema_and_fail_check) {
    const auto files = yaml_files(source_dir() + "/tests/rules/check_only");
    ASSERT_GE(files.size(), 3u);
    const auto results = validate(files);
    for (const auto& file : files) {
        EXPECT_EQ(results.at(file), "ok") << file;
        EXPECT_EQ(check_alone(file).exit_code, 2) << file;
    }
}

TEST(RuleFileSchema, a_valid_file_of_its_own_passes_both) {
    testing::TempDir dir;
    const std::string file = dir.file("local.yaml");
    testing::write_file(file, "kind: vacancy\nrules:\n  - id: vacancy.local.title\n    title: Titel\n"
                              "    dimension: completeness\n    advice: Geef de vacature een titel.\n"
                              "    when: {in: {field: status, values: [open, anoniem]}}\n"
                              "    check: {words: {field: title, min: 1, max: 12}}\n"
                              "overrides:\n  - {id: vacancy.local.title, weight: 3, severity: info}\n");
    EXPECT_EQ(validate({file}).at(file), "ok");
    const auto checked = check_alone(file);
    EXPECT_EQ(checked.exit_code, 0) << checked.err;
}

}  // namespace
}  // namespace spiegel::rules
