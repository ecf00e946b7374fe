// Result-store layouts compared (docs/scan.md, "Result store"): prints
// figures, asserts nothing.
//
//   bench_result_store [RECORDS]     (default 250000; 1% of them change)
//
// What a scan and a card need from the stored per-record results, on three
// layouts in SQLite (WAL, synchronous=NORMAL, one transaction per phase,
// page cache 16 MiB):
//   text: the layout up to state schema 3 — WITHOUT ROWID keyed by
//         (kind, id) text with 25 more columns and a secondary index;
//   rowid: an INTEGER PRIMARY KEY made of (kind, source row id) and one
//         compact payload blob;
//   chunks: 256 results per blob keyed by (kind, row-id range), with a
//         small side table of results changed since the last full scan.
// Phases: the first full scan (empty store), a rescan of unchanged data
// (read back in key order, compare, write nothing), an incremental scan of
// 1% random rows (read the old result, write the new one), and point reads
// by row id (what a card does).
#include <sqlite3.h>

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
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384");
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

std::string id_of(std::int64_t row) { return "cv-" + std::to_string(row); }

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Layout {
    const char* name;
    std::function<void(Db&)> create;
    std::function<void(Db&, std::int64_t)> first;     // insert rows 1..n
    std::function<void(Db&, std::int64_t)> rescan;    // read in order, compare, write nothing
    std::function<void(Db&, const std::vector<std::int64_t>&)> incremental;
    std::function<void(Db&, const std::vector<std::int64_t>&)> lookup;
};

// --- text: the layout of state schema 3 -----------------------------------

void text_create(Db& d) {
    d.exec("CREATE TABLE result (kind TEXT NOT NULL, id TEXT NOT NULL, scan_id INTEGER, score REAL, failed TEXT, "
           "c1, c2, c3, c4, c5, c6, unreadable INTEGER, region TEXT, groups TEXT, occupation TEXT, visible INTEGER, "
           "education TEXT, birth TEXT, hours TEXT, skills TEXT, licences TEXT, co TEXT, open INTEGER, "
           "salary INTEGER, hmin TEXT, hmax TEXT, na TEXT, PRIMARY KEY (kind, id)) WITHOUT ROWID;"
           "CREATE INDEX result_peer ON result(kind, occupation, visible, score);");
}

void text_bind(sqlite3_stmt* s, std::int64_t row, int version) {
    const std::string id = id_of(row);
    const std::string p = payload(row, version);
    sqlite3_bind_text(s, 1, "cv", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(s, 3, static_cast<double>(row % 1000) / 10.0);
    sqlite3_bind_text(s, 4, p.substr(0, 20).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, std::to_string(row % 400).c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, p.substr(20).c_str(), -1, SQLITE_TRANSIENT);
}

void text_first(Db& d, std::int64_t n) {
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("INSERT INTO result (kind, id, scan_id, score, failed, c1, c2, c3, c4, c5, c6, "
                                "unreadable, region, groups, occupation, visible, skills) "
                                "VALUES (?1, ?2, 1, ?3, ?4, 1, 1, 1, 1, 1, 1, 0, 'AM21', '', ?5, 1, ?6)");
    for (std::int64_t r = 1; r <= n; ++r) {
        text_bind(s, r, 0);
        sqlite3_step(s);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
}

void text_rescan(Db& d, std::int64_t n) {
    // Today's rescan: one comparing SELECT per record.
    d.exec("BEGIN");
    sqlite3_stmt* s = d.prepare("SELECT 1 FROM result WHERE kind = ?1 AND id = ?2 AND score IS ?3 AND failed IS ?4 "
                                "AND occupation IS ?5 AND skills IS ?6");
    std::int64_t same = 0;
    for (std::int64_t r = 1; r <= n; ++r) {
        text_bind(s, r, 0);
        same += sqlite3_step(s) == SQLITE_ROW ? 1 : 0;
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    d.exec("COMMIT");
    if (same != n) {
        std::fprintf(stderr, "text rescan: %lld of %lld unchanged\n", static_cast<long long>(same),
                     static_cast<long long>(n));
    }
}

void text_incremental(Db& d, const std::vector<std::int64_t>& rows) {
    d.exec("BEGIN");
    sqlite3_stmt* old = d.prepare("SELECT skills FROM result WHERE kind = 'cv' AND id = ?1");
    sqlite3_stmt* up = d.prepare("UPDATE result SET score = ?3, failed = ?4, occupation = ?5, skills = ?6 "
                                 "WHERE kind = ?1 AND id = ?2");
    for (std::int64_t r : rows) {
        const std::string id = id_of(r);
        sqlite3_bind_text(old, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(old);
        sqlite3_reset(old);
        text_bind(up, r, 1);
        sqlite3_step(up);
        sqlite3_reset(up);
    }
    sqlite3_finalize(old);
    sqlite3_finalize(up);
    d.exec("COMMIT");
}

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

std::int64_t key_of(std::int64_t row) { return (std::int64_t{0} << k_kind_shift) | row; }

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
    const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 250000;
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
        {"text (schema 3)", text_create, text_first, text_rescan, text_incremental, text_lookup},
        {"rowid + blob", rowid_create, rowid_first, rowid_rescan, rowid_incremental, rowid_lookup},
        {"chunks of 256", chunks_create, chunks_first, chunks_rescan, chunks_incremental, chunks_lookup},
    };
    const std::string dir = std::filesystem::temp_directory_path() / "spiegel-bench-result-store";
    std::filesystem::create_directories(dir);
    std::printf("bench_result_store: %lld results, %zu changed, %zu point reads\n", static_cast<long long>(n),
                changed.size(), reads.size());
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
