#pragma once
// The access database (docs/serving.md, docs/access-schema.md): bearer
// tokens for the personal routes and the audit log of personal-card reads.
// Not derived data, so it lives in its own SQLite file, apart from the
// state database a scan holds locked and a rebuild may delete.
//
// Only the SHA-256 of a token is stored; the token exists once, in the
// return value of add(). lookup() reads the table on every call through an
// index on the hash, so a revoke by another process (`spiegeld token
// revoke`) is seen by a running daemon at once.
//
// The daemon writes only through one AccessWriter thread
// (access_writer.h); its handler threads each hold a reader. One AccessDb is
// one connection: thread-safe through a mutex, but give each thread its
// own. Errors never contain a token.

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/util/expected.h"

namespace SQLite {
class Database;
class Statement;
}

namespace spiegel::store {

enum class Role { adviser, employer, officer };
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);

// Who a valid token belongs to.
struct Principal {
    std::string name;
    Role role = Role::officer;
    std::string employer;  // role employer only: the employer id it may read
};

// One row of `token list` (never the token or its hash).
struct TokenInfo {
    std::string name;
    Role role = Role::officer;
    std::string employer;
    std::int64_t created_at = 0;             // seconds since the epoch
    std::optional<std::int64_t> revoked_at;  // empty: active
};

// One row of the audit log.
struct AccessRow {
    std::int64_t time = 0;
    std::string token_name;
    Role role = Role::officer;
    std::string card_type;
    std::string record_id;
    int status = 200;  // 200 served, 403 refused, 404 no such card
};

// A browser session (docs/access-schema.md#web_session) and the principal
// of its token.
struct WebSession {
    Principal principal;
    std::string csrf;
    std::int64_t created_at = 0;  // seconds since the epoch
    std::int64_t last_seen = 0;
};

// Tokens look like "spg_" + 43 base64url characters (32 random bytes).
inline constexpr std::string_view k_token_prefix = "spg_";
// True when `bearer` has that shape (whether or not such a token exists).
bool well_formed_token(std::string_view bearer);

class AccessDb {
  public:
    enum class Mode { read_write, read_only };
    // Opens the access database, creating file and schema when absent
    // (read_write). When `legacy_state_db` names a state database of an
    // earlier version holding api_token / card_access rows, they are moved
    // here once (docs/access-schema.md). read_only needs an existing file.
    static util::Expected<std::unique_ptr<AccessDb>> open(const std::string& path, Mode mode = Mode::read_write,
                                                          const std::string& legacy_state_db = "");
    ~AccessDb();
    AccessDb(const AccessDb&) = delete;
    AccessDb& operator=(const AccessDb&) = delete;

    // Creates a token and returns it (the only copy). Errors: the name is
    // already taken (also by a revoked token), no randomness, database.
    // With `deliver`, the token is stored only when deliver(token) succeeds
    // (called before the insert, holding no lock): a token its caller could
    // not hand out (stdout full or closed) is never stored. An insert that
    // fails after delivery says the delivered token does not work.
    util::Expected<std::string> add(const std::string& name, Role role, const std::string& employer,
                                    std::int64_t now,
                                    const std::function<util::Status(const std::string&)>& deliver = {});
    // Every token sorted by name.
    util::Expected<std::vector<TokenInfo>> list();
    // Marks a token revoked. Error: unknown name. Revoking twice keeps the
    // first time and succeeds.
    util::Status revoke(const std::string& name, std::int64_t now);

    // The principal of an active token; empty for an unknown, revoked or
    // malformed token. An error only when the table cannot be read (the
    // HTTP routes answer 500, not 401).
    util::Expected<std::optional<Principal>> lookup(std::string_view bearer);

    // Appends audit rows in one transaction: a personal card was read
    // (status 200) or a token that passed the rate limit was refused it
    // (403) or asked for a record without a card (404).
    util::Status record_access(const std::vector<AccessRow>& rows);
    util::Status record_access(const Principal& principal, std::string_view card_type, std::string_view record_id,
                               std::int64_t now, int status = 200);
    // One step of pruning: among the `limit` oldest audit rows after rowid
    // `after` (rowid order is insertion order: time order but for a clock
    // that was stepped), deletes those older than `before` (seconds).
    struct PruneStep {
        std::int64_t deleted = 0;     // of the rows looked at, those older than `before`
        std::int64_t examined = 0;    // rows looked at; < limit: the end of the table
        std::int64_t future = 0;      // of those, newer than `future`: a clock that ran ahead
        std::int64_t last_rowid = 0;  // where the next step starts
    };
    util::Expected<PruneStep> prune_access_log(std::int64_t before, std::int64_t after = 0,
                                               std::int64_t limit = 1'000'000'000,
                                               std::int64_t future = std::numeric_limits<std::int64_t>::max());
    // The audit rows, oldest first (for tests and inspection).
    util::Expected<std::vector<AccessRow>> access_log();

    // Browser sessions (access_db_sessions.cpp). Ids are passed hashed
    // (hex SHA-256); errors never contain one.
    util::Status create_session(const std::string& id_hash, const std::string& token_name, const std::string& csrf,
                                std::int64_t now);
    // The session and the principal of its token; empty when the session is
    // unknown or its token revoked (a revoke ends every session at once).
    // Expiry is the caller's decision.
    util::Expected<std::optional<WebSession>> find_session(const std::string& id_hash);
    util::Status touch_session(const std::string& id_hash, std::int64_t now);
    util::Status end_session(const std::string& id_hash);
    // Deletes sessions last seen before idle_before or created before
    // created_before, and those of revoked tokens; returns how many.
    util::Expected<std::int64_t> prune_sessions(std::int64_t idle_before, std::int64_t created_before);

    // The connection, for AccessWriter's checkpoint control only.
    SQLite::Database& connection();
    const std::string& path() const { return m_path; }

  private:
    AccessDb();
    std::mutex m_mutex;
    std::unique_ptr<SQLite::Database> m_db;
    // Prepared once, on first use (after m_db: finalized before it closes).
    // A cached statement is reset after every use, so it never holds a read
    // transaction open (which would pin the WAL).
    std::unique_ptr<SQLite::Statement> m_lookup;
    std::unique_ptr<SQLite::Statement> m_insert;
    std::unique_ptr<SQLite::Statement> m_begin;   // BEGIN IMMEDIATE, prepared once
    std::unique_ptr<SQLite::Statement> m_commit;  // COMMIT
    std::string m_path;
};

// A fresh token: the prefix and base64url of 32 bytes from the system CSPRNG.
util::Expected<std::string> generate_token();

// The access database of a state database when none is configured:
// access.db in the same directory.
std::string default_access_db(const std::string& state_db);

}  // namespace spiegel::store
