#include "daemon/store/card_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "daemon/store/connection.h"
#include "daemon/store/peer_cells.h"
#include "daemon/store/pg_lookup.h"
#include "daemon/store/raw_statement.h"
#include "daemon/store/result_columns.h"
#include "daemon/store/state_db_internal.h"

namespace spiegel::store {
namespace {

// A PostgreSQL source lookup failed; its message names the server.
struct SourceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One peer group's counts (peer_cells.h): parameters kind, occupation, region.
constexpr const char* k_group_cells_sql =
    "SELECT occupation, region, cells FROM peer_group WHERE kind = ?1 AND occupation = ?2 AND region = ?3";

// The peer attribute of the national cells' score histograms
// (docs/state-schema.md): value = score in tenths, count = peers with it.
constexpr std::string_view k_score_histogram = "score";

void drop_histogram(AttributeCounts& counts) { counts.erase(std::string(k_score_histogram)); }

// The occupation range of a 3-digit minor group: codes c with lo < c < hi.
std::pair<std::string, std::string> minor_group_range(const std::string& occupation) {
    std::string lo = occupation.substr(0, 3);
    std::string hi = lo;
    hi.back() = static_cast<char>(hi.back() + 1);
    return {lo, hi};
}

}  // namespace

struct CardReader::Impl {
    std::optional<SQLite::Database> state;
    std::optional<SQLite::Database> source;
    RawStatement result, scan_as_of, trend, open_vacancies;
    RawStatement cell, pool_cells, group_cells, contact, employer, occupation_cells, scan_version;
    // BEGIN and COMMIT of every read, prepared once (exec() parses them
    // for each card).
    RawStatement begin, commit;
    PeerGroupCache* peer_cache = nullptr;  // set for each read (in_snapshot)
    std::optional<std::string> read_version;  // state_version() of the current read, once asked
    std::string state_file;

    static void prepare(RawStatement& st, SQLite::Database& db, const std::string& sql) {
        if (!st.ready()) {
            st.prepare(db.getHandle(), sql);
        }
    }

    std::string source_file;

    // Opens the state DB; the source DB is opened on first use (source_db()).
    void open(const std::string& state_path, const std::string& source_path);
    SQLite::Database& source_db();
    void reset_all();
    // A stored result: the row, the as_of of the last scan that evaluated
    // it, and the as_of from which the record has had its score (unknown
    // for a row written by hand).
    struct Stored {
        engine::ResultRow row;
        std::string scan_as_of;
        std::optional<std::string> score_as_of;
    };
    std::optional<Stored> read_result(model::Kind kind, const std::string& id);
    std::string as_of(model::Kind kind, std::int64_t scan_id);
    std::vector<TrendPoint> read_trend(model::Kind kind, const std::string& id, const Stored& stored);
    // Adds the counts of every group `sql` selects (columns occupation,
    // region, cells of peer_group; parameters kind, a, b), of the
    // attributes `only` when it names any.
    void add_cells(RawStatement& st, const std::string& sql, model::Kind kind, const std::string& a,
                   const std::string& b, AttributeCounts& out, std::initializer_list<std::string_view> only = {});
    // Adds the peer cells of `kind` for one occupation in one region ('':
    // the country) to out; the one user of the `cell` statement.
    void occupation_region_cells(model::Kind kind, const std::string& occupation, const std::string& region,
                                 AttributeCounts& out) {
        add_cells(cell, k_group_cells_sql, kind, occupation, region, out);
    }
    // The attributes of VacancyCardInput::pool of those cells: a common
    // occupation has thousands of skill and co-occupation cells the pool
    // does not show, and reading them into maps on every request limited a
    // vacancy card's throughput (docs/benchmarks-cards.md).
    void pool_cells_of(const std::string& occupation, const std::string& region, AttributeCounts& out) {
        add_cells(pool_cells, k_group_cells_sql,
                  model::Kind::cv, occupation, region, out, {"visible", "education", "target_group"});
    }
    std::int64_t open_in_region(const std::string& occupation, const std::string& region);
    std::optional<PeerGroupCounts> peers(model::Kind kind, const engine::ResultRow& row, bool group);
    // The peer group as stored: from the cache when this snapshot's scan
    // put it there, else read (and cached).
    std::shared_ptr<const PeerGroupCache::Group> peer_group(model::Kind kind, const std::string& code, bool group);
    // Names the snapshot's state: the latest completed scan (id and end
    // time) of this file; "" when none.
    std::string state_version();
    void read_cells(const std::string& isco, const std::string& region, PeerCells& cells);
};

void CardReader::Impl::open(const std::string& state_path, const std::string& source_path) {
    state_file = state_path;
    if (!state) {
        SQLite::Database db = open_read_only(state_path);
        require_readable_state(db);
        state.emplace(std::move(db));
    }
    source_file = source_path;
}

SQLite::Database& CardReader::Impl::source_db() {
    if (!source) {
        source.emplace(open_read_only(source_file));
    }
    return *source;
}

void CardReader::Impl::reset_all() {
    for (RawStatement* st : {&result, &scan_as_of, &trend, &open_vacancies, &cell, &group_cells, &contact, &employer,
                             &occupation_cells, &scan_version}) {
        if (st->ready()) {
            st->reset();
        }
    }
}

std::optional<CardReader::Impl::Stored> CardReader::Impl::read_result(model::Kind kind, const std::string& id) {
    prepare(result, *state,
            std::string("SELECT ") + k_result_columns + ", score_as_of FROM result WHERE kind = ?1 AND id = ?2");
    constexpr int k_score_as_of_column = k_result_column_count;
    const std::string_view name = model::kind_name(kind);
    result.text(1, name);
    result.text(2, id);
    if (!result.step()) {
        result.reset();
        return std::nullopt;
    }
    Stored out;
    read_result_row(result.get(), kind, out.row);
    const std::int64_t scan_id = sqlite3_column_int64(result.get(), k_result_scan_id_column);
    if (sqlite3_column_type(result.get(), k_score_as_of_column) != SQLITE_NULL) {
        out.score_as_of = column_string(result.get(), k_score_as_of_column);
    }
    result.reset();
    out.scan_as_of = as_of(kind, scan_id);
    return out;
}

// The as_of of the last scan that evaluated a record: the one that wrote
// its result (scan_id) or a later scan of every record of its kind, which
// leaves a result it finds unchanged as it is.
std::string CardReader::Impl::as_of(model::Kind kind, std::int64_t scan_id) {
    prepare(scan_as_of, *state,
            "SELECT as_of FROM scan WHERE id = max(?1, coalesce((SELECT max(id) FROM scan WHERE status = 'ok' AND "
            "CASE ?2 WHEN 'cv' THEN cv_full WHEN 'vacancy' THEN vacancy_full ELSE employer_full END = 1), 0))");
    sqlite3_bind_int64(scan_as_of.get(), 1, scan_id);
    const std::string_view name = model::kind_name(kind);
    scan_as_of.text(2, name);
    std::string out = scan_as_of.step() ? column_string(scan_as_of.get(), 0) : std::string();
    scan_as_of.reset();
    return out;
}

// The record's scores, oldest first: the replaced ones (score_history, by
// the scan that replaced them) and the current one, at most 12.
std::vector<TrendPoint> CardReader::Impl::read_trend(model::Kind kind, const std::string& id, const Stored& stored) {
    prepare(trend, *state,
            "SELECT as_of, score FROM score_history WHERE kind = ?1 AND id = ?2 ORDER BY scan_id DESC LIMIT 11");
    const std::string_view name = model::kind_name(kind);
    trend.text(1, name);
    trend.text(2, id);
    std::vector<TrendPoint> points;
    while (trend.step()) {
        points.push_back({column_string(trend.get(), 0), sqlite3_column_double(trend.get(), 1)});
    }
    trend.reset();
    std::reverse(points.begin(), points.end());
    const double current = stored.row.score;
    if (stored.score_as_of) {
        points.push_back({*stored.score_as_of, current});
    } else if (points.empty() || points.back().score != current) {
        points.push_back({stored.scan_as_of, current});  // a row written by hand: since when is not known
    }
    return points;
}

void CardReader::Impl::add_cells(RawStatement& st, const std::string& sql, model::Kind kind, const std::string& a,
                                 const std::string& b, AttributeCounts& out,
                                 std::initializer_list<std::string_view> only) {
    prepare(st, *state, sql);
    st.text(1, model::kind_name(kind));
    st.text(2, a);
    st.text(3, b);
    std::map<std::string, std::int64_t>* target = nullptr;  // out[the attribute last seen]
    std::string attribute_seen;
    while (st.step()) {
        for_each_group_cell(column_text(st.get(), 2), model::kind_name(kind), column_text(st.get(), 0),
                            column_text(st.get(), 1),
            [&](std::string_view attribute, std::string_view value, std::int64_t n) {
                if (!target || attribute != attribute_seen) {
                    if (only.size() != 0 && std::find(only.begin(), only.end(), attribute) == only.end()) {
                        target = nullptr;
                        return;
                    }
                    attribute_seen.assign(attribute);
                    target = &out[attribute_seen];
                }
                (*target)[std::string(value)] += n;
            });
        target = nullptr;
    }
    st.reset();
}

std::int64_t CardReader::Impl::open_in_region(const std::string& occupation, const std::string& region) {
    prepare(open_vacancies, *state,
            "SELECT cells FROM peer_group WHERE kind = 'vacancy' AND occupation = ?1 AND region = ?2");
    open_vacancies.text(1, occupation);
    open_vacancies.text(2, region);
    std::int64_t n = 0;
    if (open_vacancies.step()) {
        for_each_group_cell(column_text(open_vacancies.get(), 0), "vacancy", occupation, region,
            [&](std::string_view attribute, std::string_view value, std::int64_t count) {
                n += attribute == "open" && value.empty() ? count : 0;
            });
    }
    open_vacancies.reset();
    return n;
}

std::string CardReader::Impl::state_version() {
    if (read_version) {
        return *read_version;
    }
    // The times are RFC 3339 text, to the second: a state file made anew at
    // the same path gives its first scan the same id, not the same times.
    prepare(scan_version, *state,
            "SELECT id, started_at, finished_at FROM scan WHERE status = 'ok' ORDER BY id DESC LIMIT 1");
    std::string out;
    if (scan_version.step()) {
        out = std::to_string(sqlite3_column_int64(scan_version.get(), 0)) + ":" +
              std::string(column_text(scan_version.get(), 1)) + ":" + std::string(column_text(scan_version.get(), 2));
    }
    scan_version.reset();
    read_version = out;
    return out;
}

std::shared_ptr<const PeerGroupCache::Group> CardReader::Impl::peer_group(model::Kind kind, const std::string& code,
                                                                           bool group) {
    std::string key;
    if (peer_cache) {
        if (const std::string version = state_version(); !version.empty()) {
            key = state_file + '\x1f' + version + '\x1f' + std::string(model::kind_name(kind)) + '\x1f' +
                  (group ? "group " : "occupation ") + code;
            if (auto found = peer_cache->find(key)) {
                return found;
            }
        }
    }
    AttributeCounts counts;
    if (!group) {
        occupation_region_cells(kind, code, "", counts);
    } else {
        const auto [lo, hi] = minor_group_range(code);
        add_cells(group_cells,
                  "SELECT occupation, region, cells FROM peer_group WHERE kind = ?1 AND occupation > ?2 "
                  "AND occupation < ?3 AND region = ''",
                  kind, lo, hi, counts);
    }
    auto out = std::make_shared<PeerGroupCache::Group>();
    const auto histogram = counts.find(std::string(k_score_histogram));
    if (histogram != counts.end()) {
        for (const auto& [value, n] : histogram->second) {
            std::int64_t score = 0;
            if (std::from_chars(value.data(), value.data() + value.size(), score).ec != std::errc{}) {
                throw SchemaError("peer_group: attribute score holds a value that is not a whole number");
            }
            out->histogram.emplace_back(score, n);
        }
    }
    drop_histogram(counts);
    out->counts = std::make_shared<const AttributeCounts>(std::move(counts));
    out->ranked = std::make_shared<const RankedAttributes>(rank_attributes(*out->counts));
    if (!key.empty()) {
        peer_cache->put(key, out);
    }
    return out;
}

// The peer group of row's occupation (group=false) or of its minor group:
// the national peer cells of the group, summed. Members, and members below
// and at the record's score, come from the cells' score histograms, so a
// card costs the same however many records the group has; the group itself
// is read once per completed scan when a PeerGroupCache is given.
std::optional<PeerGroupCounts> CardReader::Impl::peers(model::Kind kind, const engine::ResultRow& row, bool group) {
    if (row.occupation.size() != 4) {
        return std::nullopt;
    }
    PeerGroupCounts counts;
    counts.code = group ? minor_group_range(row.occupation).first : row.occupation;
    const auto stored = peer_group(kind, counts.code, group);
    const std::int64_t tenths = std::llround(row.score * 10.0);
    for (const auto& [score, n] : stored->histogram) {
        counts.members += n;
        counts.bands[static_cast<std::size_t>(std::clamp<std::int64_t>(score / 100, 0, 9))] += n;
        counts.below += score < tenths ? n : 0;
        counts.equal += score == tenths ? n : 0;
    }
    counts.counts = SharedAttributeCounts(stored->counts, stored->ranked);
    return counts;
}

// The cv and vacancy cells of one occupation in one scope; the score sums
// kept per cell at scan time (attribute score_tenths) become the ScoreSums.
void CardReader::Impl::read_cells(const std::string& isco, const std::string& region, PeerCells& cells) {
    prepare(occupation_cells, *state,
            "SELECT kind, cells FROM peer_group WHERE occupation = ?1 AND region = ?2 AND kind IN ('cv', 'vacancy')");
    occupation_cells.text(1, isco);
    occupation_cells.text(2, region);
    while (occupation_cells.step()) {
        AttributeCounts& target = column_text(occupation_cells.get(), 0) == "cv" ? cells.cv : cells.vacancy;
        for_each_group_cell(column_text(occupation_cells.get(), 1), column_text(occupation_cells.get(), 0), isco,
                            region,
            [&](std::string_view attribute, std::string_view value, std::int64_t n) {
                target[std::string(attribute)][std::string(value)] += n;
            });
    }
    occupation_cells.reset();
    const auto total = [](const AttributeCounts& counts, const char* attribute) -> std::int64_t {
        const auto a = counts.find(attribute);
        return a == counts.end() || !a->second.count("") ? 0 : a->second.at("");
    };
    for (auto [counts, scores] :
         {std::pair{&cells.cv, &cells.cv_scores}, std::pair{&cells.vacancy, &cells.vacancy_scores}}) {
        scores->records = total(*counts, "count");
        scores->sum = static_cast<double>(total(*counts, "score_tenths")) / 10.0;
        counts->erase("score_tenths");
        drop_histogram(*counts);
    }
}

CardReader::CardReader(std::string state_db, std::string source_db)
    : m_state_path(std::move(state_db)), m_source_path(std::move(source_db)), m_impl(std::make_unique<Impl>()) {}

std::shared_ptr<const PeerGroupCache::Group> PeerGroupCache::find(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_groups.find(key);
    return it == m_groups.end() ? nullptr : it->second;
}

void PeerGroupCache::put(const std::string& key, std::shared_ptr<const Group> group) {
    std::lock_guard lock(m_mutex);
    if (m_groups.size() >= m_max) {
        m_groups.clear();  // groups of earlier scans go with the rest
    }
    m_groups[key] = std::move(group);
}

CardReader::CardReader(std::string state_db, std::string source_db, PgSettings source_pg,
                       std::shared_ptr<PeerGroupCache> peer_cache)
    : CardReader(std::move(state_db), std::move(source_db)) {
    m_peer_cache = std::move(peer_cache);
    if (!source_pg.conninfo.empty()) {
        m_pg = std::make_unique<PgLookup>(std::move(source_pg));
    }
}

CardReader::~CardReader() = default;

namespace {

// A record's columns from the source (?1 its id, ?2 the source row its
// stored result was read from): first at that row, one lookup in the
// table's own B-tree, the id checked; else through the unique index on id,
// for a record imported again into a new row since (or a result that
// does not know its row). UNION ALL runs its arms in order and LIMIT 1
// stops at the first row, so the second arm runs only when the first found
// nothing.
std::string source_by_row_sql(std::string_view columns, std::string_view table) {
    const std::string select = "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE ";
    return select + "rid = ?2 AND id = ?1 UNION ALL " + select + "id = ?1 LIMIT 1";
}

// Runs fn inside a read transaction on the state database; on any error the
// connections are dropped (reopened next time) and a clean error returned.
template <class Fn>
auto in_snapshot(std::unique_ptr<CardReader::Impl>& impl, const std::string& state_path,
                 const std::string& source_path, PeerGroupCache* cache, Fn fn) -> util::Expected<decltype(fn())> {
    try {
        impl->peer_cache = cache;
        impl->read_version.reset();  // a new read transaction: maybe a newer scan
        impl->open(state_path, source_path);
        CardReader::Impl::prepare(impl->begin, *impl->state, "BEGIN");
        impl->begin.run();
        auto out = fn();
        CardReader::Impl::prepare(impl->commit, *impl->state, "COMMIT");
        impl->commit.run();
        return out;
    } catch (const SourceError& e) {
        impl = std::make_unique<CardReader::Impl>();
        return util::Error{e.what()};
    } catch (const SchemaError& e) {
        impl = std::make_unique<CardReader::Impl>();
        return util::Error{"cannot read the state database " + state_path + ": " + e.what()};
    } catch (const std::exception&) {
        const bool source_used = impl->source.has_value() || !impl->state.has_value();
        impl = std::make_unique<CardReader::Impl>();
        if (!source_used || !std::filesystem::exists(state_path)) {
            return util::Error{"cannot read the state database " + state_path + " (run a scan first?)"};
        }
        return util::Error{"cannot read the state database " + state_path + " or the source database " +
                           source_path + " (run a scan first?)"};
    }
}

}  // namespace

util::Expected<std::optional<CvCardInput>> CardReader::read_cv(const std::string& id, bool include_contact,
                                                               int min_cell) {
    return in_snapshot(m_impl, m_state_path, m_source_path, m_peer_cache.get(), [&]() -> std::optional<CvCardInput> {
        Impl& d = *m_impl;
        auto stored = d.read_result(model::Kind::cv, id);
        if (!stored) {
            return std::nullopt;
        }
        CvCardInput in;
        in.trend = d.read_trend(model::Kind::cv, id, *stored);
        in.result = std::move(stored->row);
        in.scan_as_of = std::move(stored->scan_as_of);
        const engine::ResultRow& row = in.result;
        in.occupation_peers = d.peers(model::Kind::cv, row, false);
        if (in.occupation_peers) {
            const std::int64_t others = in.occupation_peers->members - (row.peer.visible ? 1 : 0);
            if (others < min_cell) {
                in.group_peers = d.peers(model::Kind::cv, row, true);
            }
            if (!row.region.empty()) {
                in.open_vacancies_in_region = d.open_in_region(row.occupation, row.region);
            }
        }
        if (include_contact && m_pg) {
            auto contact = m_pg->contact(id);
            if (!contact) {
                throw SourceError(contact.error().message);
            }
            in.contact = std::move(*contact);
        } else if (include_contact) {
            static const std::string k_contact_sql = source_by_row_sql("email, phone", "cv");
            Impl::prepare(d.contact, d.source_db(), k_contact_sql);
            d.contact.text(1, id);
            sqlite3_bind_int64(d.contact.get(), 2, in.result.source_row);
            CvContact contact;
            if (d.contact.step()) {
                contact = {column_string(d.contact.get(), 0), column_string(d.contact.get(), 1)};
            }
            d.contact.reset();
            in.contact = std::move(contact);
        }
        return in;
    });
}

util::Expected<PeerData> CardReader::read_occupation(const std::string& isco, const std::string& region) {
    return in_snapshot(m_impl, m_state_path, m_source_path, m_peer_cache.get(), [&] {
        PeerData data;
        m_impl->read_cells(isco, "", data.national);
        if (!region.empty()) {
            data.regional.emplace();
            m_impl->read_cells(isco, region, *data.regional);
        }
        return data;
    });
}

util::Expected<std::string> CardReader::state_version() {
    return in_snapshot(m_impl, m_state_path, m_source_path, m_peer_cache.get(),
                       [&] { return m_impl->state_version(); });
}

util::Expected<std::optional<VacancyCardInput>> CardReader::read_vacancy(const std::string& id, int min_cell) {
    return in_snapshot(m_impl, m_state_path, m_source_path, m_peer_cache.get(), [&]() -> std::optional<VacancyCardInput> {
        Impl& d = *m_impl;
        auto stored = d.read_result(model::Kind::vacancy, id);
        if (!stored) {
            return std::nullopt;
        }
        VacancyCardInput in;
        in.trend = d.read_trend(model::Kind::vacancy, id, *stored);
        in.result = std::move(stored->row);
        in.scan_as_of = std::move(stored->scan_as_of);
        if (m_pg) {
            auto vacancy = m_pg->vacancy(id);
            if (!vacancy) {
                throw SourceError(vacancy.error().message);
            }
            in.employer_id = std::move(vacancy->first);
            in.title = std::move(vacancy->second);
        } else {
            static const std::string k_employer_sql = source_by_row_sql("employer_id, title", "vacancy");
            Impl::prepare(d.employer, d.source_db(), k_employer_sql);
            d.employer.text(1, id);
            sqlite3_bind_int64(d.employer.get(), 2, in.result.source_row);
            if (d.employer.step()) {
                in.employer_id = column_string(d.employer.get(), 0);
                in.title = column_string(d.employer.get(), 1);
            }
            d.employer.reset();
        }
        const engine::ResultRow& row = in.result;
        in.occupation_peers = d.peers(model::Kind::vacancy, row, false);
        if (in.occupation_peers) {
            if (in.occupation_peers->members - 1 < min_cell) {
                in.group_peers = d.peers(model::Kind::vacancy, row, true);
            }
            d.pool_cells_of(row.occupation, row.region, in.pool);
            if (!row.region.empty()) {
                in.national_pool.emplace();
                d.pool_cells_of(row.occupation, "", *in.national_pool);
            }
        }
        return in;
    });
}

}  // namespace spiegel::store
