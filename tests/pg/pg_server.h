#pragma once
// A private PostgreSQL 15 server for one test: initdb into a fresh
// temporary directory (as the unprivileged `postgres` user when the tests
// run as root), listening only on a Unix socket in that directory, trust
// authentication, fsync off. Stopped and removed by the destructor, so no
// server is left running. Server start failures fail the test (the suite
// needs Debian's postgresql package; scripts/test.sh installs it).

#include <string>

namespace spiegel::testing {

class PgServer {
  public:
    PgServer();  // initdb, start, CREATE DATABASE werk
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    bool running() const { return m_running; }
    const std::string& socket_dir() const { return m_dir; }
    // libpq conninfo of database `werk` as the superuser (or `user`).
    std::string conninfo(const std::string& user = "postgres") const;

    // Runs SQL through psql (ON_ERROR_STOP); returns its unaligned output.
    // Adds a test failure when psql fails, unless `may_fail`.
    std::string psql(const std::string& sql, bool may_fail = false) const;
    // Creates the source schema with `spiegeld schema postgresql | psql`.
    void create_schema() const;

    void stop_immediately();  // pg_ctl stop -m immediate: as if the server died
    bool start();

  private:
    std::string m_dir;  // owned by postgres: data/, the socket, the log
    std::string m_as;   // "runuser -u postgres -- " or ""
    bool m_running = false;
};

// Runs a shell command, returns its exit status; output to `out` when given.
int shell(const std::string& command, std::string* out = nullptr);

}  // namespace spiegel::testing
