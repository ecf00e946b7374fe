// load_rule_set on directories and files that cannot be read, and on sets
// without an enabled rule: each is a diagnostic naming the path and the
// reason, never an empty rule set that would score every record 100.

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

namespace fs = std::filesystem;

std::string only_problem(const rules::LoadResult& result) {
    EXPECT_EQ(result.rule_set, nullptr);
    EXPECT_EQ(result.diagnostics.size(), 1U);
    return result.diagnostics.empty() ? std::string() : result.diagnostics[0].to_string();
}

// Runs load_rule_set(dir) in a child process without root's power to
// ignore file permissions (as `nobody` when the tests run as root) and
// returns its diagnostics, one per line; nothing when that is not possible.
std::optional<std::string> problems_as_unprivileged(const std::string& dir) {
    int out[2];
    if (pipe(out) != 0) {
        return std::nullopt;
    }
    const pid_t pid = fork();
    if (pid == 0) {
        close(out[0]);
        if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
            _exit(3);
        }
        const std::string text = messages(rules::load_rule_set(dir).diagnostics);
        const ssize_t written = write(out[1], text.data(), text.size());
        _exit(written == static_cast<ssize_t>(text.size()) ? 0 : 4);
    }
    close(out[1]);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) {
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return std::nullopt;
    }
    return text;
}

TEST(RuleLoader, an_unlistable_rules_directory_is_an_error_not_an_empty_set) {
    RuleDir dir;
    dir.file("cv.yaml", one_rule("cv", "{present: email}"));
    const std::string top = fs::path(dir.path()).parent_path().string();
    fs::permissions(top, fs::perms::owner_all | fs::perms::others_exec);  // nobody may pass
    fs::permissions(dir.path(), fs::perms::none);
    const auto text = problems_as_unprivileged(dir.path());
    fs::permissions(dir.path(), fs::perms::owner_all);
    if (!text) {
        GTEST_SKIP() << "cannot drop privileges here";
    }
    EXPECT_EQ(*text, dir.path() + ":1:1: cannot read rules directory: Permission denied\n");
}

TEST(RuleLoader, an_unreadable_rule_file_names_the_os_reason) {
    RuleDir dir;
    dir.file("cv.yaml", one_rule("cv", "{present: email}"));
    dir.file("vacancy.yaml", one_rule("vacancy", "{present: employer_id}"));
    const std::string top = fs::path(dir.path()).parent_path().string();
    fs::permissions(top, fs::perms::owner_all | fs::perms::others_exec);
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir.path() + "/cv.yaml", fs::perms::owner_read | fs::perms::others_read);
    fs::permissions(dir.path() + "/vacancy.yaml", fs::perms::none);
    const auto text = problems_as_unprivileged(dir.path());
    if (!text) {
        GTEST_SKIP() << "cannot drop privileges here";
    }
    EXPECT_EQ(*text, dir.path() + "/vacancy.yaml:1:1: cannot read file: Permission denied\n");
}

TEST(RuleLoader, a_file_in_place_of_the_directory_cannot_be_listed) {
    TempDir dir;
    write_file(dir.file("rules"), "kind: cv\n");
    EXPECT_EQ(only_problem(rules::load_rule_set(dir.file("rules"))),
              dir.file("rules") + ":1:1: cannot read rules directory: Not a directory");
}

TEST(RuleLoader, a_missing_directory_is_not_found) {
    EXPECT_EQ(only_problem(rules::load_rule_set("/nonexistent/spiegel-rules")),
              "/nonexistent/spiegel-rules:1:1: rules directory not found");
}

TEST(RuleLoader, a_dangling_symlink_rule_file_is_reported_not_skipped) {
    RuleDir dir;
    dir.file("cv.yaml", one_rule("cv", "{present: email}"));
    fs::create_symlink(dir.path() + "/gone.yaml.orig", dir.path() + "/vacancy.yaml");
    EXPECT_EQ(only_problem(dir.load()), dir.path() + "/vacancy.yaml:1:1: cannot read file: No such file or directory");
}

TEST(RuleLoader, a_fifo_rule_file_is_refused_without_blocking) {
    RuleDir dir;
    dir.file("cv.yaml", one_rule("cv", "{present: email}"));
    ASSERT_EQ(mkfifo((dir.path() + "/vacancy.yaml").c_str(), 0600), 0);
    EXPECT_EQ(only_problem(dir.load()), dir.path() + "/vacancy.yaml:1:1: cannot read file: not a regular file");
}

TEST(RuleLoader, an_empty_directory_is_an_error) {
    RuleDir dir;
    dir.file("codes/regions.csv", "code\nAM01\n");
    EXPECT_EQ(only_problem(dir.load()),
              dir.path() + ":1:1: no rules defined: a rule set needs at least one enabled rule");
}

TEST(RuleLoader, only_empty_rule_files_is_an_error) {
    RuleDir dir;
    dir.file("cv.yaml", "# nothing yet\n");
    dir.file("vacancy.yaml", "kind: vacancy\nrules:\n");
    EXPECT_EQ(only_problem(dir.load()),
              dir.path() + ":1:1: no rules defined: a rule set needs at least one enabled rule");
}

TEST(RuleLoader, every_rule_disabled_by_overrides_is_an_error) {
    RuleDir dir;
    dir.file("cv.yaml", one_rule("cv", "{present: email}", "", "cv.a") +
                            "  - {id: cv.b, title: B, dimension: validity, advice: B, enabled: false, "
                            "check: {present: phone}}\n");
    dir.file("site.yaml", "overrides:\n  - {id: cv.a, enabled: false}\n");
    EXPECT_EQ(only_problem(dir.load()),
              dir.path() + ":1:1: no enabled rules: all 2 rules are disabled; a rule set needs at least one "
                           "enabled rule");
}

TEST(RuleLoader, billion_laughs_rule_file_is_refused) {
    RuleDir dir;
    dir.file("cv.yaml", read_text(source_dir() + "/tests/rules/data/billion_laughs.yaml"));
    EXPECT_EQ(only_problem(dir.load()),
              dir.path() + "/cv.yaml:12:23: YAML document too large: more than 1000000 nodes after expanding "
                           "aliases");
}

}  // namespace
}  // namespace spiegel::testing
