#pragma once
// The mirror cards' lookups in a PostgreSQL source (docs/cards.md): a CV's
// contact details and a vacancy's employer id, by id. Connects on first use
// and again after an error. Errors name the server, never a value. Not
// thread-safe: one per CardReader.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "daemon/store/card_input.h"
#include "daemon/store/pg_conn.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

class PgLookup {
  public:
    explicit PgLookup(PgSettings settings) : m_settings(std::move(settings)) {}

    // Empty fields when the CV is not in the source.
    util::Expected<CvContact> contact(const std::string& cv_id);
    // The vacancy's employer id and title; "" when the vacancy is not in
    // the source or the value is missing.
    util::Expected<std::pair<std::string, std::string>> vacancy(const std::string& vacancy_id);
    // Ids of the employer's vacancies, in id order.
    util::Expected<std::vector<std::string>> vacancy_ids_of(const std::string& employer_id);

  private:
    util::Expected<PgResult> query(const std::string& table, const std::string& columns,
                                   const std::string& id);
    // table, columns and key are this file's constants, never input.
    util::Expected<PgResult> query_where(const std::string& table, const std::string& columns,
                                         const std::string& key, const std::string& value);
    PgSettings m_settings;
    std::unique_ptr<PgConn> m_conn;
    // After a failed connect, cards fail at once for a few seconds instead
    // of each waiting for the connect timeout on the serving threads.
    std::chrono::steady_clock::time_point m_retry_at{};
    std::string m_last_error;
};

}  // namespace spiegel::store
