#include "daemon/store/access_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <stdexcept>

#include "daemon/store/access_db_migrate.h"
#include "daemon/store/connection.h"
#include "daemon/util/crypto.h"
#include "daemon/util/time.h"

namespace spiegel::store {

namespace {

constexpr std::size_t k_random_bytes = 32;
constexpr std::size_t k_encoded_length = 43;  // base64url of 32 bytes, no padding

}  // namespace

bool well_formed_token(std::string_view bearer) {
    if (bearer.size() != k_token_prefix.size() + k_encoded_length ||
        bearer.substr(0, k_token_prefix.size()) != k_token_prefix) {
        return false;
    }
    for (char c : bearer.substr(k_token_prefix.size())) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

namespace {

std::int64_t timestamp_column(const SQLite::Column& column) {
    return util::parse_timestamp(column.getString()).value_or(0);
}

Role role_column(const SQLite::Column& column) { return parse_role(column.getString()).value_or(Role::officer); }

util::Error db_error(const std::exception& e) { return util::Error{std::string("access database: ") + e.what()}; }

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
    auto bytes = util::random_bytes(k_random_bytes);
    if (!bytes) {
        return bytes.error();
    }
    return std::string(k_token_prefix) + util::base64url(*bytes);
}

std::string default_access_db(const std::string& state_db) {
    return (std::filesystem::path(state_db).parent_path() / "access.db").string();
}

AccessDb::AccessDb() = default;
AccessDb::~AccessDb() = default;

util::Expected<std::unique_ptr<AccessDb>> AccessDb::open(const std::string& path, Mode mode,
                                                         const std::string& legacy_state_db) {
    std::unique_ptr<AccessDb> self(new AccessDb());
    self->m_path = path;
    try {
        if (mode == Mode::read_only) {
            self->m_db = std::make_unique<SQLite::Database>(open_read_only(path));
            require_readable_access(*self->m_db);
            return self;
        }
        self->m_db = std::make_unique<SQLite::Database>(open_for_writing(path));
        create_or_migrate_access(*self->m_db, legacy_state_db);
    } catch (const std::exception& e) {
        return util::Error{"cannot open access database " + path + ": " + e.what()};
    }
    return self;
}

util::Expected<std::string> AccessDb::add(const std::string& name, Role role, const std::string& employer,
                                          std::int64_t now,
                                          const std::function<util::Status(const std::string&)>& deliver) {
    auto token = generate_token();
    if (!token) {
        return token.error();
    }
    std::lock_guard lock(m_mutex);
    bool delivered = false;
    try {
        {
            SQLite::Statement exists(*m_db, "SELECT 1 FROM api_token WHERE name = ?");
            exists.bind(1, name);
            if (exists.executeStep()) {
                return util::Error{"a token named '" + name + "' already exists"};
            }
        }
        // Handed out before it is stored, outside any transaction: a stdout
        // that blocks (a paused terminal) must not hold the database's write
        // lock, which the daemon's audit writer needs.
        if (deliver) {
            if (auto handed_out = deliver(*token); !handed_out) {
                return handed_out.error();  // nothing stored: nobody has this token
            }
            delivered = true;
        }
        SQLite::Statement insert(*m_db,
                                 "INSERT INTO api_token (name, role, employer_id, hash, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, name);
        insert.bind(2, std::string(role_name(role)));
        insert.bind(3, employer);
        insert.bind(4, util::sha256_hex(*token));
        insert.bind(5, util::format_timestamp(now));
        insert.exec();
    } catch (const SQLite::Exception& e) {
        // After delivery the token is out but useless: say so.
        const std::string printed = delivered ? " (the token handed out was not stored and does not work)" : "";
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
            return util::Error{"a token named '" + name + "' already exists" + printed};
        }
        auto error = db_error(e);
        error.message += printed;
        return error;
    }
    return token;
}

util::Expected<std::vector<TokenInfo>> AccessDb::list() {
    std::lock_guard lock(m_mutex);
    std::vector<TokenInfo> out;
    try {
        SQLite::Statement q(*m_db, "SELECT name, role, employer_id, created_at, revoked_at FROM api_token ORDER BY name");
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

util::Status AccessDb::revoke(const std::string& name, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM api_token WHERE name = ?");
        exists.bind(1, name);
        if (!exists.executeStep()) {
            return util::Error{"no token named '" + name + "'"};
        }
        SQLite::Statement update(*m_db, "UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");
        update.bind(1, util::format_timestamp(now));
        update.bind(2, name);
        update.exec();
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return {};
}

util::Expected<std::optional<Principal>> AccessDb::lookup(std::string_view bearer) {
    if (!well_formed_token(bearer)) {
        return std::optional<Principal>();
    }
    const std::string hash = util::sha256_hex(bearer);
    std::lock_guard lock(m_mutex);
    try {
        if (!m_lookup) {
            m_lookup = std::make_unique<SQLite::Statement>(
                *m_db, "SELECT name, role, employer_id, hash FROM api_token WHERE hash = ? AND revoked_at IS NULL");
        }
        SQLite::Statement& q = *m_lookup;
        std::optional<Principal> found;
        try {
            q.bind(1, hash);
            if (q.executeStep() && util::constant_time_equal(q.getColumn(3).getString(), hash)) {
                found = Principal{q.getColumn(0).getString(), role_column(q.getColumn(1)), q.getColumn(2).getString()};
            }
        } catch (...) {
            q.tryReset();
            throw;
        }
        q.reset();  // ends the read transaction
        return found;
    } catch (const std::exception& e) {
        return db_error(e);
    }
}

util::Status AccessDb::record_access(const std::vector<AccessRow>& rows) {
    std::lock_guard lock(m_mutex);
    sqlite3* handle = m_db->getHandle();
    try {
        if (!m_commit) {
            // All three or none: BEGIN and COMMIT prepared once (one group
            // commit per card under load, and preparing them was a tenth
            // of the writer's time).
            auto insert = std::make_unique<SQLite::Statement>(
                *m_db,
                "INSERT INTO card_access (time, token_name, role, card_type, record_id, status) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            auto begin = std::make_unique<SQLite::Statement>(*m_db, "BEGIN IMMEDIATE");
            auto commit = std::make_unique<SQLite::Statement>(*m_db, "COMMIT");
            m_insert = std::move(insert);
            m_begin = std::move(begin);
            m_commit = std::move(commit);
        }
        if (sqlite3_get_autocommit(handle) == 0) {
            throw std::runtime_error("a transaction of an earlier write is still open");
        }
        m_begin->tryReset();
        m_begin->exec();
        m_begin->tryReset();
    } catch (const std::exception& e) {
        if (m_begin) {
            m_begin->tryReset();
        }
        return db_error(e);
    }
    try {
        SQLite::Statement& insert = *m_insert;
        insert.tryReset();  // after a failed row of an earlier batch
        for (const AccessRow& row : rows) {
            insert.bind(1, util::format_timestamp(row.time));
            insert.bind(2, row.token_name);
            insert.bind(3, std::string(role_name(row.role)));
            insert.bind(4, row.card_type);
            insert.bind(5, row.record_id);
            insert.bind(6, row.status);
            insert.exec();
            insert.reset();
        }
        m_commit->tryReset();
        m_commit->exec();
        m_commit->tryReset();
    } catch (const std::exception& e) {
        m_insert->tryReset();
        m_commit->tryReset();
        if (sqlite3_get_autocommit(handle) == 0 &&
            sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) {
            return util::Error{std::string("access database: ") + e.what() +
                               "; the rollback failed too: " + sqlite3_errmsg(handle)};
        }
        return db_error(e);
    }
    return {};
}

util::Status AccessDb::record_access(const Principal& principal, std::string_view card_type,
                                     std::string_view record_id, std::int64_t now, int status) {
    return record_access({AccessRow{now, principal.name, principal.role, std::string(card_type),
                                    std::string(record_id), status}});
}

// No index on time (access schema 4): the oldest rows come first in rowid
// order, so a step reads the next `limit` rows after `after` and deletes
// the old ones among them; it counts the rows stamped after `future` too
// (written while the clock ran ahead), which do not end a pruning pass.
util::Expected<AccessDb::PruneStep> AccessDb::prune_access_log(std::int64_t before, std::int64_t after,
                                                               std::int64_t limit, std::int64_t future) {
    std::lock_guard lock(m_mutex);
    PruneStep step;
    try {
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        const std::string cutoff = util::format_timestamp(before);
        SQLite::Statement window(*m_db,
                                 "SELECT coalesce(max(rowid), ?1), count(*), coalesce(sum(time > ?3), 0) FROM "
                                 "(SELECT rowid, time FROM card_access WHERE rowid > ?1 ORDER BY rowid LIMIT ?2)");
        window.bind(1, after);
        window.bind(2, limit);
        window.bind(3, util::format_timestamp(future));
        window.executeStep();
        step.last_rowid = window.getColumn(0).getInt64();
        step.examined = window.getColumn(1).getInt64();
        step.future = window.getColumn(2).getInt64();
        SQLite::Statement del(*m_db, "DELETE FROM card_access WHERE rowid > ?1 AND rowid <= ?2 AND time < ?3");
        del.bind(1, after);
        del.bind(2, step.last_rowid);
        del.bind(3, cutoff);
        step.deleted = del.exec();
        tx.commit();
    } catch (const std::exception& e) {
        return db_error(e);
    }
    return step;
}

util::Expected<std::vector<AccessRow>> AccessDb::access_log() {
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

SQLite::Database& AccessDb::connection() { return *m_db; }

}  // namespace spiegel::store
