#pragma once
// Bearer tokens for the card API and the audit log of personal-card reads
// (docs/cards.md, "Access and tokens"). Both live in the state database, in
// tables this class creates on open (CREATE TABLE IF NOT EXISTS) through its
// own SQLite connection. Only the SHA-256 of a token is stored; the token
// itself exists once, in the return value of add(). authenticate() reads the
// table on every call, so a revoke by another process (`spiegeld token
// revoke`) is seen by a running daemon at once. Thread-safe: one mutex
// serialises the connection. Errors never contain a token.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/util/expected.h"

namespace SQLite {
class Database;
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

// Tokens look like "spg_" + 43 base64url characters (32 random bytes).
inline constexpr std::string_view k_token_prefix = "spg_";

class TokenStore {
  public:
    // Opens (creating when absent) the state DB file and the token tables.
    static util::Expected<std::unique_ptr<TokenStore>> open(const std::string& path);
    ~TokenStore();
    TokenStore(const TokenStore&) = delete;
    TokenStore& operator=(const TokenStore&) = delete;

    // Creates a token and returns it (the only copy). Errors: the name is
    // already taken (also by a revoked token), no randomness, database.
    util::Expected<std::string> add(const std::string& name, Role role, const std::string& employer,
                                    std::int64_t now);
    // Every token sorted by name.
    util::Expected<std::vector<TokenInfo>> list();
    // Marks a token revoked. Error: unknown name. Revoking twice keeps the
    // first time and succeeds.
    util::Status revoke(const std::string& name, std::int64_t now);

    // The principal of an active token; empty for an unknown, revoked or
    // malformed token or a database error. Hashes are compared in constant
    // time against every active row.
    std::optional<Principal> authenticate(std::string_view bearer);
    // The same, telling a database error (the HTTP routes answer 500) apart
    // from an unknown token (401).
    util::Expected<std::optional<Principal>> lookup(std::string_view bearer);

    // Appends one audit row: a personal card was read (status 200) or a
    // token that passed the rate limit was refused it (403) or asked for a
    // record without a card (404).
    util::Status record_access(const Principal& principal, std::string_view card_type,
                               std::string_view record_id, std::int64_t now, int status = 200);
    // Deletes audit rows older than `before` (seconds); returns how many.
    util::Expected<std::int64_t> prune_access_log(std::int64_t before);
    // The audit rows, oldest first (for tests and inspection).
    util::Expected<std::vector<AccessRow>> access_log();

  private:
    TokenStore();
    std::mutex m_mutex;
    std::unique_ptr<SQLite::Database> m_db;
};

// A fresh token: the prefix and base64url of 32 bytes from getrandom().
util::Expected<std::string> generate_token();

}  // namespace spiegel::store
