#pragma once
// Shared test helpers: an RAII temporary directory, running the real
// spiegeld binary, and building records from JSON text.

#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/code_lists.h"
#include "daemon/model/json.h"
#include "daemon/model/record.h"
#include "daemon/store/source_db.h"

namespace spiegel::testing {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

void write_file(const std::string& path, const std::string& content);

// SQL that turns the peer statistics of a current state file back into
// the table peer_stat of schema versions 1-7 (the same rows), for tests
// that fake a file of such a version before the upgrade.
inline constexpr const char* k_peer_stat_as_table_sql =
    "CREATE TEMP TABLE peer_stat_rows AS SELECT * FROM peer_stat; "
    "DROP VIEW peer_stat; DROP TABLE peer_group; "
    "CREATE TABLE peer_stat (kind TEXT NOT NULL, occupation TEXT NOT NULL, region TEXT NOT NULL, "
    "attribute TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, scan_id INTEGER NOT NULL, "
    "PRIMARY KEY (kind, occupation, region, attribute, value)) WITHOUT ROWID; "
    "INSERT INTO peer_stat SELECT * FROM temp.peer_stat_rows; DROP TABLE temp.peer_stat_rows; ";
std::string read_text(const std::string& path);

struct RunResult {
    int exit_code = -1;  // -1: killed by a signal
    std::string out;
    std::string err;
};
// Runs the spiegeld binary under test with `args`, in `cwd`, feeding `input`
// on stdin. Blocks until it exits.
RunResult run_spiegeld(const std::vector<std::string>& args, const std::string& cwd = ".",
                       const std::string& input = "");

// Writes a config file (and an empty rules dir when absent) into dir and
// returns its path. The databases go to dir/data/.
// The code lists shipped under rules/codes (loaded once).
const model::CodeLists& shipped_code_lists();

// extra_http: YAML lines (indented two spaces) added to the http section.
std::string write_test_config(const TempDir& dir, const std::string& rules_dir = "",
                              const std::string& extra_http = "");

// Parses a JSON object into a validated record; aborts the test on error.
model::Record record(model::Kind kind, const std::string& json, model::Arena& arena);

// Writes JSON records of one kind into the source database in one Writer
// transaction; adds a test failure naming the error when a step fails.
void write_records(store::SourceDb& db, model::Kind kind, const std::vector<std::string>& json);

std::string source_dir();
std::string spiegeld_binary();

}  // namespace spiegel::testing
