#pragma once
// The scan engine's RecordSource over a PostgreSQL source (docs/scan.md,
// docs/source-schema.md). One object is one scan: it opens a REPEATABLE
// READ READ ONLY transaction, so every stream and every change question
// reads the same snapshot, and ends it when destroyed. Records are read in
// keyset chunks (rid, or change_xid and rid for change reads), only the
// columns the rules use, decoded straight into the caller's arena.
//
// Change watermark: the snapshot's xmin (the oldest transaction still
// running when the snapshot was taken). Every change not visible to this
// scan was made by a transaction with an id >= xmin, so the next scan's
// change read (change_xid >= watermark) includes it, whatever order the
// writers committed in. Not thread-safe; one per PgConn.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "daemon/engine/record_stream.h"
#include "daemon/store/pg_conn.h"

namespace spiegel::store {

class PgRecordSource final : public engine::RecordSource {
  public:
    // Starts the scan's transaction and takes its snapshot.
    static util::Expected<std::unique_ptr<PgRecordSource>> begin(PgConn& conn,
                                                                 std::size_t chunk_size);
    ~PgRecordSource() override;  // ends the read-only transaction
    PgRecordSource(const PgRecordSource&) = delete;
    PgRecordSource& operator=(const PgRecordSource&) = delete;

    util::Expected<std::unique_ptr<engine::RecordStream>> open(
        const engine::StreamRequest& request) override;
    util::Expected<std::int64_t> change_seq() override;
    util::Expected<std::vector<std::string>> deleted_since(model::Kind kind,
                                                           std::int64_t since_seq) override;
    util::Expected<bool> changed_since(model::Kind kind, std::int64_t since_seq) override;

  private:
    PgRecordSource(PgConn& conn, std::size_t chunk_size, std::int64_t xmin);
    PgConn& m_conn;
    std::size_t m_chunk_size;
    std::int64_t m_xmin;
    int m_statements = 0;  // prepared statements so far (unique names)
};

// Checks that the connected database holds the source schema this build
// reads (every table and column of docs/source-schema.md) and that the
// connected role may read it. Returns every problem, each naming the table
// or column; empty when all is well.
util::Expected<std::vector<std::string>> pg_check_schema(PgConn& conn);

}  // namespace spiegel::store
