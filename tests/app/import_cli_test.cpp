// `spiegeld import` through the real binary: messages, exit codes, stdin,
// --strict, and atomicity under kill -9.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/store/source_db.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using model::Kind;
using testing::run_spiegeld;
using testing::TempDir;

class ImportCliTest : public ::testing::Test {
  protected:
    void SetUp() override { m_config = testing::write_test_config(m_dir); }

    testing::RunResult import(const std::vector<std::string>& extra,
                              const std::string& input = "") {
        std::vector<std::string> args = {"import", "--config", m_config, "--kind", "cv"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_spiegeld(args, m_dir.path(), input);
    }

    std::unique_ptr<store::SourceDb> open_db() {
        auto db =
            store::SourceDb::open(m_dir.file("data/source.db"), store::SourceDb::Mode::read_write);
        EXPECT_TRUE(db) << db.error().message;
        return db ? std::move(*db) : nullptr;
    }

    // Every stored CV as JSON plus its change_seq, and the sequence counter.
    std::vector<std::string> snapshot() {
        auto db = open_db();
        std::vector<std::string> out;
        if (!db) {
            return out;
        }
        model::Arena arena;
        std::vector<model::Record> records;
        store::Cursor cursor;
        store::ChunkQuery query;
        while (true) {
            auto n = db->read_chunk(query, cursor, arena, records);
            if (!n || *n == 0) {
                break;
            }
        }
        for (const auto& r : records) {
            out.push_back(model::record_to_json(r) + " @" + std::to_string(r.change_seq));
        }
        out.push_back("seq " + std::to_string(*db->current_change_seq()));
        return out;
    }

    TempDir m_dir;
    std::string m_config;
};

TEST_F(ImportCliTest, clean_file_prints_the_summary_and_exits_0) {
    testing::write_file(m_dir.file("in.ndjson"), "{\"id\":\"cv-1\"}\n\n{\"id\":\"cv-2\"}\n");
    const auto r = import({"in.ndjson"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "read 2, imported 2, rejected 0\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(*open_db()->count(Kind::cv), 2);
}

TEST_F(ImportCliTest, rejected_lines_are_reported_as_file_line_reason_and_exit_1) {
    testing::write_file(m_dir.file("in.ndjson"),
                        "{\"id\":\"cv-1\",\"email\":\"piet@example.nl\"}\n"
                        "{\"id\":\"cv-2\",\"phone\":612345678}\n"
                        "{\"id\":\"cv-3\"}\n"
                        "{\"id\":\"piet@example.nl\"}\n");
    const auto r = import({"in.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "read 4, imported 2, rejected 2\n");
    EXPECT_EQ(r.err,
              "in.ndjson:2: field 'phone': expected a string, got an integer\n"
              "in.ndjson:4: invalid 'id': must be 1 to 64 characters from [A-Za-z0-9._-]\n");
    EXPECT_EQ(r.err.find("612345678"), std::string::npos);
    EXPECT_EQ(r.err.find("piet"), std::string::npos);
    EXPECT_EQ(*open_db()->all_ids(Kind::cv), (std::vector<std::string>{"cv-1", "cv-3"}));
}

// The key is no field of the contract: text from the line, never repeated.
TEST_F(ImportCliTest, a_forged_field_name_gives_one_message_line_without_it) {
    const std::string value(64 * 1024 + 1, 'y');
    testing::write_file(m_dir.file("in.ndjson"),
                        "{\"id\":\"cv-1\",\"x\\nin.ndjson:9: \\u001b[31mforged\":\"" + value + "\"}\n");
    const auto r = import({"in.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "in.ndjson:1: string longer than 65536 bytes in a field that is not in the record contract\n");
}

TEST_F(ImportCliTest, a_repeated_id_key_in_one_line_is_refused_not_stored_under_the_last) {
    testing::write_file(m_dir.file("in.ndjson"), "{\"id\":\"cv-1\",\"birth_year\":1970}\n"
                                                  "{\"id\":\"cv-2\",\"id\":\"cv-1\",\"birth_year\":1999}\n");
    const auto r = import({"in.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "in.ndjson:2: field 'id' appears twice in one object\n");
}

TEST_F(ImportCliTest, a_file_name_with_a_line_break_is_escaped_in_messages) {
    testing::write_file(m_dir.file("a\nb.ndjson"), "{\"id\":12}\n");
    const auto r = import({"a\nb.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "a\\nb.ndjson:1: field 'id': expected a string, got an integer\n");
}

TEST_F(ImportCliTest, file_is_named_as_given_in_messages) {
    testing::write_file(m_dir.file("sub/dir/x.ndjson"), "{}\n");
    const auto r = import({"sub/dir/x.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "sub/dir/x.ndjson:1: missing 'id'\n");
}

TEST_F(ImportCliTest, stdin_input_is_read_and_named_stdin) {
    const auto r = import({"-"}, "{\"id\":\"cv-1\"}\n{\"id\":\"cv-1\"}\n{\"id\":\"cv-2\"}\n");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "read 3, imported 2, rejected 1\n");
    EXPECT_EQ(r.err, "<stdin>:2: id repeated within the file (first on line 1)\n");
    EXPECT_EQ(*open_db()->count(Kind::cv), 2);
}

TEST_F(ImportCliTest, strict_import_with_a_rejected_line_exits_1_and_writes_nothing) {
    ASSERT_EQ(import({"-"}, "{\"id\":\"cv-0\",\"birth_year\":1960}\n").exit_code, 0);
    const auto before = snapshot();
    const auto r =
        import({"--strict", "-"},
               "{\"id\":\"cv-0\",\"birth_year\":1961}\n{\"id\":\"cv-1\"}\n{\"id\":\"cv 2\"}\n"
               "{\"id\":\"cv-3\",\"visible\":\"ja\"}\n");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "read 4, imported 0, rejected 2\n");
    EXPECT_NE(r.err.find("<stdin>:3: invalid 'id'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("<stdin>:4: field 'visible'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing written"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(), before);
}

TEST_F(ImportCliTest, empty_input_imports_nothing_and_exits_0) {
    testing::write_file(m_dir.file("empty.ndjson"), "\n \r\n");
    const auto r = import({"empty.ndjson"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "read 0, imported 0, rejected 0\n");
    EXPECT_EQ(*open_db()->count(Kind::cv), 0);
}

TEST_F(ImportCliTest, reimport_through_the_cli_replaces_the_record) {
    ASSERT_EQ(import({"-"}, "{\"id\":\"cv-1\",\"postcode\":\"1011AB\"}\n").exit_code, 0);
    const auto first = snapshot();
    ASSERT_EQ(import({"-"}, "{\"id\":\"cv-1\",\"postcode\":\"9711LM\"}\n").exit_code, 0);
    const auto second = snapshot();
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].rfind(R"({"id":"cv-1","postcode":"9711LM"} @)", 0), 0u) << second[0];
    EXPECT_NE(second[0], first[0]);
}

TEST_F(ImportCliTest, missing_input_file_exits_1_with_a_one_line_reason) {
    const auto r = import({"missing.ndjson"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "spiegeld: missing.ndjson: cannot open: No such file or directory\n");
    EXPECT_FALSE(std::filesystem::exists(m_dir.file("data/source.db")));
}

TEST_F(ImportCliTest, directory_as_input_exits_1) {
    const auto r = import({m_dir.path()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
}

TEST_F(ImportCliTest, bad_config_exits_2_with_the_loader_location) {
    testing::write_file(m_dir.file("bad.yaml"),
                        "source:\n  database: data/source.db\n  colour: blue\n");
    const auto r = run_spiegeld({"import", "--config", "bad.yaml", "--kind", "cv", "-"},
                                m_dir.path(), "{\"id\":\"cv-1\"}\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("spiegeld: bad.yaml:3:", 0), 0u) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(m_dir.file("data/source.db")));
}

TEST_F(ImportCliTest, missing_config_exits_2) {
    const auto r =
        run_spiegeld({"import", "--kind", "cv", "-"}, m_dir.path(), "{\"id\":\"cv-1\"}\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("config/spiegeld.yaml"), std::string::npos) << r.err;
}

TEST_F(ImportCliTest, unknown_kind_is_a_usage_error) {
    const auto r =
        run_spiegeld({"import", "--config", m_config, "--kind", "werkgever", "-"}, m_dir.path());
    EXPECT_EQ(r.exit_code, 2);
}

TEST_F(ImportCliTest, vacancies_and_employers_import_into_their_own_tables) {
    const auto v =
        run_spiegeld({"import", "--config", m_config, "--kind", "vacancy", "-"}, m_dir.path(),
                     "{\"id\":\"v-1\",\"employer_id\":\"e-1\",\"positions\":2}\n");
    const auto e = run_spiegeld({"import", "--config", m_config, "--kind", "employer", "-"},
                                m_dir.path(), "{\"id\":\"e-1\",\"employees\":40}\n");
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_EQ(e.exit_code, 0) << e.err;
    auto db = open_db();
    EXPECT_EQ(*db->count(Kind::vacancy), 1);
    EXPECT_EQ(*db->count(Kind::employer), 1);
    EXPECT_EQ(*db->count(Kind::cv), 0);
}

// A CV line of about 500 bytes.
std::string cv_line(int i, int birth_year) {
    return "{\"id\":\"cv-" + std::to_string(i) + "\",\"birth_year\":" + std::to_string(birth_year) +
           ",\"postcode\":\"8011AB\",\"municipality\":\"Zwolle\",\"region\":\"AM21\","
           "\"skills\":[\"heftruck rijden\",\"orderpicken\",\"voorraadbeheer\"],"
           "\"education\":[{\"level\":\"mbo2\",\"name\":\"Logistiek medewerker\",\"diploma\":true,"
           "\"year_end\":2012}],\"summary\":\"" +
           std::string(280, 'x') + "\"}\n";
}

// Starts spiegeld import reading stdin from a pipe; returns pid and the pipe.
std::pair<pid_t, int> start_import_on_pipe(const std::string& config, const std::string& cwd) {
    int in_pipe[2];
    if (pipe(in_pipe) != 0) {
        return {-1, -1};
    }
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        close(in_pipe[0]);
        close(in_pipe[1]);
        const int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, 1);
        dup2(null_fd, 2);
        if (chdir(cwd.c_str()) != 0) {
            _exit(127);
        }
        const std::string bin = testing::spiegeld_binary();
        execl(bin.c_str(), bin.c_str(), "import", "--config", config.c_str(), "--kind", "cv", "-",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(in_pipe[0]);
    return {pid, in_pipe[1]};
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

TEST_F(ImportCliTest, kill_9_during_a_large_import_leaves_the_database_unchanged) {
    std::string first;
    for (int i = 0; i < 500; ++i) {
        first += cv_line(i, 1970);
    }
    ASSERT_EQ(import({"-"}, first).exit_code, 0);
    const auto before = snapshot();
    ASSERT_EQ(before.size(), 501u);

    // Re-imports the first 500 with new values plus 50,000 new CVs (~25 MB).
    // Every write() returns only once the importer has read all but a pipe
    // buffer, so when the loop ends it has processed nearly all of it inside
    // its still-open transaction (stdin stays open: it cannot have finished).
    ::signal(SIGPIPE, SIG_IGN);
    const auto [pid, fd] = start_import_on_pipe(m_config, m_dir.path());
    ASSERT_GT(pid, 0);
    bool written = true;
    std::string chunk;
    for (int i = 0; i < 50500 && written; ++i) {
        chunk += cv_line(i, 2001);
        if (chunk.size() > (1 << 20)) {
            written = write_all(fd, chunk);
            chunk.clear();
        }
    }
    EXPECT_TRUE(written) << "spiegeld import exited before the kill";
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fd);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);

    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(*open_db()->count(Kind::cv), 500);
}

}  // namespace
}  // namespace spiegel::app
