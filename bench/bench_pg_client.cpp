// libpq against libpqxx for the PostgreSQL source's reads (docs/scale.md):
// reads every cv row of a PostgreSQL source in keyset chunks of 2,000 with
// the scan's query (every column, text format) three ways: raw libpq,
// libpqxx, and Spiegel's own PgRecordSource (libpq plus decoding into the
// arena). Prints the best of 5 runs of each. The database must hold the
// source schema and data (bench/pg_source.sh runs it after its demo).
//
//   bench_pg_client "host=/tmp/x port=5432 dbname=werk user=postgres"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/schema.h"
#include "daemon/store/pg_conn.h"
#include "daemon/store/pg_source.h"

namespace {

using namespace spiegel;
constexpr int k_chunk = 2000;

std::string scan_sql() {
    std::string sql = "SELECT rid, change_xid::text, extra_fields::text, invalid_values::text";
    for (const auto& f : model::schema_for(model::Kind::cv).fields) {
        const std::string n(f.name);
        switch (f.type) {
            case model::FieldType::timestamp:
                sql += ", to_char(" + n + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
                break;
            case model::FieldType::string_array:
            case model::FieldType::object_array:
                sql += ", " + n + "::text";
                break;
            default:
                sql += ", " + n;
        }
    }
    return sql + " FROM cv WHERE rid > $1::bigint ORDER BY rid LIMIT " + std::to_string(k_chunk);
}

struct Tally {
    long long rows = 0;
    long long bytes = 0;
};

Tally read_libpq(const std::string& conninfo) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    Tally t;
    PQclear(PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    PQclear(PQprepare(c, "scan", scan_sql().c_str(), 1, nullptr));
    std::string cursor = "0";
    for (;;) {
        const char* params[] = {cursor.c_str()};
        PGresult* r = PQexecPrepared(c, "scan", 1, params, nullptr, nullptr, 0);
        const int rows = PQntuples(r);
        const int cols = PQnfields(r);
        for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < cols; ++j) {
                if (!PQgetisnull(r, i, j)) {
                    t.bytes += PQgetlength(r, i, j);
                }
            }
        }
        if (rows > 0) {
            cursor = PQgetvalue(r, rows - 1, 0);
        }
        t.rows += rows;
        PQclear(r);
        if (rows == 0) {
            break;
        }
    }
    PQclear(PQexec(c, "ROLLBACK"));
    PQfinish(c);
    return t;
}

Tally read_libpqxx(const std::string& conninfo) {
    pqxx::connection c(conninfo);
    c.prepare("scan", scan_sql());
    pqxx::work tx(c);
    tx.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    Tally t;
    long long cursor = 0;
    for (;;) {
        const pqxx::result r = tx.exec_prepared("scan", cursor);
        for (const auto& row : r) {
            for (const auto& field : row) {
                if (!field.is_null()) {
                    t.bytes += static_cast<long long>(field.size());
                }
            }
        }
        if (r.empty()) {
            break;
        }
        cursor = r.back()[0].as<long long>();
        t.rows += static_cast<long long>(r.size());
    }
    tx.abort();
    return t;
}

Tally read_spiegel(const std::string& conninfo) {
    Tally t;
    auto conn = store::PgConn::connect(store::PgSettings{conninfo, "", "public"});
    if (!conn) {
        std::fprintf(stderr, "%s\n", conn.error().message.c_str());
        return t;
    }
    auto source = store::PgRecordSource::begin(**conn, k_chunk);
    engine::StreamRequest request;
    request.kind = model::Kind::cv;
    auto stream = (*source)->open(request);
    model::Arena arena(1 << 20);
    std::vector<model::Record> out;
    for (;;) {
        arena.reset();
        out.clear();
        auto n = (*stream)->next_chunk(arena, out);
        if (!n || *n == 0) {
            break;
        }
        t.rows += static_cast<long long>(*n);
    }
    return t;
}

void time_it(const char* name, const std::function<Tally()>& run) {
    double best = 1e9;
    Tally t;
    for (int i = 0; i < 5; ++i) {
        const auto start = std::chrono::steady_clock::now();
        t = run();
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("%-32s %8.3f s  %9.0f rows/s  (%lld rows)\n", name, best,
                static_cast<double>(t.rows) / best, t.rows);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_pg_client CONNINFO\n");
        return 2;
    }
    const std::string conninfo = argv[1];
    time_it("libpq (raw, text)", [&] { return read_libpq(conninfo); });
    time_it("libpqxx 6 (text)", [&] { return read_libpqxx(conninfo); });
    time_it("PgRecordSource (libpq+decode)", [&] { return read_spiegel(conninfo); });
    return 0;
}
