#include "daemon/store/token_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/random.h>

#include <array>
#include <cerrno>

#include "daemon/store/connection.h"
#include "daemon/util/sha256.h"
#include "daemon/util/time.h"

namespace spiegel::store {

namespace {

constexpr const char* k_schema =
    "CREATE TABLE IF NOT EXISTS api_token (\n"
    "  name TEXT PRIMARY KEY,           -- unique, also after revocation\n"
    "  role TEXT NOT NULL,              -- adviser, employer, officer\n"
    "  employer_id TEXT NOT NULL,       -- role employer: the employer it may read; else ''\n"
    "  hash TEXT NOT NULL,              -- hex SHA-256 of the token; the token is never stored\n"
    "  created_at TEXT NOT NULL,        -- RFC 3339 UTC\n"
    "  revoked_at TEXT                  -- NULL: active\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS card_access (\n"
    "  time TEXT NOT NULL,              -- RFC 3339 UTC\n"
    "  token_name TEXT NOT NULL,\n"
    "  role TEXT NOT NULL,\n"
    "  card_type TEXT NOT NULL,         -- cv, vacancy\n"
    "  record_id TEXT NOT NULL,         -- pseudonymous record id\n"
    "  status INTEGER NOT NULL DEFAULT 200  -- HTTP status: 200 served, 403 refused, 404 no such card\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS card_access_token ON card_access(token_name, time);\n";

constexpr std::size_t k_random_bytes = 32;
constexpr std::size_t k_encoded_length = 43;  // base64url of 32 bytes, no padding

std::string base64url(const std::uint8_t* data, std::size_t size) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += k_alphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += k_alphabet[(buffer << (6 - bits)) & 0x3f];
    }
    return out;
}

bool well_formed(std::string_view bearer) {
    if (bearer.size() != k_token_prefix.size() + k_encoded_length ||
        bearer.substr(0, k_token_prefix.size()) != k_token_prefix) {
        return false;
    }
    for (char c : bearer.substr(k_token_prefix.size())) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::int64_t timestamp_column(const SQLite::Column& column) {
    return util::parse_timestamp(column.getString()).value_or(0);
}

Role role_column(const SQLite::Column& column) {
    return parse_role(column.getString()).value_or(Role::officer);
}

util::Error db_error(const std::exception& e) {
    return util::Error{std::string("token store: ") + e.what()};
}

}  // namespace

std::string_view role_name(Role role) {
    switch (role) {
        case Role::adviser:
            return "adviser";
        case Role::employer:
            return "employer";
        case Role::officer:
            return "officer";
    }
    return "officer";
}

std::optional<Role> parse_role(std::string_view text) {
    for (Role r : {Role::adviser, Role::employer, Role::officer}) {
        if (role_name(r) == text) {
            return r;
        }
    }
    return std::nullopt;
}

util::Expected<std::string> generate_token() {
    std::array<std::uint8_t, k_random_bytes> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return util::Error{"cannot read random bytes for a token"};
        }
        filled += static_cast<std::size_t>(n);
    }
    return std::string(k_token_prefix) + base64url(bytes.data(), bytes.size());
}

TokenStore::TokenStore() = default;
TokenStore::~TokenStore() = default;

util::Expected<std::unique_ptr<TokenStore>> TokenStore::open(const std::string& path) {
    std::unique_ptr<TokenStore> self(new TokenStore());
    try {
        // synchronous=NORMAL as StateDb: no fsync per audit row.
        self->m_db = std::make_unique<SQLite::Database>(open_for_writing(path));
        // Never checkpoint from here: an audit row is written on the HTTP
        // thread, and a checkpoint syncs the database file (tens of ms). The
        // scans' connection checkpoints the WAL after each scan.
        self->m_db->exec("PRAGMA wal_autocheckpoint=0");
        self->m_db->exec(k_schema);
        // A card_access table of an earlier build has no status column (all its rows were reads served).
        if (self->m_db->execAndGet("SELECT count(*) FROM pragma_table_info('card_access') WHERE name = 'status'")
                .getInt() == 0) {
            self->m_db->exec("ALTER TABLE card_access ADD COLUMN status INTEGER NOT NULL DEFAULT 200");
        }
    } catch (const std::exception& e) {
        return util::Error{"cannot open state database " + path + " for tokens: " + e.what()};
    }
    return self;
}

util::Expected<std::string> TokenStore::add(const std::string& name, Role role,
                                            const std::string& employer, std::int64_t now) {
    auto token = generate_token();
    if (!token) {
        return token.error();
    }
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM api_token WHERE name = ?");
        exists.bind(1, name);
        if (exists.executeStep()) {
            return util::Error{"a token named '" + name + "' already exists"};
        }
        SQLite::Statement insert(
            *m_db,
            "INSERT INTO api_token (name, role, employer_id, hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, name);
        insert.bind(2, std::string(role_name(role)));
        insert.bind(3, employer);
        insert.bind(4, util::sha256_hex(*token));
        insert.bind(5, util::format_timestamp(now));
        insert.exec();
    } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return util::Error{"a token named '" + name + "' already exists"};
        }
        return db_error(e);
    }
    return token;
}

util::Expected<std::vector<TokenInfo>> TokenStore::list() {
    std::lock_guard lock(m_mutex);
    std::vector<TokenInfo> out;
    try {
        SQLite::Statement q(*m_db,
                            "SELECT name, role, employer_id, created_at, revoked_at FROM api_token "
                            "ORDER BY name");
        while (q.executeStep()) {
            TokenInfo info;
            info.name = q.getColumn(0).getString();
            info.role = role_column(q.getColumn(1));
            info.employer = q.getColumn(2).getString();
            info.created_at = timestamp_column(q.getColumn(3));
            if (!q.getColumn(4).isNull()) {
                info.revoked_at = timestamp_column(q.getColumn(4));
            }
            out.push_back(std::move(info));
        }
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return out;
}

util::Status TokenStore::revoke(const std::string& name, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM api_token WHERE name = ?");
        exists.bind(1, name);
        if (!exists.executeStep()) {
            return util::Error{"no token named '" + name + "'"};
        }
        SQLite::Statement update(
            *m_db, "UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");
        update.bind(1, util::format_timestamp(now));
        update.bind(2, name);
        update.exec();
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return {};
}

std::optional<Principal> TokenStore::authenticate(std::string_view bearer) {
    auto found = lookup(bearer);
    return found ? *found : std::nullopt;
}

util::Expected<std::optional<Principal>> TokenStore::lookup(std::string_view bearer) {
    if (!well_formed(bearer)) {
        return std::optional<Principal>();
    }
    const std::string hash = util::sha256_hex(bearer);
    std::optional<Principal> found;
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(
            *m_db, "SELECT name, role, employer_id, hash FROM api_token WHERE revoked_at IS NULL");
        while (q.executeStep()) {
            // No early exit: every active hash is compared in full.
            if (util::constant_time_equal(q.getColumn(3).getString(), hash)) {
                found = Principal{q.getColumn(0).getString(), role_column(q.getColumn(1)),
                                  q.getColumn(2).getString()};
            }
        }
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return found;
}

util::Status TokenStore::record_access(const Principal& principal, std::string_view card_type,
                                       std::string_view record_id, std::int64_t now, int status) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement insert(
            *m_db,
            "INSERT INTO card_access (time, token_name, role, card_type, record_id, status) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        insert.bind(1, util::format_timestamp(now));
        insert.bind(2, principal.name);
        insert.bind(3, std::string(role_name(principal.role)));
        insert.bind(4, std::string(card_type));
        insert.bind(5, std::string(record_id));
        insert.bind(6, status);
        insert.exec();
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return {};
}

util::Expected<std::int64_t> TokenStore::prune_access_log(std::int64_t before) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement del(*m_db, "DELETE FROM card_access WHERE time < ?");
        del.bind(1, util::format_timestamp(before));
        return static_cast<std::int64_t>(del.exec());
    } catch (const std::exception& e) {
        return db_error(e);
    }
}

util::Expected<std::vector<AccessRow>> TokenStore::access_log() {
    std::lock_guard lock(m_mutex);
    std::vector<AccessRow> out;
    try {
        SQLite::Statement q(*m_db,
                            "SELECT time, token_name, role, card_type, record_id, status FROM card_access "
                            "ORDER BY rowid");
        while (q.executeStep()) {
            out.push_back(AccessRow{timestamp_column(q.getColumn(0)), q.getColumn(1).getString(),
                                    role_column(q.getColumn(2)), q.getColumn(3).getString(),
                                    q.getColumn(4).getString(), q.getColumn(5).getInt()});
        }
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return out;
}

}  // namespace spiegel::store
