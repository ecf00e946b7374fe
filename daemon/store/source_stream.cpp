#include "daemon/store/source_stream.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace spiegel::store {
namespace {

class SourceStream final : public engine::RecordStream {
public:
    SourceStream(SourceDb& db, ChunkQuery query) : m_db(db), m_query(std::move(query)) {}

    util::Expected<std::size_t> next_chunk(model::Arena& arena, std::vector<model::Record>& out) override {
        return m_db.read_chunk(m_query, m_cursor, arena, out);
    }
    void set_reuse(engine::ReuseCheck* check) override { m_query.reuse = check; }

private:
    SourceDb& m_db;
    ChunkQuery m_query;
    Cursor m_cursor;
};

}  // namespace

SourceRecordSource::SourceRecordSource(SourceDb& db, std::size_t chunk_size)
    : m_db(db), m_chunk_size(chunk_size) {
    try {
        m_db.database().exec("PRAGMA mmap_size=0");
        // Scans read each page once, in order: a large page cache only adds
        // resident memory.
        m_db.database().exec("PRAGMA cache_size=-8192");
    } catch (const std::exception&) {
        // Only a footprint optimisation; reads work either way.
    }
}

util::Expected<std::unique_ptr<engine::RecordStream>> SourceRecordSource::open(
    const engine::StreamRequest& request) {
    ChunkQuery query;
    query.kind = request.kind;
    query.changes_only = request.changes_only;
    query.since_seq = request.since_seq;
    query.limit = m_chunk_size == 0 ? 1000 : m_chunk_size;
    query.wanted = request.wanted;
    return std::unique_ptr<engine::RecordStream>(std::make_unique<SourceStream>(m_db, std::move(query)));
}

util::Expected<std::int64_t> SourceRecordSource::change_seq() { return m_db.current_change_seq(); }

util::Expected<std::vector<std::string>> SourceRecordSource::deleted_since(model::Kind kind,
                                                                          std::int64_t since_seq) {
    return m_db.deleted_since(kind, since_seq);
}

util::Expected<bool> SourceRecordSource::changed_since(model::Kind kind, std::int64_t since_seq) {
    const std::string table(model::schema_for(kind).table);
    try {
        SQLite::Statement q(m_db.database(),
                            "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE change_seq > ?1) OR "
                            "EXISTS (SELECT 1 FROM source_tombstone WHERE kind = ?2 AND change_seq > ?1)");
        q.bind(1, since_seq);
        q.bind(2, table);
        q.executeStep();
        return q.getColumn(0).getInt() != 0;
    } catch (const std::exception& e) {
        return util::Error{m_db.path() + ": checking " + table + " for changes: " + e.what()};
    }
}

// Counted through the change index: the cost follows the changed rows.
util::Expected<std::int64_t> SourceRecordSource::changed_count(model::Kind kind, std::int64_t since_seq) {
    const std::string table(model::schema_for(kind).table);
    try {
        SQLite::Statement q(m_db.database(), "SELECT count(*) FROM " + table + " WHERE change_seq > ?1");
        q.bind(1, since_seq);
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
        return util::Error{m_db.path() + ": counting changed " + table + " records: " + e.what()};
    }
}

}  // namespace spiegel::store
