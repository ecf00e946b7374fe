#pragma once
// Opens the configured source (config source.kind): the SQLite file or a
// PostgreSQL server, for a scan (read-only) or for writing (import, demo).
// The returned objects own their connections. Errors name the file or the
// server (host, port, database) and the reason, never a password.

#include <memory>

#include "daemon/app/config.h"
#include "daemon/engine/record_stream.h"
#include "daemon/store/pg_conn.h"
#include "daemon/store/record_writer.h"
#include "daemon/store/source_db.h"

namespace spiegel::app {

store::PgSettings pg_settings(const Config& config);

// A scan's source: its snapshot (PostgreSQL) is taken when opened.
struct ScanSource {
    std::unique_ptr<store::SourceDb> sqlite;
    std::unique_ptr<store::PgConn> pg;
    std::unique_ptr<engine::RecordSource> source;  // declared last: destroyed first
};
util::Expected<ScanSource> open_scan_source(const Config& config);

// Where import and demo write.
struct WriteTarget {
    std::unique_ptr<store::SourceDb> sqlite;
    std::unique_ptr<store::PgConn> pg;
    std::unique_ptr<store::RecordTarget> pg_target;
    store::RecordTarget* target = nullptr;
};
util::Expected<WriteTarget> open_write_target(const Config& config);

}  // namespace spiegel::app
