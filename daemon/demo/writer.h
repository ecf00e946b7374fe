#pragma once
// Writes the generator's records into the source database in one
// transaction (a store::RecordWriter: SQLite or PostgreSQL), employers first, then vacancies, then CVs.
// Existing rows with the same ids are replaced (upsert), so re-running with
// the same plan is idempotent. On error nothing is written.

#include <cstdint>
#include <functional>

#include "daemon/demo/generator.h"
#include "daemon/store/record_writer.h"

namespace spiegel::demo {

// Called after every batch with the kind, records done of that kind and its total.
using Progress = std::function<void(model::Kind kind, std::int64_t done, std::int64_t total)>;

struct WriteCounts {
    std::int64_t cvs = 0;
    std::int64_t vacancies = 0;
    std::int64_t employers = 0;
};

util::Expected<WriteCounts> write_demo(store::RecordTarget& db, const Generator& generator,
                                       const Progress& progress = {}, std::size_t batch = 250);

}  // namespace spiegel::demo
