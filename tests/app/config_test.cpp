#include "daemon/app/config.h"

#include <gtest/gtest.h>

#include <filesystem>

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
    EXPECT_EQ(c.error().message, dir.file("c.yaml") + ":8:3: key 'scan.chunk_sise': unknown key");
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
    EXPECT_NE(c.error().message.find("key 'state.database': missing required key"), std::string::npos);
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
    EXPECT_EQ(c.error().message, "/nonexistent/spiegeld.yaml:1:1: config file not found");
}

// Loads k_minimal plus `extra`; the error message, or "" when it loads.
std::string problem_with(const TempDir& dir, const std::string& extra) {
    write_file(dir.file("c.yaml"), std::string(k_minimal) + extra);
    auto c = load_config(dir.file("c.yaml"));
    return c ? std::string() : c.error().message;
}

TEST(Config, min_cell_above_int_range_is_refused) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "privacy:\n  min_cell: 4294967297\n"),
              dir.file("c.yaml") + ":8:13: key 'privacy.min_cell': must be between 2 and 1000");
}

struct OutOfRange {
    const char* section;
    const char* key;
    const char* value;
    const char* reason;
};

void PrintTo(const OutOfRange& p, std::ostream* os) { *os << p.section << "." << p.key << ": " << p.value; }

class ConfigRange : public ::testing::TestWithParam<OutOfRange> {};

TEST_P(ConfigRange, value_is_refused_at_its_position) {
    const OutOfRange& p = GetParam();
    TempDir dir;
    const std::string key = std::string(p.section) + "." + p.key;
    const std::string column = std::to_string(std::string(p.key).size() + 5);
    EXPECT_EQ(problem_with(dir, std::string(p.section) + ":\n  " + p.key + ": " + p.value + "\n"),
              dir.file("c.yaml") + ":8:" + column + ": key '" + key + "': " + p.reason);
}

INSTANTIATE_TEST_SUITE_P(
    EveryNumber, ConfigRange,
    ::testing::Values(
        OutOfRange{"privacy", "personal_cards_per_hour", "2147483648", "must be between 1 and 1000000000"},
        OutOfRange{"privacy", "min_cell", "1", "must be between 2 and 1000"},
        OutOfRange{"privacy", "audit_retention_days", "4294967296", "must be between 1 and 36500"},
        OutOfRange{"http", "max_header_bytes", "4294967296", "must be between 512 and 1048576"},
        OutOfRange{"http", "max_body_bytes", "-1", "must be between 0 and 67108864"},
        OutOfRange{"http", "max_connections", "0", "must be between 1 and 100000"},
        OutOfRange{"http", "request_timeout", "4294967296", "must be between 1s and 1h"},
        OutOfRange{"http", "idle_timeout", "0", "must be between 1s and 1h"},
        OutOfRange{"scan", "incremental_interval", "4294967296", "must be between 1s and 7d"},
        OutOfRange{"scan", "incremental_interval", "0", "must be between 1s and 7d"},
        OutOfRange{"scan", "full_interval", "367d", "must be between 1s and 366d"},
        OutOfRange{"scan", "chunk_size", "99999999999999999999", "must be between 1 and 1000000"},
        OutOfRange{"access", "wal_max_bytes", "1024", "must be between 1048576 and 1073741824"},
        OutOfRange{"access", "audit_timeout", "50ms", "must be between 100ms and 1m"},
        OutOfRange{"access", "failed_auth_per_minute", "0", "must be between 1 and 100000"},
        OutOfRange{"scan", "full_interval", "1e3", "expected a duration such as 300, 30s, 5m, 2h or 1d"},
        OutOfRange{"scan", "full_interval", "5min", "expected a duration such as 300, 30s, 5m, 2h or 1d"},
        OutOfRange{"scan", "full_interval", "-5", "expected a duration such as 300, 30s, 5m, 2h or 1d"},
        OutOfRange{"scan", "full_interval", "\"5 m\"", "expected a duration such as 300, 30s, 5m, 2h or 1d"},
        OutOfRange{"scan", "full_interval", "''", "expected a duration such as 300, 30s, 5m, 2h or 1d"},
        OutOfRange{"http", "request_timeout", "1500ms", "must be a whole number of seconds"},
        OutOfRange{"access", "audit_timeout", "2x", "expected a duration such as 500ms, 2s or 1m"},
        OutOfRange{"http", "lifecycle", "yes", "expected true or false"},
        OutOfRange{"http", "listen", "example.org:80", "'example.org' is not an IP address or localhost"}));

TEST(Config, state_retention_days_beyond_int_is_refused) {
    TempDir dir;
    write_file(dir.file("c.yaml"), "state:\n  database: s.db\n  retention_days: 4294967296\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, dir.file("c.yaml") + ":3:19: key 'state.retention_days': must be between 1 and 3650");
}

TEST(Config, new_keys_have_their_defaults) {
    TempDir dir;
    write_file(dir.file("c.yaml"), k_minimal);
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_FALSE(c->http.lifecycle);
    EXPECT_EQ(c->http.max_connections, 256);
    EXPECT_EQ(c->http.max_connections_per_client, 64);
    EXPECT_EQ(c->access.database, dir.file("data/access.db"));
    EXPECT_EQ(c->access.wal_max_bytes, 16777216);
    EXPECT_EQ(c->access.audit_timeout_ms, 2000);
    EXPECT_EQ(c->access.failed_auth_per_minute, 20);
}

TEST(Config, new_keys_are_read) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) +
                                       "http:\n  lifecycle: true\n  max_connections: 10\n"
                                       "  max_connections_per_client: 5\n"
                                       "access:\n  database: db/access.sqlite\n  wal_max_bytes: 1048576\n"
                                       "  audit_timeout: 500ms\n  failed_auth_per_minute: 3\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c->http.lifecycle);
    EXPECT_EQ(c->http.max_connections, 10);
    EXPECT_EQ(c->http.max_connections_per_client, 5);
    EXPECT_EQ(c->access.database, dir.file("db/access.sqlite"));
    EXPECT_EQ(c->access.wal_max_bytes, 1048576);
    EXPECT_EQ(c->access.audit_timeout_ms, 500);
    EXPECT_EQ(c->access.failed_auth_per_minute, 3);
}

TEST(Config, per_client_connections_above_the_total_are_refused_at_the_per_client_key) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "http:\n  max_connections: 10\n  max_connections_per_client: 11\n"),
              dir.file("c.yaml") +
                  ":9:31: key 'http.max_connections_per_client': must not exceed http.max_connections (10)");
}

TEST(Config, per_client_default_never_exceeds_a_small_total) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "http:\n  max_connections: 8\n");
    auto c = load_config(dir.file("c.yaml"));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->http.max_connections_per_client, 8);
}

TEST(Config, duplicate_keys_are_refused) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "scan:\n  full_interval: 1h\n  full_interval: 2h\n"),
              dir.file("c.yaml") + ":9:3: key 'scan.full_interval': duplicate key");
    EXPECT_EQ(problem_with(dir, "log:\n  level: info\nlog:\n  level: debug\n"),
              dir.file("c.yaml") + ":9:1: key 'log': duplicate key");
}

TEST(Config, an_empty_value_is_reported_at_its_key_not_past_the_end_of_the_file) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "scan:\n  incremental_interval:\n"),
              dir.file("c.yaml") + ":8:3: key 'scan.incremental_interval': has no value");
    EXPECT_EQ(problem_with(dir, "scan:\n  incremental_interval: ~\n"),
              dir.file("c.yaml") + ":8:3: key 'scan.incremental_interval': has no value");
    EXPECT_EQ(problem_with(dir, "http:\n  tls:\n"), dir.file("c.yaml") + ":8:3: key 'http.tls': has no value");
}

TEST(Config, an_empty_section_or_value_is_reported_once) {
    TempDir dir;
    write_file(dir.file("c.yaml"), "source:\nstate:\n  database: data/state.db\nrules:\n  directory: ../rules\n");
    EXPECT_EQ(load_config_all(dir.file("c.yaml")).problems,
              std::vector<std::string>{dir.file("c.yaml") + ":1:1: key 'source': has no value"});
    write_file(dir.file("c.yaml"), "source:\n  kind: postgresql\n  conninfo:\n  schema:\nstate:\n  database: "
                                   "data/state.db\nrules:\n  directory: ../rules\n");
    EXPECT_EQ(load_config_all(dir.file("c.yaml")).problems,
              (std::vector<std::string>{dir.file("c.yaml") + ":3:3: key 'source.conninfo': has no value",
                                        dir.file("c.yaml") + ":4:3: key 'source.schema': has no value"}));
}

TEST(Config, a_database_path_that_is_a_directory_is_reported_at_its_key) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("data/source.db"));
    EXPECT_EQ(problem_with(dir, ""), dir.file("c.yaml") + ":2:13: key 'source.database': '" + dir.file("data/source.db") +
                                         "' is a directory, not a database file");
    std::filesystem::remove(dir.file("data/source.db"));
    EXPECT_EQ(problem_with(dir, ""), "") << "a database file that does not exist yet is fine";
    std::filesystem::create_directories(dir.file("data/access.db"));  // derived: beside state.database
    EXPECT_EQ(problem_with(dir, ""), dir.file("c.yaml") + ":4:13: key 'state.database': '" + dir.file("data/access.db") +
                                         "' (the access database beside it) is a directory, not a database file");
}

TEST(Config, unknown_key_with_control_characters_is_escaped) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "scan:\n  \"chunk\\n\\e[31msize\": 1\n"),
              dir.file("c.yaml") + ":8:3: key 'scan.chunk\\n\\x1b[31msize': unknown key");
}

TEST(Config, echoed_values_are_escaped) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "log:\n  level: \"info\\r\\nERROR forged\"\n"),
              dir.file("c.yaml") + ":8:10: key 'log.level': 'info\\r\\nERROR forged' is not one of trace, debug, "
                                   "info, warn, error");
}

// A second document would be dropped without a word, with whatever it
// sets: here TLS, which must never be switched off by a layout slip.
TEST(Config, a_second_yaml_document_is_refused_where_it_starts) {
    TempDir dir;
    EXPECT_EQ(problem_with(dir, "log:\n  level: info\n---\nhttp:\n  tls:\n    cert_file: c.pem\n"),
              dir.file("c.yaml") + ":9:1: a second YAML document: only one is read, so nothing after '---' or '...' "
                                   "would take effect; put everything in one document");
}

TEST(Config, alias_bomb_is_refused) {
    TempDir dir;
    std::string bomb = "x:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        const char prev = static_cast<char>(c - 1);
        bomb += std::string("  ") + c + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) {
            bomb += std::string(i == 0 ? "*" : ", *") + prev;
        }
        bomb += "]\n";
    }
    const std::string message = problem_with(dir, bomb);
    EXPECT_NE(message.find(": YAML document too large: more than 1000000 nodes after expanding aliases"),
              std::string::npos)
        << message;
}

TEST(Config, a_directory_is_not_a_config_file) {
    TempDir dir;
    auto c = load_config(dir.path());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, dir.path() + ":1:1: cannot read file: not a regular file");
}

TEST(Config, every_problem_is_listed_in_file_order) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "scan:\n  chunk_size: 0\nprivacy:\n  min_cel: 3\n");
    const auto all = load_config_all(dir.file("c.yaml"));
    EXPECT_FALSE(all.config);
    EXPECT_EQ(all.problems,
              (std::vector<std::string>{dir.file("c.yaml") + ":8:15: key 'scan.chunk_size': must be between 1 and 1000000",
                                        dir.file("c.yaml") + ":10:3: key 'privacy.min_cel': unknown key"}));
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

TEST(Cli, an_out_of_range_config_value_exits_2_from_every_command) {
    TempDir dir;
    write_file(dir.file("c.yaml"), std::string(k_minimal) + "privacy:\n  min_cell: 4294967297\n");
    write_file(dir.file("cvs.ndjson"), "");
    const std::string expected = dir.file("c.yaml") + ":8:13: key 'privacy.min_cell': must be between 2 and 1000";
    const std::vector<std::vector<std::string>> commands = {
        {"serve"},          {"scan"},         {"import", "--kind", "cv", dir.file("cvs.ndjson")},
        {"card", "cv", "x"}, {"demo", "--cvs", "1"}, {"token", "list"},
        {"check"}};
    for (auto args : commands) {
        args.insert(args.end(), {"--config", dir.file("c.yaml")});
        const auto r = testing::run_spiegeld(args, dir.path());
        EXPECT_EQ(r.exit_code, 2) << args[0];
        EXPECT_NE(r.err.find(expected), std::string::npos) << args[0] << ": " << r.err;
        if (args[0] == "check") {  // check reports every problem it finds: the rules' too
            EXPECT_EQ(r.err.rfind(expected, 0), 0u) << r.err;
        } else {
            EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << args[0] << ": one line: " << r.err;
        }
    }
}

TEST(Cli, version_prints_the_version) {
    auto r = testing::run_spiegeld({"version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("spiegeld ", 0), 0u);
}

}  // namespace
}  // namespace spiegel::app
