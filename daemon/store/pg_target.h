#pragma once
// Writing records into a PostgreSQL source (`spiegeld import`, `spiegeld
// demo`): one transaction per writer. Records are streamed with COPY into
// a temporary staging table per kind and upserted into the source table at
// commit (INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE), so the
// triggers stamp change_xid exactly as for an ETL job's writes. Nothing is
// visible before commit(); a writer destroyed without commit(), a lost
// connection or a killed process leaves the tables as they were.
//
// Timestamp and date text that is no valid value (the record contract keeps
// it; the rules flag it) goes to the row's invalid_values instead of the
// typed column, so scans read it exactly as from the SQLite source.
// Not thread-safe: one writer per connection.

#include <memory>
#include <string>

#include "daemon/store/pg_conn.h"
#include "daemon/store/record_writer.h"

namespace spiegel::store {

class PgTarget final : public RecordTarget {
  public:
    explicit PgTarget(PgConn& conn) : m_conn(conn) {}
    util::Expected<std::unique_ptr<RecordWriter>> begin_records() override;
    std::string target_name() const override { return m_conn.where(); }
    // text and jsonb cannot hold U+0000: a record with it in a field of the
    // contract (a string, an item of a repeated field, an unknown field kept
    // in an item) is refused. Unknown top-level fields go to extra_fields,
    // of type json: JSON text, where U+0000 is the escape \u0000, stored as is.
    util::Status storable(const model::Record& record) const override;

  private:
    PgConn& m_conn;
};

// Appends `record` as one line of COPY text format for the staging table
// (ord, fields..., extra_fields, invalid_values). Exposed for tests.
void append_copy_row(std::string& out, std::int64_t ord, const model::Record& record);

}  // namespace spiegel::store
