// Result-store layouts compared (docs/scan.md, "Result store"): prints
// figures, asserts nothing.
//
//   bench_result_store [RECORDS] [--random-ids]
//                                    (default 250000; 1% of them change)
//
// What a scan and a card need from the stored per-record results, on four
// layouts in SQLite (WAL, synchronous=NORMAL, one transaction per phase,
// page cache 8 MiB as in a scan):
//   text: the layout of state schema 8 — WITHOUT ROWID keyed by (kind, id)
//         text with 29 more columns, no secondary index;
//   rowid + id index: an INTEGER PRIMARY KEY made of (kind, source row id),
//         the same columns, and a unique index on (kind, id) for what looks
//         a record up by id (cards, deletions);
//   rowid: (kind, source row id) and one compact payload blob, no id index;
//   chunks: 256 results per blob keyed by (kind, row-id range), with a
//         small side table of results changed since the last full scan.
// Rows come in source-row order, as a scan reads them. The ids are the
// demo's (`cv-<row>`: in text order, runs of consecutive rows) or, with
// --random-ids, 12 random hex digits per row, as ids assigned elsewhere
// are: then each insert into a table keyed by id lands on a random page.
// Phases: the first full scan (empty store), a rescan of unchanged data
// (read back in key order, compare, write nothing), an incremental scan of
// 1% random rows (read the old result, write the new one), and point reads
// by row id (what a card does).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int k_chunk = 256;
constexpr std::int64_t k_kind_shift = 40;

struct Db {
    sqlite3* db = nullptr;
    explicit Db(const std::string& path) {
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
        sqlite3_open(path.c_str(), &db);
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192");
    }
    ~Db() { sqlite3_close(db); }
    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::fprintf(stderr, "bench_result_store: %s: %s\n", sql, err);
            std::exit(1);
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "bench_result_store: %s: %s\n", sql, sqlite3_errmsg(db));
            std::exit(1);
        }
        return s;
    }
};

// A synthetic result payload of about the size of a demo CV's (score,
// failed rules, dimensions, region, groups, occupation, skills, ...).
std::string payload(std::int64_t row, int version) {
    std::string p(120, '\0');
    std::uint64_t x = static_cast<std::uint64_t>(row) * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(version);
    for (char& c : p) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        c = static_cast<char>('a' + (x % 26));
    }
    return p;
}

bool g_random_ids = false;

std::string id_of(std::int64_t row) {
    if (!g_random_ids) {
        return "cv-" + std::to_string(row);
    }
    std::uint64_t x = static_cast<std::uint64_t>(row) * 0xD6E8FEB86659FD93ULL;
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ULL;
    x ^= x >> 32;
    char hex[16];
    std::snprintf(hex, sizeof hex, "%012llx", static_cast<unsigned long long>(x & 0xFFFFFFFFFFFFULL));
    return std::string("cv-") + hex;
}

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Layout {
    const char* name;
    std::function<void(Db&)> create;
    std::function<void(Db&, std::int64_t)> first;     // insert rows 1..n
    std::function<void(Db&, std::int64_t)> rescan;    // read in order, compare, write nothing
    std::function<void(Db&, const std::vector<std::int64_t>&)> incremental;
    std::function<void(Db&, const std::vector<std::int64_t>&)> lookup;
};

// --- text: the layout of state schema 8 -----------------------------------

constexpr const char* k_columns =
    "scan_id INTEGER, score REAL, failed TEXT, c1, c2, c3, c4, c5, c6, unreadable INTEGER, region TEXT, "
    "groups TEXT, occupation TEXT, visible INTEGER, education TEXT, birth TEXT, hours TEXT, skills TEXT, "
    "licences TEXT, co TEXT, open INTEGER, salary INTEGER, hmin TEXT, hmax TEXT, na TEXT, source_row INTEGER, "
    "digest INTEGER, content_hash INTEGER, valid_until INTEGER, score_as_of TEXT";

void text_create(Db& d) {
    d.exec((std::string("CREATE TABLE result (kind TEXT NOT NULL, id TEXT NOT NULL, ") + k_columns +
            ", PRIMARY KEY (kind, id)) WITHOUT ROWID")
               .c_str());
}

std::int64_t key_of(std::int64_t row) { return (std::int64_t{0} << k_kind_shift) | row; }

// The same columns keyed by (kind, source row), ids in a unique index.
void keyed_create(Db& d) {
    d.exec((std::string("CREATE TABLE result (key INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, ") +
            k_columns + "); CREATE UNIQUE INDEX result_id ON result (kind, id)")
               .c_str());
}

// ?1 kind, ?2 id, ?3 score, ?4 failed, ?5 occupation, ?6 skills, ?7 source
// row, ?8 digest, ?9 content hash, ?10 key.
void wide_bind(sqlite3_stmt* s, std::int64_t row, int version) {
    const std::string id = id_of(row);
    const std::string p = payload(row, version);
    sqlite3_bind_text(s, 1, "cv", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(s, 3, static_cast<double>(row % 1000) / 10.0);
    sqlite3_bind_text(s, 4, p.substr(0, 20).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, std::to_string(row % 400).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, p.substr(20).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 7, row);
    sqlite3_bind_int64(s, 8, static_cast<std::int64_t>(row * 0x9E3779B97F4A7C15LL + version));
    sqlite3_bind_int64(s, 9, static_cast<std::int64_t>(row * 0xC2B2AE3D27D4EB4FLL));
    sqlite3_bind_int64(s, 10, key_of(row));
}

constexpr const char* k_insert =
    "INSERT INTO result (%s kind, id, scan_id, score, failed, c1, c2, c3, c4, c5, c6, unreadable, region, groups, "
    "occupation, visible, education, birth, hours, skills, licences, co, source_row, digest, content_hash, "
    "valid_until, score_as_of) VALUES (%s ?1, ?2, 1, ?3, ?4, 1, 1, 1, 1, 1, 1, 0, 'AM21', '', ?5, 1, 'mbo4', "
    "'1981-1990', '8', ?6, 'B', '', ?7, ?8, ?9, 9223372036854775807, '2026-11-01T00:00:00Z')";

void wide_first(Db& d, std::int64_t n, bool keyed) {
    char sql[1024];
    std::snprintf(sql, sizeof sql, k_insert, keyed ? "key," : "", keyed ? "?10," : "");
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare(sql);
    for (std::int64_t r = 1; r <= n; ++r) {
        wide_bind(s, r, 0);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
}
void text_first(Db& d, std::int64_t n) { wide_first(d, n, false); }
void keyed_first(Db& d, std::int64_t n) { wide_first(d, n, true); }

// A rescan of unchanged data reads (source row, content hash, valid
// until) of the kind's stored results once, sorted by row, and writes
// nothing (ResultWriter::load_reuse).
void wide_rescan(Db& d, std::int64_t n, const char* sql) {
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare(sql);
    std::vector<std::pair<std::int64_t, std::int64_t>> rows;
    while (sqlite3_step(s) == SQLITE_ROW) {
        rows.emplace_back(sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1) ^ sqlite3_column_int64(s, 2));
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
    std::sort(rows.begin(), rows.end());
    if (static_cast<std::int64_t>(rows.size()) != n) {
        std::fprintf(stderr, "rescan: %zu of %lld stored\n", rows.size(), static_cast<long long>(n));
    }
}
void text_rescan(Db& d, std::int64_t n) {
    wide_rescan(d, n, "SELECT source_row, content_hash, valid_until FROM result WHERE kind = 'cv'");
}
void keyed_rescan(Db& d, std::int64_t n) {
    wide_rescan(d, n, "SELECT source_row, content_hash, valid_until FROM result WHERE key >= 0 ORDER BY key");
}

// An incremental scan: the changed record's stored result looked up (by
// id, or by the source row the change read), then rewritten.
void wide_incremental(Db& d, const std::vector<std::int64_t>& rows, bool keyed) {
    d.exec("BEGIN");
    sqlite3_stmt* old = d.prepare(keyed ? "SELECT content_hash, valid_until FROM result WHERE key = ?10"
                                        : "SELECT source_row, content_hash, valid_until FROM result WHERE "
                                          "kind = ?1 AND id = ?2");
    sqlite3_stmt* up = d.prepare(keyed ? "UPDATE result SET score = ?3, failed = ?4, occupation = ?5, skills = ?6, "
                                         "digest = ?8 WHERE key = ?10 AND ?1 IS NOT NULL AND ?2 IS NOT NULL "
                                         "AND ?7 IS NOT NULL AND ?9 IS NOT NULL"
                                       : "UPDATE result SET score = ?3, failed = ?4, occupation = ?5, skills = ?6, "
                                         "digest = ?8 WHERE kind = ?1 AND id = ?2 AND ?7 IS NOT NULL AND "
                                         "?9 IS NOT NULL AND ?10 IS NOT NULL");
    for (std::int64_t r : rows) {
        wide_bind(old, r, 1);
        sqlite3_step(old);
        sqlite3_reset(old);
        wide_bind(up, r, 1);
        sqlite3_step(up);
        sqlite3_reset(up);
    }
    sqlite3_finalize(old);
    sqlite3_finalize(up);
    d.exec("COMMIT");
}
void text_incremental(Db& d, const std::vector<std::int64_t>& rows) { wide_incremental(d, rows, false); }
void keyed_incremental(Db& d, const std::vector<std::int64_t>& rows) { wide_incremental(d, rows, true); }

// A card looks its record up by id (through the index when keyed by row).
void text_lookup(Db& d, const std::vector<std::int64_t>& rows) {
    sqlite3_stmt* s = d.prepare("SELECT skills FROM result WHERE kind = 'cv' AND id = ?1");
    for (std::int64_t r : rows) {
        const std::string id = id_of(r);
        sqlite3_bind_text(s, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

// --- rowid: (kind, row) as INTEGER PRIMARY KEY, one payload blob -----------

void rowid_create(Db& d) { d.exec("CREATE TABLE result (key INTEGER PRIMARY KEY, data BLOB NOT NULL)"); }

void rowid_first(Db& d, std::int64_t n) {
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("INSERT INTO result (key, data) VALUES (?1, ?2)");
    for (std::int64_t r = 1; r <= n; ++r) {
        const std::string p = payload(r, 0);
        sqlite3_bind_int64(s, 1, key_of(r));
        sqlite3_bind_blob(s, 2, p.data(), static_cast<int>(p.size()), SQLITE_TRANSIENT);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
}

void rowid_rescan(Db& d, std::int64_t n) {
    // One ordered read beside the scan's own order; nothing written.
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("SELECT key, data FROM result WHERE key >= ?1 ORDER BY key");
    sqlite3_bind_int64(s, 1, key_of(1));
    std::int64_t same = 0;
    for (std::int64_t r = 1; r <= n && sqlite3_step(s) == SQLITE_ROW; ++r) {
        const std::string p = payload(r, 0);
        same += sqlite3_column_int64(s, 0) == key_of(r) && sqlite3_column_bytes(s, 1) == static_cast<int>(p.size()) &&
                        std::memcmp(sqlite3_column_blob(s, 1), p.data(), p.size()) == 0
                    ? 1
                    : 0;
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
    if (same != n) {
        std::fprintf(stderr, "rowid rescan: %lld of %lld unchanged\n", static_cast<long long>(same),
                     static_cast<long long>(n));
    }
}

void rowid_incremental(Db& d, const std::vector<std::int64_t>& rows) {
    d.exec("BEGIN");
    sqlite3_stmt* old = d.prepare("SELECT data FROM result WHERE key = ?1");
    sqlite3_stmt* up = d.prepare("UPDATE result SET data = ?2 WHERE key = ?1");
    for (std::int64_t r : rows) {
        sqlite3_bind_int64(old, 1, key_of(r));
        sqlite3_step(old);
        sqlite3_reset(old);
        const std::string p = payload(r, 1);
        sqlite3_bind_int64(up, 1, key_of(r));
        sqlite3_bind_blob(up, 2, p.data(), static_cast<int>(p.size()), SQLITE_TRANSIENT);
        sqlite3_step(up);
        sqlite3_reset(up);
    }
    sqlite3_finalize(old);
    sqlite3_finalize(up);
    d.exec("COMMIT");
}

void rowid_lookup(Db& d, const std::vector<std::int64_t>& rows) {
    sqlite3_stmt* s = d.prepare("SELECT data FROM result WHERE key = ?1");
    for (std::int64_t r : rows) {
        sqlite3_bind_int64(s, 1, key_of(r));
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
}

// --- chunks: 256 results per blob, changes since the last full scan apart -

void chunks_create(Db& d) {
    d.exec("CREATE TABLE result_chunk (key INTEGER PRIMARY KEY, data BLOB NOT NULL);"
           "CREATE TABLE result_change (key INTEGER PRIMARY KEY, data BLOB NOT NULL);");
}

std::string chunk_of(std::int64_t first, std::int64_t n, int version) {
    std::string c;
    for (std::int64_t r = first; r < first + k_chunk && r <= n; ++r) {
        c += payload(r, version);
    }
    return c;
}

void chunks_first(Db& d, std::int64_t n) {
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("INSERT INTO result_chunk (key, data) VALUES (?1, ?2)");
    for (std::int64_t r = 1; r <= n; r += k_chunk) {
        const std::string c = chunk_of(r, n, 0);
        sqlite3_bind_int64(s, 1, key_of(r / k_chunk));
        sqlite3_bind_blob(s, 2, c.data(), static_cast<int>(c.size()), SQLITE_TRANSIENT);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
}

void chunks_rescan(Db& d, std::int64_t n) {
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("SELECT key, data FROM result_chunk ORDER BY key");
    std::int64_t same = 0;
    for (std::int64_t r = 1; r <= n && sqlite3_step(s) == SQLITE_ROW; r += k_chunk) {
        const std::string c = chunk_of(r, n, 0);
        same += sqlite3_column_bytes(s, 1) == static_cast<int>(c.size()) &&
                        std::memcmp(sqlite3_column_blob(s, 1), c.data(), c.size()) == 0
                    ? 1
                    : 0;
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
    (void)same;
}

void chunks_incremental(Db& d, const std::vector<std::int64_t>& rows) {
    // The old result comes from the change table or its chunk; the new one
    // goes to the change table (a full scan folds the changes into chunks).
    d.exec("BEGIN");
    sqlite3_stmt* change = d.prepare("SELECT data FROM result_change WHERE key = ?1");
    sqlite3_stmt* chunk = d.prepare("SELECT substr(data, ?2, 120) FROM result_chunk WHERE key = ?1");
    sqlite3_stmt* up = d.prepare("INSERT OR REPLACE INTO result_change (key, data) VALUES (?1, ?2)");
    for (std::int64_t r : rows) {
        sqlite3_bind_int64(change, 1, key_of(r));
        if (sqlite3_step(change) != SQLITE_ROW) {
            sqlite3_bind_int64(chunk, 1, key_of(r / k_chunk));
            sqlite3_bind_int64(chunk, 2, 1 + 120 * ((r - 1) % k_chunk));
            sqlite3_step(chunk);
            sqlite3_reset(chunk);
        }
        sqlite3_reset(change);
        const std::string p = payload(r, 1);
        sqlite3_bind_int64(up, 1, key_of(r));
        sqlite3_bind_blob(up, 2, p.data(), static_cast<int>(p.size()), SQLITE_TRANSIENT);
        sqlite3_step(up);
        sqlite3_reset(up);
    }
    sqlite3_finalize(change);
    sqlite3_finalize(chunk);
    sqlite3_finalize(up);
    d.exec("COMMIT");
}

void chunks_lookup(Db& d, const std::vector<std::int64_t>& rows) {
    sqlite3_stmt* change = d.prepare("SELECT data FROM result_change WHERE key = ?1");
    sqlite3_stmt* chunk = d.prepare("SELECT substr(data, ?2, 120) FROM result_chunk WHERE key = ?1");
    for (std::int64_t r : rows) {
        sqlite3_bind_int64(change, 1, key_of(r));
        if (sqlite3_step(change) != SQLITE_ROW) {
            sqlite3_bind_int64(chunk, 1, key_of(r / k_chunk));
            sqlite3_bind_int64(chunk, 2, 1 + 120 * ((r - 1) % k_chunk));
            sqlite3_step(chunk);
            sqlite3_reset(chunk);
        }
        sqlite3_reset(change);
    }
    sqlite3_finalize(change);
    sqlite3_finalize(chunk);
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n = 250000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--random-ids") {
            g_random_ids = true;
        } else if (std::atoll(a.c_str()) > 0) {
            n = std::atoll(a.c_str());
        } else {
            std::fprintf(stderr, "usage: bench_result_store [RECORDS] [--random-ids]\n");
            return 2;
        }
    }
    std::mt19937_64 rng(7);
    std::vector<std::int64_t> changed;
    for (std::int64_t i = 0; i < n / 100; ++i) {
        changed.push_back(1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)));
    }
    std::vector<std::int64_t> reads;
    for (int i = 0; i < 20000; ++i) {
        reads.push_back(1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)));
    }
    const Layout layouts[] = {
        {"text (schema 8)", text_create, text_first, text_rescan, text_incremental, text_lookup},
        {"rowid + id index", keyed_create, keyed_first, keyed_rescan, keyed_incremental, text_lookup},
        {"rowid + blob", rowid_create, rowid_first, rowid_rescan, rowid_incremental, rowid_lookup},
        {"chunks of 256", chunks_create, chunks_first, chunks_rescan, chunks_incremental, chunks_lookup},
    };
    const std::string dir = std::filesystem::temp_directory_path() / "spiegel-bench-result-store";
    std::filesystem::create_directories(dir);
    std::printf("bench_result_store: %lld results, %zu changed, %zu point reads, %s ids\n",
                static_cast<long long>(n), changed.size(), reads.size(), g_random_ids ? "random" : "demo");
    std::printf("%-18s %12s %12s %14s %14s %10s\n", "layout", "first scan", "rescan", "incremental 1%",
                "point read", "file MB");
    for (const Layout& l : layouts) {
        Db d(dir + "/store.db");
        l.create(d);
        auto t = Clock::now();
        l.first(d, n);
        const double first = seconds(t);
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        t = Clock::now();
        l.rescan(d, n);
        const double rescan = seconds(t);
        t = Clock::now();
        l.incremental(d, changed);
        const double incremental = seconds(t);
        d.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        t = Clock::now();
        l.lookup(d, reads);
        const double lookup_us = seconds(t) / static_cast<double>(reads.size()) * 1e6;
        const double mb = static_cast<double>(std::filesystem::file_size(dir + "/store.db")) / 1e6;
        std::printf("%-18s %10.3f s %10.3f s %12.3f s %11.1f us %10.1f\n", l.name, first, rescan, incremental,
                    lookup_us, mb);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
