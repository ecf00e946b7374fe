#pragma once
// The scan engine's RecordSource over the source database: keyset chunks via
// SourceDb::read_chunk, each chunk its own short read, so a scan never holds
// a long read transaction or a whole table in memory. Not thread-safe; one
// per SourceDb (one per thread).

#include <cstddef>
#include <memory>

#include "daemon/engine/record_stream.h"
#include "daemon/store/source_db.h"

namespace spiegel::store {

class SourceRecordSource final : public engine::RecordSource {
public:
    // Turns memory mapping off on db's connection (mapped pages count as
    // resident, so a scan's footprint would grow with the database) and
    // keeps its page cache small (8 MiB): scans read each page once.
    SourceRecordSource(SourceDb& db, std::size_t chunk_size);

    util::Expected<std::unique_ptr<engine::RecordStream>> open(const engine::StreamRequest& request) override;
    util::Expected<std::int64_t> change_seq() override;
    util::Expected<std::vector<std::string>> deleted_since(model::Kind kind, std::int64_t since_seq) override;
    util::Expected<bool> changed_since(model::Kind kind, std::int64_t since_seq) override;
    util::Expected<std::int64_t> changed_count(model::Kind kind, std::int64_t since_seq) override;

private:
    SourceDb& m_db;
    std::size_t m_chunk_size;
};

}  // namespace spiegel::store
