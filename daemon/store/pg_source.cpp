#include "daemon/store/pg_source.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>
#include <vector>

#include "daemon/model/json.h"
#include "daemon/store/pg_schema.h"
#include "daemon/util/hash.h"
#include "daemon/util/time.h"

namespace spiegel::store {
namespace {

using model::FieldDef;
using model::FieldType;
using model::Value;

// The select expression of a column: timestamps and dates as the exact text
// the SQLite source stores, everything else in PostgreSQL's text output.
std::string column_expr(const FieldDef& f) {
    const std::string name(f.name);
    switch (f.type) {
        // to_char gives NULL for infinity, which would read as a missing
        // value: infinite values come as their text ('infinity',
        // '-infinity') and read_value makes them an issue.
        // A fraction of a second is kept as the SQLite source keeps it
        // (util::normalize_timestamp: trailing zeros dropped).
        case FieldType::timestamp:
            return "CASE WHEN isfinite(" + name + ") THEN to_char(" + name +
                   " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', " + name +
                   ") = " + name + " THEN '' ELSE rtrim(to_char(" + name + " AT TIME ZONE 'UTC', '.US'), '0') END || 'Z' "
                   "ELSE " + name + "::text END";
        case FieldType::date:
            return "CASE WHEN isfinite(" + name + ") THEN to_char(" + name + ", 'YYYY-MM-DD') ELSE " + name +
                   "::text END";
        case FieldType::string_array:
        case FieldType::object_array:
            return name + "::text";
        default:
            return name;
    }
}

constexpr int k_fixed_columns = 4;  // rid, change_xid, extra_fields, invalid_values

bool wanted(const std::vector<bool>& w, std::size_t slot) {
    return slot == 0 || w.empty() || (slot < w.size() && w[slot]);
}

std::string select_sql(const PgConn& conn, const model::KindSchema& schema,
                       const engine::StreamRequest& r) {
    // The text of change_xid gets a name of its own: an output column named
    // change_xid would be what ORDER BY change_xid sorts, as text, where
    // "1000" comes before "943" (a chunk boundary then skips changes).
    std::string sql = "SELECT rid, change_xid::text AS change_xid_text, extra_fields::text, invalid_values::text";
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        if (wanted(r.wanted, i)) {
            sql += ", " + column_expr(schema.fields[i]);
        }
    }
    sql += " FROM " + conn.prefix() + std::string(schema.table);
    if (r.changes_only) {
        sql +=
            " WHERE change_xid >= $3::xid8 AND (change_xid, rid) > ($1::xid8, $2::bigint)"
            " ORDER BY change_xid, rid LIMIT $4::bigint";
    } else {
        sql += " WHERE rid > $2::bigint ORDER BY rid LIMIT $4::bigint";
    }
    return sql;
}

std::int64_t to_int64(std::string_view text, bool& ok) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    ok = ec == std::errc() && p == text.data() + text.size();
    return v;
}

// The value a timestamp or date text the typed column could not hold reads
// as, as the SQLite source reads the same text: "" is an empty field; a
// valid value PostgreSQL cannot store (the year 0000) reads as valid, in
// its stored form; anything else is an issue.
void read_invalid(const FieldDef& def, std::uint16_t slot, const Value& invalid,
                  model::Arena& arena, Value& out, std::vector<model::FieldIssue>& issues) {
    const Value& raw = invalid.get(def.name);
    if (!raw.is_string()) {
        return;
    }
    if (raw.string.empty()) {
        out = Value::of_string(arena.copy(raw.string));
        return;
    }
    if (def.type == FieldType::timestamp) {
        if (const auto t = util::normalize_timestamp(raw.string)) {
            out = Value::of_string(arena.copy(*t));
            return;
        }
    } else if (util::parse_date(raw.string)) {
        out = Value::of_string(arena.copy(raw.string));
        return;
    }
    issues.push_back({slot, def.type == FieldType::timestamp ? "not a valid RFC 3339 timestamp"
                                                             : "not a valid YYYY-MM-DD date"});
}

// jsonb keeps object keys in its own order (shorter keys first); the SQLite
// source keeps the imported order (usually the schema's). Puts the members of
// every item of an object array back in schema order (unknown keys after),
// so a record reads the same from both engines.
void schema_order(const FieldDef& def, model::Arena& arena, Value& array) {
    auto items = arena.values(array.items.size());
    for (std::size_t i = 0; i < array.items.size(); ++i) {
        const Value& item = array.items[i];
        items[i] = item;
        if (!item.is_object() || item.members.size() < 2) {
            continue;
        }
        auto members = arena.members(item.members.size());
        std::size_t n = 0;
        for (const FieldDef& field : def.item_fields) {
            for (const model::Member& m : item.members) {
                if (m.key == field.name) {
                    members[n++] = m;
                }
            }
        }
        for (const model::Member& m : item.members) {
            if (!model::item_slot(def, m.key)) {
                members[n++] = m;
            }
        }
        items[i] = Value::of_object(members.first(n));
    }
    array = Value::of_array(items);
}

void read_value(const FieldDef& def, std::uint16_t slot, std::string_view text, model::Arena& arena,
                model::JsonParser& json, Value& out, std::vector<model::FieldIssue>& issues) {
    bool ok = true;
    switch (def.type) {
        case FieldType::timestamp:
        case FieldType::date:
            if (text == "infinity" || text == "-infinity") {
                issues.push_back({slot, def.type == FieldType::timestamp ? "not a finite timestamp"
                                                                         : "not a finite date"});
                return;
            }
            out = Value::of_string(arena.copy(text));
            return;
        case FieldType::string:
        case FieldType::month:
            out = Value::of_string(arena.copy(text));
            return;
        case FieldType::integer:
            out = Value::of_int(to_int64(text, ok));
            break;
        case FieldType::boolean:
            ok = text == "t" || text == "f";
            out = Value::of_bool(text == "t");
            break;
        case FieldType::number: {
            double d = 0;
            const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
            ok = ec == std::errc() && p == text.data() + text.size();
            out = Value::of_number(d);
            break;
        }
        case FieldType::string_array:
        case FieldType::object_array: {
            if (json.decode_array_field(def, text, arena, out)) {
                if (def.type == FieldType::object_array && out.is_array()) {
                    schema_order(def, arena, out);
                }
                return;
            }
            auto parsed = json.parse(text, arena);
            if (!parsed) {
                out = Value::null();
                issues.push_back({slot, "stored value is not valid JSON"});
                return;
            }
            if (auto st = model::check_field(def, *parsed, out, arena); !st) {
                out = Value::null();
                issues.push_back({slot, arena.copy(st.error().message)});
            } else if (def.type == FieldType::object_array && out.is_array()) {
                schema_order(def, arena, out);
            }
            return;
        }
    }
    if (!ok) {
        out = Value::null();
        issues.push_back({slot, "stored value does not read as its type"});
    }
}

class PgStream final : public engine::RecordStream {
  public:
    PgStream(PgConn& conn, std::string statement, engine::StreamRequest request, std::size_t limit)
        : m_conn(conn),
          m_statement(std::move(statement)),
          m_request(std::move(request)),
          m_limit(limit) {}

    util::Expected<std::size_t> next_chunk(model::Arena& arena,
                                           std::vector<model::Record>& out) override {
        const model::KindSchema& schema = model::schema_for(m_request.kind);
        auto result =
            m_conn.exec_prepared(m_statement,
                                 {m_cursor_xid, std::to_string(m_cursor_rid),
                                  std::to_string(m_request.since_seq), std::to_string(m_limit)},
                                 "reading " + std::string(schema.table));
        if (!result) {
            return result.error();
        }
        const int rows = result->rows();
        for (int r = 0; r < rows; ++r) {
            out.push_back(decode_row(*result, r, schema, arena));
            m_cursor_rid = out.back().row;
            m_cursor_xid = std::string(result->get(r, 1));
        }
        return static_cast<std::size_t>(rows);
    }

    void set_reuse(engine::ReuseCheck* check) override { m_reuse = check; }

  private:
    // The hash of the row's stored values as the server sends them (text),
    // each with its null flag: the unknown fields, the values that were
    // invalid on import, and every wanted column (model::Record::content_hash).
    std::uint64_t content_hash(const PgResult& result, int r, const model::KindSchema& schema) {
        m_hash.clear();
        const auto add = [&](int col) {
            const bool null = result.is_null(r, col);
            m_hash.number(static_cast<std::uint8_t>(null ? 0 : 1));
            if (!null) {
                m_hash.text(result.get(r, col));
            }
        };
        add(2);
        add(3);
        int col = k_fixed_columns;
        for (std::size_t i = 0; i < schema.fields.size(); ++i) {
            if (wanted(m_request.wanted, i)) {
                add(col++);
            }
        }
        return m_hash.hash();
    }

    // One row (rid, change_xid, extra_fields, invalid_values, wanted
    // columns...) as a record in `arena`; unreadable values become issues.
    model::Record decode_row(const PgResult& result, int r, const model::KindSchema& schema,
                             model::Arena& arena) {
        model::Record rec;
        rec.kind = m_request.kind;
        bool ok = true;
        rec.row = to_int64(result.get(r, 0), ok);
        rec.change_seq = to_int64(result.get(r, 1), ok);
        rec.content_hash = content_hash(result, r, schema);
        if (m_reuse != nullptr && m_reuse->reusable(rec.row, result.get(r, k_fixed_columns), rec.content_hash)) {
            rec.reused = true;  // the stored result stands: nothing to decode
            return rec;
        }
        if (!result.is_null(r, 2)) {
            rec.extra_json = arena.copy(result.get(r, 2));
        }
        Value invalid = Value::null();
        if (!result.is_null(r, 3)) {
            if (auto parsed = m_json.parse(result.get(r, 3), arena)) {
                invalid = *parsed;
            }
        }
        auto fields = arena.values(schema.fields.size());
        m_issues.clear();
        int col = k_fixed_columns;
        for (std::size_t i = 0; i < schema.fields.size(); ++i) {
            if (!wanted(m_request.wanted, i)) {
                continue;
            }
            const auto slot = static_cast<std::uint16_t>(i);
            if (!result.is_null(r, col)) {
                read_value(schema.fields[i], slot, result.get(r, col), arena, m_json, fields[i],
                           m_issues);
            } else if (!invalid.is_null()) {
                read_invalid(schema.fields[i], slot, invalid, arena, fields[i], m_issues);
            }
            ++col;
        }
        rec.fields = fields;
        if (!m_issues.empty()) {
            auto stored = arena.array<model::FieldIssue>(m_issues.size());
            std::copy(m_issues.begin(), m_issues.end(), stored.begin());
            rec.issues = stored;
        }
        return rec;
    }

    std::vector<model::FieldIssue> m_issues;
    PgConn& m_conn;
    std::string m_statement;
    engine::StreamRequest m_request;
    std::size_t m_limit;
    std::string m_cursor_xid = "0";
    std::int64_t m_cursor_rid = 0;
    model::JsonParser m_json;
    util::HashBytes m_hash;
    engine::ReuseCheck* m_reuse = nullptr;
};

}  // namespace

PgRecordSource::PgRecordSource(PgConn& conn, std::size_t chunk_size, std::int64_t xmin)
    : m_conn(conn), m_chunk_size(chunk_size == 0 ? 1000 : chunk_size), m_xmin(xmin) {}

PgRecordSource::~PgRecordSource() {
    if (m_conn.ok()) {
        (void)m_conn.exec("ROLLBACK", "ending the scan's transaction");
    }
}

util::Expected<std::unique_ptr<PgRecordSource>> PgRecordSource::begin(PgConn& conn,
                                                                      std::size_t chunk_size) {
    auto begun = conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                           "starting the scan's transaction");
    if (!begun) {
        return begun.error();
    }
    // The first query takes the transaction's snapshot: every read of this
    // scan sees exactly what this xmin describes.
    auto xmin =
        conn.exec("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", "reading the snapshot");
    if (!xmin) {
        (void)conn.exec("ROLLBACK", "ending the scan's transaction");
        return xmin.error();
    }
    bool ok = true;
    const std::int64_t value = to_int64(xmin->get(0, 0), ok);
    if (!ok) {
        (void)conn.exec("ROLLBACK", "ending the scan's transaction");
        return util::Error{conn.where() + ": unexpected snapshot xmin"};
    }
    return std::unique_ptr<PgRecordSource>(new PgRecordSource(conn, chunk_size, value));
}

util::Expected<std::unique_ptr<engine::RecordStream>> PgRecordSource::open(
    const engine::StreamRequest& request) {
    const model::KindSchema& schema = model::schema_for(request.kind);
    const std::string name = "spiegel_read_" + std::to_string(++m_statements);
    if (auto st = m_conn.prepare(name, select_sql(m_conn, schema, request), 4,
                                 "preparing the read of " + std::string(schema.table));
        !st) {
        return st.error();
    }
    return std::unique_ptr<engine::RecordStream>(
        std::make_unique<PgStream>(m_conn, name, request, m_chunk_size));
}

util::Expected<std::int64_t> PgRecordSource::change_seq() {
    return m_xmin;
}

util::Expected<std::vector<std::string>> PgRecordSource::deleted_since(model::Kind kind,
                                                                       std::int64_t since_seq) {
    const std::string table(model::schema_for(kind).table);
    // A tombstone of an id that is in the table again (deleted, then
    // inserted anew) deletes nothing: the insert may have been read by an
    // earlier scan while the tombstone, written by a later transaction id,
    // is read again now.
    auto result =
        m_conn.exec("SELECT DISTINCT t.id FROM " + m_conn.prefix() + "source_tombstone AS t WHERE t.kind = $1 AND "
                        "t.change_xid >= $2::xid8 AND NOT EXISTS (SELECT 1 FROM " + m_conn.prefix() + table +
                        " AS r WHERE r.id = t.id) ORDER BY t.id",
                    {table, std::to_string(since_seq)}, "reading the tombstones of " + table);
    if (!result) {
        return result.error();
    }
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(result->rows()));
    for (int r = 0; r < result->rows(); ++r) {
        ids.emplace_back(result->get(r, 0));
    }
    return ids;
}

util::Expected<bool> PgRecordSource::changed_since(model::Kind kind, std::int64_t since_seq) {
    const std::string table(model::schema_for(kind).table);
    auto result = m_conn.exec(
        "SELECT EXISTS (SELECT 1 FROM " + m_conn.prefix() + table +
            " WHERE change_xid >= $2::xid8) OR EXISTS (SELECT 1 FROM " + m_conn.prefix() +
            "source_tombstone WHERE kind = $1 AND change_xid >= $2::xid8)",
        {table, std::to_string(since_seq)}, "checking " + table + " for changes");
    if (!result) {
        return result.error();
    }
    return result->get(0, 0) == "t";
}

namespace {

// Every table a scan reads, with the columns it needs.
std::vector<std::pair<std::string, std::vector<std::string>>> expected_tables() {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (model::Kind k : model::k_all_kinds) {
        const auto& schema = model::schema_for(k);
        std::vector<std::string> cols{"rid", "extra_fields", "invalid_values", "change_xid"};
        for (const auto& f : schema.fields) {
            cols.emplace_back(f.name);
        }
        out.emplace_back(std::string(schema.table), std::move(cols));
    }
    out.emplace_back("source_tombstone", std::vector<std::string>{"kind", "id", "change_xid"});
    return out;
}

// Appends the problems of one table: absent, a column missing, not readable.
util::Status check_table(PgConn& conn, const std::string& table,
                         const std::vector<std::string>& cols, std::vector<std::string>& problems) {
    auto found = conn.exec(
        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = $1 AND "
        "table_name = $2",
        {conn.schema(), table}, "reading the columns of " + table);
    if (!found) {
        return found.error();
    }
    const std::string qualified = conn.schema() + "." + table;
    if (found->rows() == 0) {
        problems.push_back(
            conn.where() + ": table " + qualified +
            " does not exist or is not visible to this role (run 'spiegeld schema postgresql')");
        return {};
    }
    std::vector<std::string> have;
    for (int r = 0; r < found->rows(); ++r) {
        have.emplace_back(found->get(r, 0));
    }
    for (const auto& c : cols) {
        if (std::find(have.begin(), have.end(), c) == have.end()) {
            problems.push_back(conn.where() + ": table " + qualified + " has no column " + c);
        }
    }
    auto grant =
        conn.exec("SELECT has_table_privilege(format('%I.%I', $1::text, $2::text), 'SELECT')",
                  {conn.schema(), table}, "checking the grants on " + table);
    if (!grant) {
        return grant.error();
    }
    if (grant->get(0, 0) != "t") {
        problems.push_back(conn.where() + ": role may not SELECT from " + qualified + " (grant " +
                           std::string(k_pg_reader_role) + " to it)");
    }
    return {};
}

}  // namespace

util::Expected<std::vector<std::string>> pg_check_schema(PgConn& conn) {
    std::vector<std::string> problems;
    for (const auto& [table, cols] : expected_tables()) {
        if (auto st = check_table(conn, table, cols, problems); !st) {
            return st.error();
        }
    }
    return problems;
}

}  // namespace spiegel::store
