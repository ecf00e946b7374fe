#pragma once
// Stored results for the lists people work from (docs/web.md): the
// adviser's worklist, the employer's own vacancies and the officer's
// overview. A small typed interface over the state database (and, for an
// employer's vacancy ids, the source database), so the pages never see
// SQL and the result store's internals may change behind it.
//
// One ResultLists is one pair of read-only connections: not thread-safe;
// give each thread its own. Errors name the file, never data.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/engine/result.h"
#include "daemon/store/pg_conn.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

// The last completed scan: its id and as-of time (RFC 3339).
struct ScanStamp {
    std::int64_t id = 0;
    std::string as_of;
};

// One group of one scan (scan_group): records and their mean score, and
// per rule the records failing it (scan_rule).
struct GroupFigures {
    std::string split;  // region, target_group, all
    std::string value;
    std::int64_t records = 0;
    double avg_score = 0;
    std::int64_t score_tenths = 0;  // the exact sum of the scores, in tenths
};
struct RuleFigures {
    std::string rule_id;
    std::int64_t failing = 0;
};

class ResultLists {
public:
    virtual ~ResultLists() = default;

    // The latest scan with status ok; empty before the first.
    virtual util::Expected<std::optional<ScanStamp>> current_scan() = 0;
    // The latest ok scan whose as_of is at or before `as_of` (RFC 3339).
    virtual util::Expected<std::optional<ScanStamp>> scan_at_or_before(const std::string& as_of) = 0;
    // Every stored CV result, in id order, streamed in short chunks.
    virtual util::Status for_each_cv(const std::function<void(engine::ResultRow&&)>& each) = 0;
    // The stored results of the vacancies of one employer (by the source's
    // employer_id), in id order.
    virtual util::Expected<std::vector<engine::ResultRow>> vacancies_of(const std::string& employer_id) = 0;
    // Groups of a scan for one kind and split; rules failing per group.
    virtual util::Expected<std::vector<GroupFigures>> groups(std::int64_t scan_id, const std::string& kind,
                                                             const std::string& split) = 0;
    virtual util::Expected<std::vector<RuleFigures>> rules(std::int64_t scan_id, const std::string& kind) = 0;
};

// SQLite implementation; the databases are opened on first use.
// With a PostgreSQL source (source_pg.conninfo not empty) the employer's
// vacancies are read from it instead of source_db.
std::unique_ptr<ResultLists> open_result_lists(const std::string& state_db, const std::string& source_db,
                                               const PgSettings& source_pg = {});

}  // namespace spiegel::store
