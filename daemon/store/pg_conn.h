#pragma once
// One libpq connection to a PostgreSQL source (docs/source-schema.md). The
// password never enters a message: it comes from a password file (checked
// to be private) or libpq's own PGPASSFILE / ~/.pgpass, and conninfo
// strings holding one are refused. Errors name the server as
// "host=H port=P dbname=D" and carry libpq's reason on one line.
// Not thread-safe: one connection per thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/util/expected.h"

struct pg_conn;
struct pg_result;

namespace spiegel::store {

struct PgSettings {
    std::string conninfo;       // libpq conninfo (key=value or URI), never a password
    std::string password_file;  // optional; must not be readable by group or others
    std::string schema = "public";
};

// Why `conninfo` is not acceptable, or "" when it is: it must parse as a
// libpq conninfo and must not hold a password.
std::string pg_conninfo_problem(const std::string& conninfo);

// Why the password file is not acceptable ("" when it is): missing,
// unreadable, or readable by group or others.
std::string pg_password_file_problem(const std::string& path);

// A result; frees itself.
class PgResult {
  public:
    PgResult() = default;
    explicit PgResult(pg_result* r) : m_r(r) {}
    ~PgResult();
    PgResult(PgResult&& o) noexcept : m_r(o.m_r) { o.m_r = nullptr; }
    PgResult& operator=(PgResult&& o) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int rows() const;
    bool is_null(int row, int col) const;
    std::string_view get(int row, int col) const;
    pg_result* raw() const { return m_r; }

  private:
    pg_result* m_r = nullptr;
};

class PgConn {
  public:
    // Connects and sets the session up (UTC, ISO dates, application_name).
    static util::Expected<std::unique_ptr<PgConn>> connect(const PgSettings& settings);
    ~PgConn();
    PgConn(const PgConn&) = delete;
    PgConn& operator=(const PgConn&) = delete;

    // Runs SQL (one or more statements without parameters, or one with).
    // Errors read "<where>: <what>: <server reason>".
    util::Expected<PgResult> exec(const std::string& sql, std::string_view what);
    util::Expected<PgResult> exec(const std::string& sql, const std::vector<std::string>& params,
                                  std::string_view what);
    // Prepares `sql` once under `name` with n_params text parameters.
    util::Status prepare(const std::string& name, const std::string& sql, int n_params,
                         std::string_view what);
    util::Expected<PgResult> exec_prepared(const std::string& name,
                                           const std::vector<std::string>& params,
                                           std::string_view what);

    // COPY ... FROM STDIN: start, send data, end.
    util::Status copy_begin(const std::string& sql, std::string_view what);
    util::Status copy_send(std::string_view data, std::string_view what);
    util::Status copy_end(std::string_view what);
    // Ends a COPY in progress with an error: the server discards its rows.
    void copy_abort();

    // "host=H port=P dbname=D", as messages name the server.
    const std::string& where() const { return m_where; }
    // The schema, quoted as an identifier, with a trailing dot: "\"public\".".
    const std::string& prefix() const { return m_prefix; }
    const std::string& schema() const { return m_schema; }
    bool ok() const;
    pg_conn* raw() const { return m_conn; }

  private:
    PgConn(pg_conn* conn, std::string where, std::string schema);
    util::Error error(std::string_view what, pg_result* result = nullptr) const;
    // r when its command succeeded, else the error (naming `what`).
    util::Expected<PgResult> checked(PgResult r, std::string_view what) const;
    pg_conn* m_conn;
    std::string m_where;
    std::string m_schema;
    std::string m_prefix;
};

// libpq's message on one line (newlines folded), trimmed.
std::string pg_one_line(std::string_view message);

// The conninfo's host, port and dbname as "host=H port=P dbname=D" (libpq
// defaults filled in), for messages before a connection exists.
std::string pg_describe(const std::string& conninfo);

}  // namespace spiegel::store
