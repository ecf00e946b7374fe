// AccessDb: the web_session table (docs/access-schema.md#web_session).
#include <SQLiteCpp/SQLiteCpp.h>

#include "daemon/store/access_db.h"

namespace spiegel::store {
namespace {

util::Error session_error(const std::exception& e) {
    return util::Error{std::string("access database (sessions): ") + e.what()};
}

}  // namespace

util::Status AccessDb::create_session(const std::string& id_hash, const std::string& token_name,
                                      const std::string& csrf, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement insert(*m_db,
                                 "INSERT INTO web_session (id_hash, token_name, csrf, created_at, last_seen) "
                                 "VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, id_hash);
        insert.bind(2, token_name);
        insert.bind(3, csrf);
        insert.bind(4, now);
        insert.bind(5, now);
        insert.exec();
    } catch (const std::exception& e) {
        return session_error(e);
    }
    return {};
}

util::Expected<std::optional<WebSession>> AccessDb::find_session(const std::string& id_hash) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(*m_db,
                            "SELECT t.name, t.role, t.employer_id, s.csrf, s.created_at, s.last_seen "
                            "FROM web_session s JOIN api_token t ON t.name = s.token_name "
                            "WHERE s.id_hash = ? AND t.revoked_at IS NULL");
        q.bind(1, id_hash);
        if (!q.executeStep()) {
            return std::optional<WebSession>();
        }
        WebSession s;
        s.principal.name = q.getColumn(0).getString();
        s.principal.role = parse_role(q.getColumn(1).getString()).value_or(Role::officer);
        s.principal.employer = q.getColumn(2).getString();
        s.csrf = q.getColumn(3).getString();
        s.created_at = q.getColumn(4).getInt64();
        s.last_seen = q.getColumn(5).getInt64();
        return std::optional<WebSession>(std::move(s));
    } catch (const std::exception& e) {
        return session_error(e);
    }
}

util::Status AccessDb::touch_session(const std::string& id_hash, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement update(*m_db, "UPDATE web_session SET last_seen = max(last_seen, ?) WHERE id_hash = ?");
        update.bind(1, now);
        update.bind(2, id_hash);
        update.exec();
    } catch (const std::exception& e) {
        return session_error(e);
    }
    return {};
}

util::Status AccessDb::end_session(const std::string& id_hash) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement remove(*m_db, "DELETE FROM web_session WHERE id_hash = ?");
        remove.bind(1, id_hash);
        remove.exec();
    } catch (const std::exception& e) {
        return session_error(e);
    }
    return {};
}

util::Expected<std::int64_t> AccessDb::prune_sessions(std::int64_t idle_before, std::int64_t created_before) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement remove(*m_db,
                                 "DELETE FROM web_session WHERE last_seen < ? OR created_at < ? OR token_name IN "
                                 "(SELECT name FROM api_token WHERE revoked_at IS NOT NULL)");
        remove.bind(1, idle_before);
        remove.bind(2, created_before);
        return static_cast<std::int64_t>(remove.exec());
    } catch (const std::exception& e) {
        return session_error(e);
    }
}

}  // namespace spiegel::store
