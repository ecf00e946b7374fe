#include "daemon/store/pg_conn.h"

#include <libpq-fe.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <sstream>

#include "daemon/util/printable.h"

namespace spiegel::store {
namespace {

// The parsed conninfo; frees itself.
struct ParsedConninfo {
    PQconninfoOption* options = nullptr;
    std::string error;
    explicit ParsedConninfo(const std::string& conninfo) {
        char* err = nullptr;
        options = PQconninfoParse(conninfo.c_str(), &err);
        if (err != nullptr) {
            error = pg_one_line(err);
            PQfreemem(err);
        }
    }
    ~ParsedConninfo() {
        if (options != nullptr) {
            PQconninfoFree(options);
        }
    }
    std::string value(std::string_view key) const {
        for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
            if (key == o->keyword && o->val != nullptr) {
                return o->val;
            }
        }
        return "";
    }
};

std::string quote_identifier(pg_conn* conn, const std::string& name) {
    char* q = PQescapeIdentifier(conn, name.c_str(), name.size());
    if (q == nullptr) {
        // libpq refused (out of memory, or bytes invalid in the client
        // encoding): quote by the SQL rule itself, every '"' doubled, so the
        // name can never end the identifier early.
        std::string out = "\"";
        for (char c : name) {
            out += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        return out + "\"";
    }
    std::string out(q);
    PQfreemem(q);
    return out;
}

// Opens the password file and checks the file it opened (fstat on the open
// descriptor, so the file checked is the file read: no window between a
// check by name and the open). Symbolic links are followed (secret mounts
// are links). Returns the problem, or "" with the first line (without its
// line break) in `first_line`.
std::string open_password_file(const std::string& path, std::string& first_line) {
    const std::string shown = util::printable(path, util::k_printable_path_bytes);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        return shown + ": cannot read the password file: " + std::strerror(errno);
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return shown + ": cannot read the password file: " + std::strerror(errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return shown + ": the password file is not a regular file";
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return shown + ": the password file is readable by group or others or grants them other access (chmod 600 it)";
    }
    std::string content;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return shown + ": cannot read the password file: " + std::strerror(errno);
        }
        if (n == 0) {
            break;
        }
        content.append(buf, static_cast<std::size_t>(n));
        if (content.find('\n') != std::string::npos || content.size() > 64 * 1024) {
            break;  // only the first line is used
        }
    }
    first_line = content.substr(0, content.find('\n'));
    if (!first_line.empty() && first_line.back() == '\r') {
        first_line.pop_back();
    }
    return "";
}

// The first line of the password file (without its line break).
util::Expected<std::string> read_password(const std::string& path) {
    std::string line;
    if (auto problem = open_password_file(path, line); !problem.empty()) {
        return util::Error{problem};
    }
    if (line.empty()) {
        return util::Error{util::printable(path, util::k_printable_path_bytes) +
                           ": password file is empty"};
    }
    return line;
}

}  // namespace

std::string pg_one_line(std::string_view message) {
    std::string out;
    for (char c : message) {
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    // Server messages may quote values of a failed statement; keep them short
    // and printable.
    return util::printable(out, 400);
}

std::string pg_conninfo_problem(const std::string& conninfo) {
    if (conninfo.empty()) {
        return "must not be empty";
    }
    ParsedConninfo parsed(conninfo);
    if (parsed.options == nullptr) {
        // libpq's parse error quotes part of the string, which may be a
        // password: give the reason without it.
        return "not a valid libpq conninfo string (key=value pairs or a postgresql:// URI)";
    }
    if (!parsed.value("password").empty()) {
        return "must not hold a password (use source.password_file or PGPASSFILE)";
    }
    return "";
}

std::string pg_password_file_problem(const std::string& path) {
    std::string line;
    std::string problem = open_password_file(path, line);
    if (problem.empty() && line.empty()) {
        problem = util::printable(path, util::k_printable_path_bytes) + ": password file is empty (its first line is the password)";
    }
    std::fill(line.begin(), line.end(), '\0');  // only the checks were wanted
    return problem;
}

std::string pg_describe(const std::string& conninfo) {
    ParsedConninfo parsed(conninfo);
    auto or_default = [](std::string v, const char* d) { return v.empty() ? std::string(d) : v; };
    return "host=" + util::printable(or_default(parsed.value("host"), "(default)"), 200) +
           " port=" + util::printable(or_default(parsed.value("port"), "5432"), 20) +
           " dbname=" + util::printable(or_default(parsed.value("dbname"), "(default)"), 100);
}

PgResult::~PgResult() {
    if (m_r != nullptr) {
        PQclear(m_r);
    }
}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
    if (this != &o) {
        if (m_r != nullptr) {
            PQclear(m_r);
        }
        m_r = o.m_r;
        o.m_r = nullptr;
    }
    return *this;
}

int PgResult::rows() const {
    return m_r == nullptr ? 0 : PQntuples(m_r);
}
bool PgResult::is_null(int row, int col) const {
    return PQgetisnull(m_r, row, col) != 0;
}
std::string_view PgResult::get(int row, int col) const {
    return {PQgetvalue(m_r, row, col), static_cast<std::size_t>(PQgetlength(m_r, row, col))};
}

PgConn::PgConn(pg_conn* conn, std::string where, std::string schema)
    : m_conn(conn), m_where(std::move(where)), m_schema(std::move(schema)) {
    m_prefix = quote_identifier(m_conn, m_schema) + ".";
}

PgConn::~PgConn() {
    if (m_conn != nullptr) {
        PQfinish(m_conn);
    }
}

bool PgConn::ok() const {
    return PQstatus(m_conn) == CONNECTION_OK;
}

util::Expected<std::unique_ptr<PgConn>> PgConn::connect(const PgSettings& settings) {
    const std::string described = "postgresql source " + pg_describe(settings.conninfo);
    if (auto problem = pg_conninfo_problem(settings.conninfo); !problem.empty()) {
        return util::Error{described + ": source.conninfo " + problem};
    }
    std::string password;
    if (!settings.password_file.empty()) {
        auto read = read_password(settings.password_file);
        if (!read) {
            return util::Error{described + ": " + read.error().message};
        }
        password = std::move(*read);
    }
    // Later keywords override the expanded dbname conninfo, earlier ones are
    // defaults it may override.
    // The defaults bound how long a vanished server can hold a caller: TCP
    // keepalives and a user timeout notice a dead peer within about 30 s
    // (instead of the kernel's ~15 min), and no statement runs longer than
    // 5 minutes (a scan reads in short keyset chunks).
    std::vector<const char*> keys{"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                                  "keepalives_count", "tcp_user_timeout", "options", "dbname", "application_name"};
    std::vector<const char*> values{"10", "1", "30", "10", "3", "30000", "-c statement_timeout=300000",
                                    settings.conninfo.c_str(), "spiegeld"};
    if (!password.empty()) {
        keys.push_back("password");
        values.push_back(password.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (conn == nullptr) {
        return util::Error{described + ": cannot connect: out of memory"};
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string reason = pg_one_line(PQerrorMessage(conn));
        PQfinish(conn);
        return util::Error{described + ": cannot connect: " + reason};
    }
    // Server notices (and their DETAIL lines, which can quote row values)
    // would go to stderr as they are; Spiegel needs none of them.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    auto self = std::unique_ptr<PgConn>(new PgConn(
        conn,
        "postgresql source host=" + util::printable(PQhost(conn), 200) + " port=" +
            util::printable(PQport(conn), 20) + " dbname=" + util::printable(PQdb(conn), 100),
        settings.schema.empty() ? "public" : settings.schema));
    auto set = self->exec(
        "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET "
        "extra_float_digits = 3",
        "setting up the session");
    if (!set) {
        return set.error();
    }
    return self;
}

util::Error PgConn::error(std::string_view what, pg_result* result) const {
    std::string reason;
    // The primary message and SQLSTATE only: DETAIL lines quote row values.
    const char* primary =
        result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (primary != nullptr) {
        reason = primary;
        if (state != nullptr) {
            reason += std::string(" (SQLSTATE ") + state + ")";
        }
    } else {
        reason = PQerrorMessage(m_conn);
    }
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        reason = "connection lost: " + reason;
    }
    return util::Error{m_where + ": " + std::string(what) + ": " + pg_one_line(reason)};
}

namespace {

bool succeeded(pg_result* r) {
    const auto status = PQresultStatus(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

// The parameters as libpq takes them (views into `params`).
std::vector<const char*> c_strings(const std::vector<std::string>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p.c_str());
    }
    return values;
}

}  // namespace

util::Expected<PgResult> PgConn::checked(PgResult r, std::string_view what) const {
    if (r.raw() == nullptr || !succeeded(r.raw())) {
        return error(what, r.raw());
    }
    return r;
}

util::Expected<PgResult> PgConn::exec(const std::string& sql, std::string_view what) {
    return checked(PgResult(PQexec(m_conn, sql.c_str())), what);
}

util::Expected<PgResult> PgConn::exec(const std::string& sql,
                                      const std::vector<std::string>& params,
                                      std::string_view what) {
    const std::vector<const char*> values = c_strings(params);
    return checked(PgResult(PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                         values.data(), nullptr, nullptr, 0)),
                   what);
}

util::Status PgConn::prepare(const std::string& name, const std::string& sql, int n_params,
                             std::string_view what) {
    // Every parameter is text (cast in the SQL where needed), so a statement
    // may leave some unused.
    constexpr Oid k_text_oid = 25;
    const std::vector<Oid> types(static_cast<std::size_t>(n_params), k_text_oid);
    auto r = checked(PgResult(PQprepare(m_conn, name.c_str(), sql.c_str(), n_params, types.data())), what);
    if (!r) {
        return r.error();
    }
    return {};
}

util::Expected<PgResult> PgConn::exec_prepared(const std::string& name,
                                               const std::vector<std::string>& params,
                                               std::string_view what) {
    const std::vector<const char*> values = c_strings(params);
    return checked(PgResult(PQexecPrepared(m_conn, name.c_str(), static_cast<int>(values.size()), values.data(),
                                           nullptr, nullptr, 0)),
                   what);
}

util::Status PgConn::copy_begin(const std::string& sql, std::string_view what) {
    PgResult r(PQexec(m_conn, sql.c_str()));
    if (r.raw() == nullptr || PQresultStatus(r.raw()) != PGRES_COPY_IN) {
        return error(what, r.raw());
    }
    return {};
}

util::Status PgConn::copy_send(std::string_view data, std::string_view what) {
    if (PQputCopyData(m_conn, data.data(), static_cast<int>(data.size())) != 1) {
        return error(what);
    }
    return {};
}

void PgConn::copy_abort() {
    if (PQputCopyEnd(m_conn, "import aborted") == 1) {
        while (pg_result* raw = PQgetResult(m_conn)) {
            PQclear(raw);
        }
    }
}

util::Status PgConn::copy_end(std::string_view what) {
    if (PQputCopyEnd(m_conn, nullptr) != 1) {
        return error(what);
    }
    util::Status status;
    while (pg_result* raw = PQgetResult(m_conn)) {
        PgResult r(raw);
        if (status && PQresultStatus(raw) != PGRES_COMMAND_OK) {
            status = error(what, raw);
        }
    }
    return status;
}

}  // namespace spiegel::store
