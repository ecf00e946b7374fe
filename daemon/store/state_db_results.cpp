// StateDb: the per-record result table and the aggregate tables.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>

#include "daemon/store/connection.h"
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

using engine::ResultRow;
using engine::ScanAggregates;
using model::Kind;

// The names in k_result_columns, in order (parameter i + 1 = column i).
std::vector<std::string_view> result_column_names() {
    std::vector<std::string_view> names;
    std::string_view columns(k_result_columns);
    while (!columns.empty()) {
        const std::size_t comma = columns.find(',');
        names.push_back(columns.substr(0, comma));
        columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 2);
    }
    return names;
}

void join(std::string& out, const std::vector<std::string>& items, char sep) {
    out.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) {
            out += sep;
        }
        out += items[i];
    }
}


// The columns that place a record among its peers (occupation, visibility,
// score): a rewrite in place requires them unchanged.
constexpr std::string_view k_peer_index_columns[] = {"occupation", "visible", "score"};

// Rewrites the stored result of a record whose score, occupation and
// visibility are unchanged (the common case of a rescan): those stay out of
// the SET list, so the score history's trigger does not fire. Parameters as
// in k_result_columns.
std::string rewrite_sql() {
    std::string sql = "UPDATE result SET ";
    std::string where = " WHERE kind = ?1 AND id = ?2";
    const auto names = result_column_names();
    for (std::size_t i = 2; i < names.size(); ++i) {  // kind, id: the key
        const bool indexed = std::find(std::begin(k_peer_index_columns), std::end(k_peer_index_columns),
                                       names[i]) != std::end(k_peer_index_columns);
        std::string& out = indexed ? where : sql;
        out.append(indexed ? " AND " : (i > 2 ? ", " : ""));
        out.append(names[i]);
        out.append(indexed ? " IS ?" : " = ?");
        out.append(std::to_string(i + 1));
    }
    return sql + where;
}

// Inserts a result or updates the stored one in place. Parameters as in
// k_result_columns, then score_as_of (k_score_as_of_parameter).
constexpr int k_score_as_of_parameter = k_result_column_count + 1;
std::string upsert_sql() {
    auto names = result_column_names();
    names.push_back("score_as_of");
    std::string sql = std::string("INSERT INTO result (") + k_result_columns + ", score_as_of) VALUES (";
    for (std::size_t i = 0; i < names.size(); ++i) {
        sql += i ? ",?" : "?";
    }
    sql += ") ON CONFLICT (kind, id) DO UPDATE SET ";
    for (std::size_t i = 2; i < names.size(); ++i) {  // kind, id: the key
        sql += (i > 2 ? ", " : "") + std::string(names[i]) + " = excluded." + std::string(names[i]);
    }
    return sql;
}

// True when a result of the kind is stored.
bool any_result(SQLite::Database& db, Kind kind) {
    SQLite::Statement q(db, "SELECT 1 FROM result WHERE kind = ? LIMIT 1");
    q.bind(1, std::string(model::kind_name(kind)));
    return q.executeStep();
}

// Source row ids: a bitmap for the dense ids SQLite hands out, a sorted
// list for any beyond it.
class RowSet {
public:
    void clear() {
        m_bits.clear();
        m_other.clear();
    }
    void add(std::int64_t row) {
        if (row >= 0 && row < k_bitmap_rows) {
            const auto word = static_cast<std::size_t>(row >> 6);
            if (word >= m_bits.size()) {
                m_bits.resize(std::max(word + 1, m_bits.size() * 2), 0);
            }
            m_bits[word] |= std::uint64_t{1} << (row & 63);
        } else {
            m_other.push_back(row);
            m_sorted = false;
        }
    }
    bool contains(std::int64_t row) {
        if (row >= 0 && row < k_bitmap_rows) {
            const auto word = static_cast<std::size_t>(row >> 6);
            return word < m_bits.size() && (m_bits[word] >> (row & 63) & 1) != 0;
        }
        if (!m_sorted) {
            std::sort(m_other.begin(), m_other.end());
            m_sorted = true;
        }
        return std::binary_search(m_other.begin(), m_other.end(), row);
    }

private:
    static constexpr std::int64_t k_bitmap_rows = std::int64_t{1} << 27;  // at most 16 MiB of bits
    std::vector<std::uint64_t> m_bits;
    std::vector<std::int64_t> m_other;
    bool m_sorted = true;
};

// Entries keyed by source row (their `row`), sorted by it once loaded and
// looked up in ascending row order (a scan's keyset chunks): a cursor that
// moves forward answers most lookups without a search. Used by one thread
// at a time.
template <class Entry>
class ByRow {
public:
    void clear() {
        m_entries = {};
        m_cursor = 0;
    }
    void add(const Entry& e) { m_entries.push_back(e); }
    // After the adds (in the table's key order, by id), before the lookups.
    // Returns the rows that more than one entry holds (stored results
    // sharing a source row: an id renamed in place that no tombstone told
    // of), sorted; their entries are dropped, so find() knows none of them.
    std::vector<std::int64_t> seal() {
        m_cursor = 0;
        const auto by_row = [](const Entry& a, const Entry& b) { return a.row < b.row; };
        // Ids in row order with rows unique, the common case: one pass, no sort.
        if (std::adjacent_find(m_entries.begin(), m_entries.end(), [](const Entry& a, const Entry& b) {
                return !(a.row < b.row);
            }) == m_entries.end()) {
            return {};
        }
        if (!std::is_sorted(m_entries.begin(), m_entries.end(), by_row)) {
            std::sort(m_entries.begin(), m_entries.end(), by_row);
        }
        const auto same_row = [](const Entry& a, const Entry& b) { return a.row == b.row; };
        if (std::adjacent_find(m_entries.begin(), m_entries.end(), same_row) == m_entries.end()) {
            return {};  // ids out of row order, rows unique: sorted, as before
        }
        std::vector<std::int64_t> shared;
        std::size_t kept = 0;
        for (std::size_t i = 0; i < m_entries.size();) {
            std::size_t end = i + 1;
            while (end < m_entries.size() && m_entries[end].row == m_entries[i].row) {
                ++end;
            }
            if (end - i > 1) {
                const std::int64_t row = m_entries[i].row;  // a copy: packed entries' rows may be misaligned
                shared.push_back(row);
            } else {
                m_entries[kept++] = m_entries[i];
            }
            i = end;
        }
        m_entries.resize(kept);
        return shared;
    }
    // The entry of `row`, or null.
    const Entry* find(std::int64_t row) {
        if (m_cursor < m_entries.size() && m_entries[m_cursor].row > row) {
            m_cursor = 0;  // asked out of order: search from the start
        }
        auto it = m_entries.begin() + static_cast<std::ptrdiff_t>(m_cursor);
        // A short walk for the usual next row, a binary search beyond.
        for (int steps = 0; it != m_entries.end() && it->row < row && steps < 8; ++steps) {
            ++it;
        }
        if (it != m_entries.end() && it->row < row) {
            it = std::lower_bound(it, m_entries.end(), row, [](const Entry& e, std::int64_t r) { return e.row < r; });
        }
        m_cursor = static_cast<std::size_t>(it - m_entries.begin());
        return it != m_entries.end() && it->row == row ? &*it : nullptr;
    }

private:
    std::vector<Entry> m_entries;
    std::size_t m_cursor = 0;
};

// The stored digest of each source row's result, loaded when a full kind
// begins: 16 bytes per stored result whatever the row ids are.
class DigestMap {
public:
    void clear() { m_rows.clear(); }
    void add(std::int64_t row, std::uint64_t digest) { m_rows.add({row, digest}); }
    // ByRow::seal: the rows that several stored results share, none of which get() knows.
    std::vector<std::int64_t> seal() { return m_rows.seal(); }
    // The digest of row's stored result; 0: none.
    std::uint64_t get(std::int64_t row) {
        const Entry* e = m_rows.find(row);
        return e != nullptr ? e->digest : 0;
    }

private:
    struct Entry {
        std::int64_t row;
        std::uint64_t digest;
    };
    ByRow<Entry> m_rows;
};

// What a full kind may keep unevaluated (engine::ReuseCheck), loaded in
// place of the digests: per stored result its source row, the hash of the
// stored values it was computed from, and until when it holds, 20 bytes
// each (packed, sorted in place: no second copy while loading). Asked by
// the scan's reading thread only.
class ReuseMap final : public engine::ReuseCheck {
public:
    void clear() { m_rows.clear(); }
    void set_as_of(std::int64_t as_of) { m_as_of = as_of; }
    void add(std::int64_t row, std::uint64_t hash, std::int64_t valid_until) {
        m_rows.add(Entry{row, hash, until_code(valid_until)});
    }
    // ByRow::seal: the rows that several stored results share; a record
    // read at one of them is never reusable (it is decoded, so its id is known).
    std::vector<std::int64_t> seal() { return m_rows.seal(); }
    bool reusable(std::int64_t row, std::string_view, std::uint64_t content_hash) override {
        const Entry* e = m_rows.find(row);
        if (e == nullptr || e->hash != content_hash || e->hash == 0) {  // 0: no stored hash
            return false;
        }
        const std::uint32_t until = e->until;
        return until == k_never || m_as_of < static_cast<std::int64_t>(until);
    }

private:
#pragma pack(push, 4)
    struct Entry {
        std::int64_t row;
        std::uint64_t hash;
        std::uint32_t until;  // until_code
    };
#pragma pack(pop)
    static_assert(sizeof(Entry) == 20);
    static constexpr std::uint32_t k_never = 0xffffffffu;
    // Seconds since the epoch in 32 bits. Later instants (after 2106) round
    // down, which only has a result evaluated earlier; INT64_MAX (no bound
    // relative to the as-of was used) is never.
    static std::uint32_t until_code(std::int64_t valid_until) {
        if (valid_until == std::numeric_limits<std::int64_t>::max()) {
            return k_never;
        }
        return static_cast<std::uint32_t>(std::clamp<std::int64_t>(valid_until, 0, k_never - 1));
    }
    ByRow<Entry> m_rows;
    std::int64_t m_as_of = 0;
};

// What an incremental kind may keep unevaluated (engine::ReuseCheck): a
// changed record whose stored values are as they were when its stored
// result was computed (a row touched, or rewritten with the same values by
// a re-import). Each record is looked up by id as it is read, on a
// read-only connection of its own: the scan's reading thread asks, while
// the writer's connection belongs to the scan thread. Its snapshot is the
// state before this scan wrote anything, which is what the check needs:
// each record comes once, and is read before its result is written.
class StoredReuse final : public engine::ReuseCheck {
public:
    StoredReuse(std::string path, Kind kind, std::int64_t as_of)
        : m_path(std::move(path)), m_kind(kind), m_as_of(as_of) {}
    ~StoredReuse() override { m_lookup.finalize(); }
    bool reusable(std::int64_t row, std::string_view id, std::uint64_t content_hash) override {
        if (m_failed || !ready()) {
            return false;
        }
        m_lookup.text(1, model::kind_name(m_kind));
        m_lookup.text(2, id);
        sqlite3_stmt* s = m_lookup.get();
        const int rc = sqlite3_step(s);
        // Kept only when all three are stored and equal: a NULL reads as 0,
        // which no source row, hash or bound after the epoch is.
        const bool kept = rc == SQLITE_ROW && sqlite3_column_int64(s, 0) == row && row > 0 &&
                          static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)) == content_hash &&
                          content_hash != 0 && m_as_of < sqlite3_column_int64(s, 2);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            m_failed = true;  // keeping results is only a shortcut: evaluate the rest
        }
        sqlite3_reset(s);
        return kept;
    }

private:
    // Opens the connection at the first record (a kind with no change
    // needs none) and begins the read transaction every lookup shares.
    bool ready() {
        if (m_lookup.ready()) {
            return true;
        }
        try {
            m_db.emplace(open_read_only(m_path));
            m_db->exec("BEGIN");
            m_lookup.prepare(m_db->getHandle(),
                             "SELECT source_row, content_hash, valid_until FROM result WHERE kind = ?1 AND id = ?2");
            return true;
        } catch (const std::exception&) {
            m_failed = true;
            return false;
        }
    }
    std::string m_path;
    Kind m_kind;
    std::int64_t m_as_of;
    std::optional<SQLite::Database> m_db;  // destroyed after m_lookup is finalized
    RawStatement m_lookup;
    bool m_failed = false;
};

class ResultWriter final : public engine::ResultSink {
public:
    ResultWriter(SQLite::Database& db, RawStatement& upsert, std::int64_t scan_id, std::string path,
                 ScanAggregates* delta, const model::PerKind<bool>& patch_full)
        : m_db(db),
          m_upsert(upsert),
          m_scan_id(scan_id),
          m_path(std::move(path)),
          m_delta(delta),
          m_patch_full(patch_full) {}

    util::Status begin_kind(Kind kind, bool full) override;
    util::Status put(const ResultRow& row) override;
    util::Status remove(Kind kind, const std::vector<std::string>& ids) override;
    util::Status end_kind(Kind kind, bool full) override;
    engine::ReuseCheck* begin_reuse(Kind kind) override;
    bool accepts_reused() const override { return true; }
    std::int64_t removed_count() const override { return m_removed; }
    void set_as_of(std::int64_t as_of) {
        m_as_of = as_of;
        m_reuse.set_as_of(as_of);
    }

private:
    void bind_row(RawStatement& st, const ResultRow& row, std::uint64_t digest);
    void load_reuse(Kind kind);
    bool stored_unchanged(const ResultRow& row, std::uint64_t digest);
    bool shared_row(std::int64_t row) const;
    bool rewrite_in_place(const ResultRow& row, std::uint64_t digest);
    void load_digests(Kind kind);
    void need_digests(Kind kind);
    bool read_stored_score(const ResultRow& row);
    const std::string& scan_as_of();
    void add_history(const ResultRow& row);
    void take_out_old(Kind kind, std::string_view id);
    SQLite::Database& m_db;
    RawStatement& m_upsert;
    std::int64_t m_scan_id;
    std::string m_path;
    ScanAggregates* m_delta;
    model::PerKind<bool> m_patch_full;  // full kinds whose aggregates are patched (docs/scan.md)
    bool m_full = false;
    bool m_patching = false;  // -old +new of every changed result go into m_delta
    bool m_empty_kind = false;  // no stored result of the kind (a first scan): every put is new
    // A full kind with stored results: a result equal to the stored one
    // (source row included) is not rewritten, its source row goes into
    // m_unchanged, and end_kind deletes the results neither written nor
    // unchanged (records gone from the source).
    bool m_skip_unchanged = false;
    RowSet m_unchanged;
    std::int64_t m_unchanged_count = 0;
    // Source rows that several of the kind's stored results share (an id
    // renamed in place that no tombstone told of: the old id's result
    // stayed), found when the stored results are loaded; empty in the
    // common case. A record read at such a row is evaluated and looked up
    // by id, and end_kind keeps only the result at that row whose id was
    // written or found unchanged by this scan (m_shared_kept: the ids
    // found unchanged).
    std::vector<std::int64_t> m_shared_rows;
    std::vector<std::string> m_shared_kept;
    std::int64_t m_removed = 0;  // results the kind's remove and end_kind deleted
    std::int64_t m_stored_count = 0;  // results of the kind stored before the first put (counted by either load)
    // Of the kind's stored results, in a full kind with stored results:
    // their digests, loaded at the first put, unless the scan keeps
    // unchanged records' results unevaluated (m_reusing): then the map of
    // what may be kept, and an evaluated record's stored digest is looked up.
    DigestMap m_digests;
    bool m_digests_loaded = false;
    bool m_reusing = false;
    ReuseMap m_reuse;
    // An incremental kind's check (begin_reuse), until end_kind.
    std::unique_ptr<StoredReuse> m_stored_reuse;
    std::int64_t m_as_of = 0;
    RawStatement m_select;
    RawStatement m_same;
    RawStatement m_rewrite;
    RawStatement m_history;
    RawStatement m_score;
    // The stored score of the record being written and since when it held
    // (read_stored_score), and the scan's as_of (scan_as_of).
    double m_old_score = 0;
    std::optional<std::string> m_old_score_as_of;
    std::optional<std::string> m_scan_as_of;
    ResultRow m_old;
    std::string m_failed, m_groups, m_skills, m_licences, m_co, m_not_applicable;
};

// Binds the result columns of row to st (parameter i = column i of k_result_columns).
void ResultWriter::bind_row(RawStatement& st, const ResultRow& row, std::uint64_t digest) {
    sqlite3_stmt* s = st.get();
    const bool cv = row.kind == Kind::cv;
    const bool vacancy = row.kind == Kind::vacancy;
    join(m_failed, row.failed, k_list_sep);
    join(m_groups, row.target_groups, k_list_sep);
    st.text(1, model::kind_name(row.kind));
    st.text(2, row.id);
    sqlite3_bind_int64(s, 3, m_scan_id);
    sqlite3_bind_double(s, 4, row.score);
    st.text(5, m_failed);
    for (std::size_t d = 0; d < row.dimensions.size(); ++d) {
        const int p = 6 + static_cast<int>(d);
        if (row.dimensions[d] < 0) {
            sqlite3_bind_null(s, p);
        } else {
            sqlite3_bind_double(s, p, row.dimensions[d]);
        }
    }
    sqlite3_bind_int(s, 12, row.unreadable ? 1 : 0);
    st.text(13, row.region);
    st.text(14, m_groups);
    st.text(15, row.occupation);
    for (int p = 16; p <= 27; ++p) {
        sqlite3_bind_null(s, p);
    }
    if (row.source_row > 0) {
        sqlite3_bind_int64(s, 28, row.source_row);
    } else {
        sqlite3_bind_null(s, 28);
    }
    if (row.rated) {
        join(m_not_applicable, row.not_applicable, k_list_sep);
        st.text(27, m_not_applicable);
    }
    sqlite3_bind_int64(s, 29, static_cast<std::int64_t>(digest));
    if (row.content_hash != 0 && row.valid_until != 0) {
        sqlite3_bind_int64(s, 30, static_cast<std::int64_t>(row.content_hash));
        sqlite3_bind_int64(s, 31, row.valid_until);
    } else {
        sqlite3_bind_null(s, 30);
        sqlite3_bind_null(s, 31);
    }
    const engine::PeerAttrs& a = row.peer;
    if (cv) {
        join(m_skills, a.skills, k_peer_sep);
        join(m_licences, a.licences, k_peer_sep);
        join(m_co, a.co_occupations, k_peer_sep);
        sqlite3_bind_int(s, 16, a.visible ? 1 : 0);
        st.text(17, a.education);
        st.text(18, a.birth_bucket);
        st.text(19, a.hours_bucket);
        st.text(20, m_skills);
        st.text(21, m_licences);
        st.text(22, m_co);
    } else if (vacancy) {
        st.text(17, a.education);
        sqlite3_bind_int(s, 23, a.open ? 1 : 0);
        sqlite3_bind_int(s, 24, a.salary ? 1 : 0);
        st.text(25, a.hours_min);
        st.text(26, a.hours_max);
    }
}

// Takes the stored result of a record (if any) out of the delta.
void ResultWriter::take_out_old(Kind kind, std::string_view id) {
    if (!m_select.ready()) {
        m_select.prepare(m_db.getHandle(), std::string("SELECT ") + k_result_columns +
                                               " FROM result WHERE kind = ? AND id = ?");
    }
    m_select.text(1, model::kind_name(kind));
    m_select.text(2, id);
    const int rc = sqlite3_step(m_select.get());
    if (rc == SQLITE_ROW) {
        read_result_row(m_select.get(), kind, m_old);
        m_delta->add(m_old, -1);
    }
    sqlite3_reset(m_select.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        throw std::runtime_error(sqlite3_errmsg(m_db.getHandle()));
    }
}

// True when several stored results of the kind were at `row` when loaded.
bool ResultWriter::shared_row(std::int64_t row) const {
    return std::binary_search(m_shared_rows.begin(), m_shared_rows.end(), row);
}

// True when the stored result of row's record has the digest of the values
// row would write (scan_id aside): then -old +new cancels out in the delta.
bool ResultWriter::stored_unchanged(const ResultRow& row, std::uint64_t digest) {
    if (!m_same.ready()) {
        m_same.prepare(m_db.getHandle(), "SELECT 1 FROM result WHERE kind = ?1 AND id = ?2 AND digest = ?3");
    }
    m_same.text(1, model::kind_name(row.kind));
    m_same.text(2, row.id);
    sqlite3_bind_int64(m_same.get(), 3, static_cast<std::int64_t>(digest));
    return m_same.step_once();
}

// Walks the kind's range of `result` once, reading `columns`, the first of
// them source_row, and calls each(statement) for every result whose source
// row is known; its other columns read 0 when NULL. Returns how many
// results of the kind are stored.
template <class Each>
std::int64_t walk_stored(SQLite::Database& db, Kind kind, const std::string& columns, Each&& each) {
    RawStatement q;
    q.prepare(db.getHandle(), "SELECT " + columns + " FROM result WHERE kind = ?1");
    q.text(1, model::kind_name(kind));
    std::int64_t stored = 0;
    while (q.step()) {
        ++stored;
        sqlite3_stmt* s = q.get();
        // A result without a source row (written before version 4) is in
        // no map; one with a row but no digest, hash or horizon (an
        // unreadable record's, an older version's) is, with 0 for what it
        // lacks, so that a row two stored results share is always seen.
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
            each(s);
        }
    }
    return stored;
}

// The digests of the kind's stored results by source row: one walk over the
// kind's range of the table, instead of one lookup per record.
void ResultWriter::load_digests(Kind kind) {
    m_digests.clear();
    m_stored_count = walk_stored(m_db, kind, "source_row, digest", [&](sqlite3_stmt* s) {
        m_digests.add(sqlite3_column_int64(s, 0), static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)));
    });
    m_shared_rows = m_digests.seal();
}

engine::ReuseCheck* ResultWriter::begin_reuse(Kind kind) {
    if (m_empty_kind) {  // a first scan of the kind: nothing stored to keep
        return nullptr;
    }
    if (!m_full) {  // an incremental kind: its changed records, looked up one by one
        m_stored_reuse = std::make_unique<StoredReuse>(m_path, kind, m_as_of);
        return m_stored_reuse.get();
    }
    try {
        load_reuse(kind);
    } catch (const std::exception&) {
        // Keeping results is only a shortcut: evaluate every record instead
        // (the digests are loaded at the first put, where a read error is reported).
        m_reuse.clear();
        return nullptr;
    }
    m_reusing = true;
    return &m_reuse;
}

// The digests, once per kind, when first needed; a kind that keeps
// results unevaluated looks digests up one by one instead.
void ResultWriter::need_digests(Kind kind) {
    if (!m_reusing && !m_digests_loaded) {
        load_digests(kind);
        m_digests_loaded = true;
    }
}

// The kind's stored results that may be kept: one walk, as load_digests.
void ResultWriter::load_reuse(Kind kind) {
    m_reuse.clear();
    m_stored_count = walk_stored(m_db, kind, "source_row, content_hash, valid_until", [&](sqlite3_stmt* s) {
        m_reuse.add(sqlite3_column_int64(s, 0), static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)),
                    sqlite3_column_int64(s, 2));
    });
    m_shared_rows = m_reuse.seal();
}

// True when the record's stored result had row's score, occupation and
// visibility and was rewritten with the rest of row.
bool ResultWriter::rewrite_in_place(const ResultRow& row, std::uint64_t digest) {
    if (!m_rewrite.ready()) {
        m_rewrite.prepare(m_db.getHandle(), rewrite_sql());
    }
    bind_row(m_rewrite, row, digest);
    m_rewrite.run();
    return sqlite3_changes(m_db.getHandle()) == 1;
}

// Reads the record's stored score and its score_as_of into m_old_score
// and m_old_score_as_of; false when no result is stored.
bool ResultWriter::read_stored_score(const ResultRow& row) {
    if (!m_score.ready()) {
        m_score.prepare(m_db.getHandle(), "SELECT score, score_as_of FROM result WHERE kind = ? AND id = ?");
    }
    m_score.text(1, model::kind_name(row.kind));
    m_score.text(2, row.id);
    const bool found = m_score.step();
    if (found) {
        m_old_score = sqlite3_column_double(m_score.get(), 0);
        m_old_score_as_of.reset();
        if (sqlite3_column_type(m_score.get(), 1) != SQLITE_NULL) {
            m_old_score_as_of = std::string(column_text(m_score.get(), 1));
        }
    }
    sqlite3_reset(m_score.get());
    return found;
}

// The as_of of the scan writing ('' when its id has no scan row, as for
// results written by hand): since when a new or changed score holds.
const std::string& ResultWriter::scan_as_of() {
    if (!m_scan_as_of) {
        SQLite::Statement q(m_db, "SELECT coalesce((SELECT as_of FROM scan WHERE id = ?), '')");
        q.bind(1, m_scan_id);
        q.executeStep();
        m_scan_as_of = q.getColumn(0).getString();
    }
    return *m_scan_as_of;
}

// A history row for the score this scan replaced (m_old_score, held since
// m_old_score_as_of). A stored score of unknown start (a row written by
// hand) was never part of the trend and leaves no row.
void ResultWriter::add_history(const ResultRow& row) {
    if (!m_old_score_as_of) {
        return;
    }
    if (!m_history.ready()) {
        m_history.prepare(m_db.getHandle(), score_history_insert_sql());
    }
    m_history.text(1, model::kind_name(row.kind));
    m_history.text(2, row.id);
    sqlite3_bind_int64(m_history.get(), 3, m_scan_id);
    m_history.text(4, *m_old_score_as_of);
    sqlite3_bind_double(m_history.get(), 5, m_old_score);
    m_history.run();
}

util::Status ResultWriter::begin_kind(Kind kind, bool full) {
    m_full = full;
    m_patching = m_delta != nullptr && (!full || m_patch_full[static_cast<std::size_t>(kind)]);
    try {
        m_empty_kind = !any_result(m_db, kind);
        m_skip_unchanged = full && !m_empty_kind;
        m_unchanged.clear();
        m_unchanged_count = 0;
        m_shared_rows.clear();
        m_shared_kept.clear();
        m_removed = 0;
        m_digests.clear();
        m_digests_loaded = false;
        m_reusing = false;
        m_reuse.clear();
        m_stored_reuse.reset();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading results: " + e.what()};
    }
}

util::Status ResultWriter::put(const ResultRow& row) {
    try {
        if (!m_upsert.ready()) {
            m_upsert.prepare(m_db.getHandle(), upsert_sql());
        }
        if (row.reused) {  // kept unevaluated: its record's stored values did not change
            if (m_full) {
                m_unchanged.add(row.source_row);
                ++m_unchanged_count;
            }
            return {};
        }
        const std::uint64_t digest = row.digest != 0 ? row.digest : engine::result_digest(row);
        if (m_skip_unchanged) {
            need_digests(row.kind);
        }
        bool unchanged = m_skip_unchanged && row.source_row > 0 &&
                         (m_reusing ? stored_unchanged(row, digest) : m_digests.get(row.source_row) == digest);
        // At a row several stored results share the digests know none:
        // look the record up by id (only there; the set is empty as a rule).
        const bool shared = m_skip_unchanged && !m_shared_rows.empty() && shared_row(row.source_row);
        if (shared && !unchanged && !m_reusing) {
            unchanged = stored_unchanged(row, digest);
        }
        if (unchanged) {
            m_unchanged.add(row.source_row);  // the digest covers the id and the source row
            ++m_unchanged_count;
            if (shared) {
                m_shared_kept.push_back(row.id);
            }
            return {};
        }
        if (m_patching) {
            if (m_empty_kind) {
                m_delta->add(row, +1);
            } else if (!m_full && stored_unchanged(row, digest)) {
                // An incremental kind: the record changed in the source but
                // its result did not (a touched row, a field no rule reads).
                // Nothing to write, nothing to patch; as in a full kind the
                // row keeps the scan that last changed it.
                return {};
            } else {  // a full kind gets here by a changed digest
                take_out_old(row.kind, row.id);
                m_delta->add(row, +1);
            }
        }
        if (m_empty_kind || !rewrite_in_place(row, digest)) {  // new, or score, occupation or visibility changed
            const bool stored = !m_empty_kind && read_stored_score(row);
            const bool score_changed = !stored || m_old_score != row.score;
            bind_row(m_upsert, row, digest);
            if (!score_changed) {  // the occupation or visibility changed: the score holds since it did
                if (m_old_score_as_of) {
                    m_upsert.text(k_score_as_of_parameter, *m_old_score_as_of);
                } else {
                    sqlite3_bind_null(m_upsert.get(), k_score_as_of_parameter);
                }
            } else {
                m_upsert.text(k_score_as_of_parameter, scan_as_of());
            }
            m_upsert.run();
            if (stored && score_changed) {
                add_history(row);
            }
        }
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": writing results: " + e.what()};
    }
}

util::Status ResultWriter::remove(Kind kind, const std::vector<std::string>& ids) {
    try {
        SQLite::Statement q(m_db, "DELETE FROM result WHERE kind = ? AND id = ?");
        for (const auto& id : ids) {
            if (m_patching) {
                take_out_old(kind, id);
            }
            q.bind(1, std::string(model::kind_name(kind)));
            q.bind(2, id);
            m_removed += q.exec();
            q.reset();
        }
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": removing deleted records: " + e.what()};
    }
}

util::Status ResultWriter::end_kind(Kind kind, bool full) {
    m_stored_reuse.reset();  // ends its read transaction before this scan commits
    if (!full) {
        return {};
    }
    try {
        const std::string name(model::kind_name(kind));
        if (!m_skip_unchanged) {
            // Every record of the kind was just written with this scan id;
            // the rest belong to records deleted from the source.
            SQLite::Statement q(m_db, "DELETE FROM result WHERE kind = ? AND scan_id <> ?");
            q.bind(1, name);
            q.bind(2, m_scan_id);
            m_removed += q.exec();
            return {};
        }
        need_digests(kind);  // when no record was put: to count what is stored
        if (m_unchanged_count == m_stored_count) {
            // Every stored result was found unchanged (each one once: a
            // record is read once and matches only its own id's result),
            // so none is gone.
            m_unchanged.clear();
            m_digests.clear();
            m_reuse.clear();
            return {};
        }
        // The results neither written by this scan nor found unchanged
        // belong to records gone from the source. A source row held by one
        // stored result identifies it; at a row several shared, only the
        // result whose id was found unchanged stays (one written by this
        // scan has its scan id and is not read here).
        std::sort(m_shared_kept.begin(), m_shared_kept.end());
        std::vector<std::string> gone;
        {
            SQLite::Statement q(m_db, "SELECT id, source_row FROM result WHERE kind = ? AND scan_id <> ?");
            q.bind(1, name);
            q.bind(2, m_scan_id);
            while (q.executeStep()) {
                const SQLite::Column row = q.getColumn(1);
                std::string id = q.getColumn(0).getString();
                bool kept = !row.isNull() && m_unchanged.contains(row.getInt64());
                if (kept && !m_shared_rows.empty() && shared_row(row.getInt64())) {
                    kept = std::binary_search(m_shared_kept.begin(), m_shared_kept.end(), id);
                }
                if (!kept) {
                    gone.push_back(std::move(id));
                }
            }
        }
        SQLite::Statement del(m_db, "DELETE FROM result WHERE kind = ? AND id = ?");
        for (const std::string& id : gone) {
            if (m_patching) {
                take_out_old(kind, id);
            }
            del.bind(1, name);
            del.bind(2, id);
            m_removed += del.exec();
            del.reset();
        }
        m_unchanged.clear();
        m_digests.clear();
        m_reuse.clear();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reconciling deleted records: " + e.what()};
    }
}

}  // namespace

std::unique_ptr<engine::ResultSink> StateDb::result_writer(std::int64_t scan_id, ScanAggregates* delta,
                                                           const model::PerKind<bool>& patch_full,
                                                           std::int64_t as_of) {
    auto writer = std::make_unique<ResultWriter>(*m_impl->db, m_impl->upsert, scan_id, m_path, delta, patch_full);
    writer->set_as_of(as_of);
    return writer;
}

util::Expected<bool> StateDb::has_results(Kind kind) {
    try {
        return any_result(*m_impl->db, kind);
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

void read_results(SQLite::Database& db, Kind kind, const std::function<void(const ResultRow&)>& fn) {
    RawStatement q;
    q.prepare(db.getHandle(), std::string("SELECT ") + k_result_columns + " FROM result WHERE kind = ? ORDER BY id");
    const std::string_view name = model::kind_name(kind);
    q.text(1, name);
    ResultRow row;
    while (q.step()) {
        read_result_row(q.get(), kind, row);
        fn(row);
    }
}

util::Status StateDb::for_each_result(Kind kind, const std::function<void(const ResultRow&)>& fn) {
    try {
        read_results(*m_impl->db, kind, fn);
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading results: " + e.what()};
    }
}

util::Expected<std::int64_t> StateDb::result_count(Kind kind) {
    try {
        SQLite::Statement q(*m_impl->db, "SELECT count(*) FROM result WHERE kind = ?");
        q.bind(1, std::string(model::kind_name(kind)));
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

}  // namespace spiegel::store
