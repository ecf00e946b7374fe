// spiegeld token add|list|revoke: the real binary, exit codes and output.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>

#include <sys/wait.h>

#include "daemon/store/access_db.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

std::optional<store::Principal> principal_of(store::AccessDb& store, std::string_view token) {
    auto found = store.lookup(token);
    return found ? *found : std::nullopt;
}

struct TokenCli {
    TempDir dir;
    std::string config = write_test_config(dir);
    std::string state = dir.file("data/access.db");  // where the tokens are

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"token", "--config", config});
        return run_spiegeld(args, dir.path());
    }
};

std::string state_bytes(const std::string& path) {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
        if (std::filesystem::exists(path + suffix)) {
            bytes += read_text(path + suffix);
        }
    }
    return bytes;
}

TEST(TokenCli, add_prints_exactly_one_line_that_authenticates) {
    TokenCli cli;
    const auto r = cli.run({"add", "adviseur-1", "--role", "adviser"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_FALSE(r.out.empty());
    EXPECT_EQ(r.out.back(), '\n');
    const std::string token = r.out.substr(0, r.out.size() - 1);
    EXPECT_EQ(token.find('\n'), std::string::npos);
    EXPECT_EQ(token.rfind("spg_", 0), 0U);
    EXPECT_EQ(r.err.find(token), std::string::npos);
    EXPECT_EQ(state_bytes(cli.state).find(token), std::string::npos);

    auto store = store::AccessDb::open(cli.state);
    ASSERT_TRUE(store.ok());
    const auto principal = principal_of(**store, token);
    ASSERT_TRUE(principal.has_value());
    EXPECT_EQ(principal->name, "adviseur-1");
    EXPECT_EQ(principal->role, store::Role::adviser);
}

// Runs `spiegeld ARGS` through the shell with stdout redirected by
// `redirect` (">/dev/full", ">&-"); returns the exit status, stderr in *err.
int run_redirected(const TokenCli& cli, const std::string& args, const std::string& redirect, std::string* err) {
    const std::string err_file = cli.dir.file("stderr.txt");
    const std::string command = "cd '" + cli.dir.path() + "' && '" + spiegeld_binary() + "' " + args + " " +
                                redirect + " 2>'" + err_file + "'";
    const int raw = std::system(command.c_str());
    *err = read_text(err_file);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

TEST(TokenCli, a_token_that_cannot_be_printed_is_not_stored) {
    TokenCli cli;
    for (const std::string redirect : {">/dev/full", ">&-"}) {
        std::string err;
        const std::string name = redirect == ">&-" ? "closed" : "full";
        EXPECT_EQ(run_redirected(cli, "token --config '" + cli.config + "' add " + name + " --role adviser", redirect,
                                 &err),
                  1)
            << redirect;
        EXPECT_NE(err.find("cannot write the token to standard output, so it was not stored"), std::string::npos)
            << err;
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << "one line: " << err;
    }
    const auto listed = cli.run({"list"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(listed.out.find("full\t"), std::string::npos) << listed.out;
    EXPECT_EQ(listed.out.find("closed\t"), std::string::npos) << listed.out;
    // The name stays free, and a printed token is stored as before.
    const auto added = cli.run({"add", "full", "--role", "adviser"});
    EXPECT_EQ(added.exit_code, 0) << added.err;
}

TEST(TokenCli, output_lost_on_a_full_or_closed_stdout_is_a_runtime_failure) {
    TokenCli cli;
    ASSERT_EQ(cli.run({"add", "anna", "--role", "adviser"}).exit_code, 0);
    for (const std::string& args : {std::string("version"), "token --config '" + cli.config + "' list",
                                   std::string("schema postgresql")}) {
        for (const std::string redirect : {">/dev/full", ">&-"}) {
            std::string err;
            EXPECT_EQ(run_redirected(cli, args, redirect, &err), 1) << args << " " << redirect;
            EXPECT_EQ(err.rfind("spiegeld: cannot write to standard output", 0), 0u) << args << ": " << err;
        }
    }
}

TEST(TokenCli, employer_token_is_bound_to_its_employer) {
    TokenCli cli;
    const auto r = cli.run({"add", "werkgever", "--role", "employer", "--employer", "E42"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto store = store::AccessDb::open(cli.state);
    ASSERT_TRUE(store.ok());
    const auto principal = principal_of(**store, r.out.substr(0, r.out.size() - 1));
    ASSERT_TRUE(principal.has_value());
    EXPECT_EQ(principal->employer, "E42");
}

TEST(TokenCli, duplicate_name_exits_1_with_a_reason) {
    TokenCli cli;
    ASSERT_EQ(cli.run({"add", "a", "--role", "officer"}).exit_code, 0);
    const auto r = cli.run({"add", "a", "--role", "adviser"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
}

TEST(TokenCli, employer_flag_must_match_the_role) {
    TokenCli cli;
    EXPECT_EQ(cli.run({"add", "w", "--role", "employer"}).exit_code, 2);
    EXPECT_EQ(cli.run({"add", "w", "--role", "employer", "--employer", ""}).exit_code, 2);
    EXPECT_EQ(cli.run({"add", "a", "--role", "adviser", "--employer", "E1"}).exit_code, 2);
    EXPECT_EQ(cli.run({"add", "o", "--role", "officer", "--employer", "E1"}).exit_code, 2);
    EXPECT_EQ(cli.run({"add", "x", "--role", "admin"}).exit_code, 2);
    const auto list = cli.run({"list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out, "NAME\tROLE\tEMPLOYER\tCREATED\tREVOKED\n");  // nothing was stored
}

// The employer id is a record id (docs/records.md); nothing else is stored,
// and a row not written by `add` (by hand, by an older version) is listed
// escaped: it can add neither a column nor a line, nor reach the terminal.
TEST(TokenCli, the_employer_id_is_checked_and_listed_escaped) {
    TokenCli cli;
    for (const std::string& bad : {std::string("x\tfake\nroot\tofficer"), std::string("e\x1b[31m"),
                                   std::string(65, 'e'), std::string("e 1")}) {
        const auto r = cli.run({"add", "w", "--role", "employer", "--employer", bad});
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.err.find("--employer: not an employer id"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
    }
    ASSERT_EQ(cli.run({"add", "w", "--role", "employer", "--employer", std::string(64, 'e')}).exit_code, 0);
    {
        SQLite::Database db(cli.state, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO api_token (name, role, employer_id, hash, created_at) VALUES "
                "('hand' || char(9) || 'made', 'employer', 'x' || char(9) || 'fake' || char(10) || 'root' || "
                "char(27) || '[31m', 'ab', '2026-01-01T00:00:00Z')");
    }
    const auto list = cli.run({"list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 3) << list.out;
    EXPECT_EQ(list.out.find('\x1b'), std::string::npos);
    EXPECT_NE(list.out.find("hand\\tmade\temployer\tx\\tfake\\nroot\\x1b[31m\t"), std::string::npos) << list.out;
}

TEST(TokenCli, list_shows_names_roles_and_times_sorted_never_tokens) {
    TokenCli cli;
    const auto b = cli.run({"add", "bravo", "--role", "officer"});
    const auto a = cli.run({"add", "alpha", "--role", "employer", "--employer", "E7"});
    ASSERT_EQ(a.exit_code, 0);
    ASSERT_EQ(b.exit_code, 0);
    ASSERT_EQ(cli.run({"revoke", "bravo"}).exit_code, 0);
    const auto list = cli.run({"list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out.find(a.out.substr(0, a.out.size() - 1)), std::string::npos);
    EXPECT_EQ(list.out.find(b.out.substr(0, b.out.size() - 1)), std::string::npos);
    EXPECT_EQ(list.out.find("spg_"), std::string::npos);
    const auto alpha = list.out.find("\nalpha\temployer\tE7\t");
    const auto bravo = list.out.find("\nbravo\tofficer\t-\t");
    ASSERT_NE(alpha, std::string::npos) << list.out;
    ASSERT_NE(bravo, std::string::npos) << list.out;
    EXPECT_LT(alpha, bravo);
    // alpha is active ("-" revoked); bravo has a revoke time.
    const std::string alpha_line =
        list.out.substr(alpha + 1, list.out.find('\n', alpha + 1) - alpha - 1);
    EXPECT_EQ(alpha_line.substr(alpha_line.size() - 2), "\t-");
    const std::string bravo_line =
        list.out.substr(bravo + 1, list.out.find('\n', bravo + 1) - bravo - 1);
    EXPECT_EQ(bravo_line.back(), 'Z');
}

TEST(TokenCli, revoke_takes_effect_for_an_open_store) {
    TokenCli cli;
    const auto added = cli.run({"add", "adviseur", "--role", "adviser"});
    ASSERT_EQ(added.exit_code, 0);
    const std::string token = added.out.substr(0, added.out.size() - 1);
    auto daemon = store::AccessDb::open(cli.state);
    ASSERT_TRUE(daemon.ok());
    ASSERT_TRUE(principal_of(**daemon, token).has_value());
    const auto r = cli.run({"revoke", "adviseur"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_FALSE(principal_of(**daemon, token).has_value());
}

TEST(TokenCli, revoke_of_unknown_name_exits_1) {
    TokenCli cli;
    const auto r = cli.run({"revoke", "nobody"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("nobody"), std::string::npos);
}

TEST(TokenCli, missing_config_exits_2) {
    TokenCli cli;
    const auto r =
        run_spiegeld({"token", "--config", cli.dir.file("absent.yaml"), "list"}, cli.dir.path());
    EXPECT_EQ(r.exit_code, 2);
}

TEST(TokenCli, config_after_the_action_arguments_is_accepted) {
    TokenCli cli;
    const auto added = run_spiegeld({"token", "add", "adviseur", "--role", "adviser", "--config", cli.config},
                                    cli.dir.path());
    EXPECT_EQ(added.exit_code, 0) << added.err;
    const auto listed = run_spiegeld({"token", "list", "--config", cli.config}, cli.dir.path());
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("adviseur\tadviser"), std::string::npos) << listed.out;
    const auto revoked = run_spiegeld({"token", "revoke", "adviseur", "--config", cli.config}, cli.dir.path());
    EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
}

TEST(TokenCli, revoke_of_a_name_with_control_characters_echoes_it_escaped) {
    TokenCli cli;
    const auto r = cli.run({"revoke", "x\n\x1b[31mforged"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no token named 'x\\n\\x1b[31mforged'"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

}  // namespace
}  // namespace spiegel::testing
