#include "daemon/store/pg_lookup.h"

namespace spiegel::store {

util::Expected<PgResult> PgLookup::query(const std::string& table, const std::string& columns,
                                         const std::string& id) {
    return query_where(table, columns, "id", id);
}

util::Expected<std::vector<std::string>> PgLookup::vacancy_ids_of(const std::string& employer_id) {
    auto r = query_where("vacancy", "id", "employer_id", employer_id);
    if (!r) {
        return r.error();
    }
    std::vector<std::string> ids;
    for (int i = 0; i < r->rows(); ++i) {
        ids.emplace_back(r->get(i, 0));
    }
    return ids;
}

util::Expected<PgResult> PgLookup::query_where(const std::string& table, const std::string& columns,
                                               const std::string& key, const std::string& value) {
    if (!m_conn || !m_conn->ok()) {
        const auto now = std::chrono::steady_clock::now();
        if (now < m_retry_at) {
            return util::Error{m_last_error};
        }
        auto conn = PgConn::connect(m_settings);
        if (!conn) {
            m_retry_at = now + std::chrono::seconds(5);
            m_last_error = conn.error().message;
            return conn.error();
        }
        m_conn = std::move(*conn);
    }
    auto result =
        m_conn->exec("SELECT " + columns + " FROM " + m_conn->prefix() + table + " WHERE " + key + " = $1 ORDER BY id",
                     {value}, "reading " + table + " for a card");
    if (!result) {
        m_conn.reset();  // reconnect next time
    }
    return result;
}

util::Expected<CvContact> PgLookup::contact(const std::string& cv_id) {
    auto r = query("cv", "email, phone", cv_id);
    if (!r) {
        return r.error();
    }
    CvContact contact;
    if (r->rows() > 0) {
        contact.email = std::string(r->get(0, 0));
        contact.phone = std::string(r->get(0, 1));
    }
    return contact;
}

util::Expected<std::pair<std::string, std::string>> PgLookup::vacancy(const std::string& vacancy_id) {
    auto r = query("vacancy", "employer_id, title", vacancy_id);
    if (!r) {
        return r.error();
    }
    if (r->rows() == 0) {
        return std::pair<std::string, std::string>{};
    }
    return std::pair<std::string, std::string>{std::string(r->get(0, 0)), std::string(r->get(0, 1))};
}

}  // namespace spiegel::store
