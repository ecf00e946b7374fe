// ResultLists over SQLite (result_lists.h).
#include "daemon/store/result_lists.h"

#include "daemon/store/pg_lookup.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "daemon/store/connection.h"
#include "daemon/store/raw_statement.h"
#include "daemon/store/result_columns.h"
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

constexpr int k_chunk = 5000;

util::Error list_error(const std::string& file, const std::exception& e) {
    return util::Error{"cannot read " + file + ": " + e.what()};
}

class SqliteResultLists final : public ResultLists {
public:
    SqliteResultLists(std::string state_db, std::string source_db, PgSettings source_pg)
        : m_state_path(std::move(state_db)), m_source_path(std::move(source_db)) {
        if (!source_pg.conninfo.empty()) {
            m_pg = std::make_unique<PgLookup>(std::move(source_pg));
        }
    }

    util::Expected<std::optional<ScanStamp>> current_scan() override {
        try {
            SQLite::Statement q(state(), "SELECT id, as_of FROM scan WHERE status = 'ok' ORDER BY id DESC LIMIT 1");
            return stamp(q);
        } catch (const std::exception& e) {
            return failed(e);
        }
    }

    util::Expected<std::optional<ScanStamp>> scan_at_or_before(const std::string& as_of) override {
        try {
            SQLite::Statement q(state(),
                                "SELECT id, as_of FROM scan WHERE status = 'ok' AND as_of <= ? ORDER BY as_of DESC, id "
                                "DESC LIMIT 1");
            q.bind(1, as_of);
            return stamp(q);
        } catch (const std::exception& e) {
            return failed(e);
        }
    }

    util::Status for_each_cv(const std::function<void(engine::ResultRow&&)>& each) override {
        try {
            SQLite::Database& db = state();
            RawStatement q;
            q.prepare(db.getHandle(), std::string("SELECT ") + k_result_columns +
                                          " FROM result WHERE kind = 'cv' AND id > ?1 ORDER BY id LIMIT " +
                                          std::to_string(k_chunk));
            std::string after;
            for (;;) {
                // Each chunk is its own short read, so the scan's checkpoints are never starved.
                q.reset();
                const std::string bound = after;
                q.text(1, bound);
                int n = 0;
                while (q.step()) {
                    engine::ResultRow row;
                    read_result_row(q.get(), model::Kind::cv, row);
                    after = row.id;
                    each(std::move(row));
                    ++n;
                }
                if (n < k_chunk) {
                    return {};
                }
            }
        } catch (const std::exception& e) {
            return list_error(m_state_path, e);
        }
    }

    util::Expected<std::vector<engine::ResultRow>> vacancies_of(const std::string& employer_id) override {
        std::vector<std::string> ids;
        if (m_pg) {
            auto found = m_pg->vacancy_ids_of(employer_id);
            if (!found) {
                return found.error();
            }
            ids = std::move(*found);
        } else {
            try {
                SQLite::Statement q(source(), "SELECT id FROM vacancy WHERE employer_id = ? ORDER BY id");
                q.bind(1, employer_id);
                while (q.executeStep()) {
                    ids.push_back(q.getColumn(0).getString());
                }
            } catch (const std::exception& e) {
                return list_error(m_source_path, e);
            }
        }
        std::vector<engine::ResultRow> rows;
        try {
            RawStatement q;
            q.prepare(state().getHandle(),
                      std::string("SELECT ") + k_result_columns + " FROM result WHERE kind = 'vacancy' AND id = ?1");
            for (const auto& id : ids) {
                q.reset();
                q.text(1, id);
                if (q.step()) {
                    engine::ResultRow row;
                    read_result_row(q.get(), model::Kind::vacancy, row);
                    rows.push_back(std::move(row));
                }
            }
            q.reset();
        } catch (const std::exception& e) {
            return list_error(m_state_path, e);
        }
        return rows;
    }

    util::Expected<std::vector<GroupFigures>> groups(std::int64_t scan_id, const std::string& kind,
                                                     const std::string& split) override {
        try {
            SQLite::Statement q(state(),
                                "SELECT split, value, records, avg_score, score_tenths FROM scan_group "
                                "WHERE scan_id = ? AND kind = ? AND split = ? ORDER BY value");
            q.bind(1, scan_id);
            q.bind(2, kind);
            q.bind(3, split);
            std::vector<GroupFigures> out;
            while (q.executeStep()) {
                out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64(),
                               q.getColumn(3).getDouble(), q.getColumn(4).getInt64()});
            }
            return out;
        } catch (const std::exception& e) {
            return list_error(m_state_path, e);
        }
    }

    util::Expected<std::vector<RuleFigures>> rules(std::int64_t scan_id, const std::string& kind) override {
        try {
            SQLite::Statement q(state(),
                                "SELECT rule_id, failing FROM scan_rule "
                                "WHERE scan_id = ? AND kind = ? AND split = 'all' AND value = '' ORDER BY rule_id");
            q.bind(1, scan_id);
            q.bind(2, kind);
            std::vector<RuleFigures> out;
            while (q.executeStep()) {
                out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64()});
            }
            return out;
        } catch (const std::exception& e) {
            return list_error(m_state_path, e);
        }
    }

private:
    SQLite::Database& state() {
        if (!m_state) {
            SQLite::Database db = open_read_only(m_state_path);
            require_readable_state(db);
            m_state.emplace(std::move(db));
        }
        return *m_state;
    }
    SQLite::Database& source() {
        if (!m_source) {
            m_source.emplace(open_read_only(m_source_path));
        }
        return *m_source;
    }
    static std::optional<ScanStamp> stamp(SQLite::Statement& q) {
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return ScanStamp{q.getColumn(0).getInt64(), q.getColumn(1).getString()};
    }
    util::Error failed(const std::exception& e) { return list_error(m_state_path, e); }

    std::string m_state_path;
    std::string m_source_path;
    std::optional<SQLite::Database> m_state;  // before any statement on it
    std::optional<SQLite::Database> m_source;
    std::unique_ptr<PgLookup> m_pg;  // a PostgreSQL source: the employer's vacancies come from it
};

}  // namespace

std::unique_ptr<ResultLists> open_result_lists(const std::string& state_db, const std::string& source_db,
                                               const PgSettings& source_pg) {
    return std::make_unique<SqliteResultLists>(state_db, source_db, source_pg);
}

}  // namespace spiegel::store
