#include "daemon/app/source_access.h"

#include "daemon/store/pg_source.h"
#include "daemon/store/pg_target.h"
#include "daemon/store/source_stream.h"

namespace spiegel::app {

store::PgSettings pg_settings(const Config& config) {
    return store::PgSettings{config.source.conninfo, config.source.password_file,
                             config.source.schema};
}

util::Expected<ScanSource> open_scan_source(const Config& config) {
    ScanSource out;
    if (config.source.postgresql()) {
        auto conn = store::PgConn::connect(pg_settings(config));
        if (!conn) {
            return conn.error();
        }
        out.pg = std::move(*conn);
        auto source = store::PgRecordSource::begin(*out.pg, config.scan.chunk_size);
        if (!source) {
            return source.error();
        }
        out.source = std::move(*source);
        return out;
    }
    auto db = store::SourceDb::open(config.source.database, store::SourceDb::Mode::read_only);
    if (!db) {
        return db.error();
    }
    out.sqlite = std::move(*db);
    out.source = std::make_unique<store::SourceRecordSource>(*out.sqlite, config.scan.chunk_size);
    return out;
}

util::Expected<WriteTarget> open_write_target(const Config& config) {
    WriteTarget out;
    if (config.source.postgresql()) {
        auto conn = store::PgConn::connect(pg_settings(config));
        if (!conn) {
            return conn.error();
        }
        out.pg = std::move(*conn);
        out.pg_target = std::make_unique<store::PgTarget>(*out.pg);
        out.target = out.pg_target.get();
        return out;
    }
    auto db = store::SourceDb::open(config.source.database, store::SourceDb::Mode::read_write);
    if (!db) {
        return db.error();
    }
    out.sqlite = std::move(*db);
    out.target = out.sqlite.get();
    return out;
}

}  // namespace spiegel::app
