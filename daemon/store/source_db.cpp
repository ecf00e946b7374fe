#include "daemon/store/source_db.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>

#include "daemon/model/json.h"
#include "daemon/store/connection.h"
#include "daemon/store/raw_statement.h"
#include "daemon/util/hash.h"
#include "daemon/util/time.h"

namespace spiegel::store {
namespace {

using model::FieldDef;
using model::FieldType;
using model::Kind;

std::string_view column_type(FieldType t) {
    switch (t) {
        case FieldType::integer:
        case FieldType::boolean:
            return "INTEGER";
        case FieldType::number:
            return "REAL";
        default:
            return "TEXT";
    }
}

std::string_view column_comment(FieldType t) {
    switch (t) {
        case FieldType::timestamp:
            return "RFC 3339 timestamp, UTC (YYYY-MM-DDTHH:MM:SSZ)";
        case FieldType::date:
            return "date YYYY-MM-DD";
        case FieldType::month:
            return "month YYYY-MM";
        case FieldType::boolean:
            return "0 or 1";
        case FieldType::string_array:
            return "JSON array of strings";
        case FieldType::object_array:
            return "JSON array of objects";
        default:
            return "";
    }
}

std::string table_sql(const model::KindSchema& schema) {
    const std::string t(schema.table);
    std::string sql = "CREATE TABLE IF NOT EXISTS " + t + " (\n";
    sql += "  rid INTEGER PRIMARY KEY,  -- row id: scans read in rid order (keyset chunks)\n";
    for (const FieldDef& f : schema.fields) {
        sql += "  " + std::string(f.name) + " " + std::string(column_type(f.type));
        if (f.name == "id") {
            sql += " NOT NULL UNIQUE,";
        } else {
            sql += ",";
        }
        std::string comment(column_comment(f.type));
        if (f.type == FieldType::object_array) {
            comment += ": {";
            for (std::size_t i = 0; i < f.item_fields.size(); ++i) {
                comment += (i ? ", " : "") + std::string(f.item_fields[i].name);
            }
            comment += "}";
        }
        if (f.personal) {
            comment += comment.empty() ? "personal data" : "; personal data";
        }
        if (!comment.empty()) {
            sql += "  -- " + comment;
        }
        sql += "\n";
    }
    sql += "  extra_fields TEXT,  -- unknown import fields, kept as one JSON object\n";
    sql += "  change_seq INTEGER  -- set by the importer or by the triggers below\n";
    sql += ");\n";
    sql += "CREATE INDEX IF NOT EXISTS " + t + "_change ON " + t + "(change_seq);\n";
    const std::string stamp =
        "  UPDATE source_seq SET value = value + 1 WHERE id = 1;\n"
        "  UPDATE " + t + " SET change_seq = (SELECT value FROM source_seq WHERE id = 1) "
        "WHERE rid = NEW.rid;\n";
    sql += "CREATE TRIGGER IF NOT EXISTS " + t + "_insert_seq AFTER INSERT ON " + t +
           " WHEN NEW.change_seq IS NULL BEGIN\n" + stamp + "END;\n";
    sql += "CREATE TRIGGER IF NOT EXISTS " + t + "_update_seq AFTER UPDATE ON " + t +
           " WHEN NEW.change_seq IS OLD.change_seq BEGIN\n" + stamp + "END;\n";
    const std::string tombstone =
        "  UPDATE source_seq SET value = value + 1 WHERE id = 1;\n"
        "  INSERT INTO source_tombstone (kind, id, change_seq)\n"
        "    VALUES ('" + t + "', OLD.id, (SELECT value FROM source_seq WHERE id = 1));\n";
    sql += "CREATE TRIGGER IF NOT EXISTS " + t + "_delete_seq AFTER DELETE ON " + t + " BEGIN\n" + tombstone +
           "END;\n";
    // An id changed in place: the old id's record is gone, as if deleted.
    sql += "CREATE TRIGGER IF NOT EXISTS " + t + "_rename AFTER UPDATE OF id ON " + t +
           " WHEN OLD.id IS NOT NEW.id BEGIN\n" + tombstone + "END;\n";
    return sql;
}

std::string select_sql(const model::KindSchema& schema, bool changes_only) {
    std::string sql = "SELECT rid, change_seq, extra_fields";
    for (const FieldDef& f : schema.fields) {
        sql += ", " + std::string(f.name);
    }
    sql += " FROM " + std::string(schema.table);
    if (changes_only) {
        sql += " WHERE (change_seq > ?1 AND change_seq > ?3) OR (change_seq = ?1 AND rid > ?2 "
               "AND change_seq > ?3) ORDER BY change_seq, rid LIMIT ?4";
    } else {
        sql += " WHERE rid > ?2 ORDER BY rid LIMIT ?4";
    }
    return sql;
}

std::string upsert_sql(const model::KindSchema& schema) {
    std::string cols;
    std::string params;
    std::string updates;
    int n = 0;
    for (const FieldDef& f : schema.fields) {
        cols += (n ? ", " : "") + std::string(f.name);
        params += (n ? ", ?" : "?");
        if (f.name != "id") {
            updates += (updates.empty() ? "" : ", ") + std::string(f.name) + " = excluded." +
                       std::string(f.name);
        }
        ++n;
    }
    return "INSERT INTO " + std::string(schema.table) + " (" + cols +
           ", extra_fields, change_seq) VALUES (" + params + ", ?, ?) ON CONFLICT(id) DO UPDATE SET " +
           updates + ", extra_fields = excluded.extra_fields, change_seq = excluded.change_seq";
}

}  // namespace

std::string source_schema_sql() {
    std::string sql =
        "CREATE TABLE IF NOT EXISTS source_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
        "CREATE TABLE IF NOT EXISTS source_seq (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "value INTEGER NOT NULL);\n"
        "INSERT OR IGNORE INTO source_seq (id, value) VALUES (1, 0);\n"
        "CREATE TABLE IF NOT EXISTS source_tombstone (kind TEXT NOT NULL, id TEXT NOT NULL, "
        "change_seq INTEGER NOT NULL);\n"
        "CREATE INDEX IF NOT EXISTS source_tombstone_seq ON source_tombstone(kind, change_seq);\n";
    for (Kind k : model::k_all_kinds) {
        sql += table_sql(model::schema_for(k));
    }
    sql += "CREATE INDEX IF NOT EXISTS vacancy_employer ON vacancy(employer_id);\n";
    return sql;
}

struct SourceDb::Impl {
    std::optional<SQLite::Database> db;
    model::PerKind<std::array<RawStatement, 2>> select;
    model::PerKind<RawStatement> upsert;
    model::JsonParser json;
};

SourceDb::SourceDb(std::string path) : m_impl(std::make_unique<Impl>()), m_path(std::move(path)) {}
SourceDb::~SourceDb() {
    // Statements must be finalised before the database closes.
    for (auto& per_kind : m_impl->select) {
        for (auto& s : per_kind) {
            s.finalize();
        }
    }
    for (auto& s : m_impl->upsert) {
        s.finalize();
    }
    m_impl->db.reset();
}

SQLite::Database& SourceDb::database() { return *m_impl->db; }

util::Expected<std::unique_ptr<SourceDb>> SourceDb::open(const std::string& path, Mode mode) {
    std::unique_ptr<SourceDb> self(new SourceDb(path));
    try {
        if (mode == Mode::read_only) {
            if (!std::filesystem::exists(path)) {
                return util::Error{path + ": source database does not exist (run 'spiegeld demo' "
                                          "or 'spiegeld import' first)"};
            }
            self->m_impl->db.emplace(open_read_only(path));
        } else {
            self->m_impl->db.emplace(open_for_writing(path));
        }
        SQLite::Database& db = *self->m_impl->db;
        if (mode == Mode::read_write) {
            SQLite::Transaction tx(db);
            db.exec(source_schema_sql());
            db.exec("INSERT OR REPLACE INTO source_meta (key, value) VALUES ('schema_version', '" +
                    std::to_string(k_source_schema_version) + "')");
            tx.commit();
        } else {
            if (!db.tableExists("source_seq")) {
                return util::Error{path + ": not a Spiegel source database (no source_seq table)"};
            }
        }
        db.exec("PRAGMA cache_size=-65536");
        db.exec("PRAGMA mmap_size=1073741824");
    } catch (const std::exception& e) {
        return util::Error{path + ": " + e.what()};
    }
    return self;
}

namespace {

// Converts one stored column into a field value. Problems become issues.
void read_column(const FieldDef& def, std::uint16_t slot, sqlite3_stmt* stmt, int col,
                 model::Arena& arena, model::JsonParser& json, model::Value& out,
                 std::vector<model::FieldIssue>& issues) {
    using model::Value;
    const int type = sqlite3_column_type(stmt, col);
    out = Value::null();
    if (type == SQLITE_NULL) {
        return;
    }
    // '' means "not filled in" in a column of any type (docs/records.md),
    // as an ETL job may write it into a number or boolean column.
    if (type == SQLITE_TEXT && sqlite3_column_bytes(stmt, col) == 0 &&
        (def.type == FieldType::integer || def.type == FieldType::boolean || def.type == FieldType::number)) {
        return;
    }
    auto issue = [&](std::string_view reason) { issues.push_back({slot, reason}); };
    switch (def.type) {
        case FieldType::string:
        case FieldType::date:
        case FieldType::month:
        case FieldType::timestamp: {
            if (type == SQLITE_BLOB) {
                issue("stored as a blob, expected text");
                return;
            }
            const std::string_view text = column_text(stmt, col);
            if (def.type == FieldType::timestamp && !text.empty()) {
                const bool canonical = text.size() == 20 && text[10] == 'T' && text[19] == 'Z';
                if (!canonical) {
                    const auto t = util::normalize_timestamp(text);
                    if (!t) {
                        issue("not a valid RFC 3339 timestamp");
                        return;
                    }
                    out = Value::of_string(arena.copy(*t));
                    return;
                }
                if (!util::parse_timestamp(text)) {
                    issue("not a valid RFC 3339 timestamp");
                    return;
                }
            } else if (def.type == FieldType::date && !text.empty() && !util::parse_date(text)) {
                issue("not a valid YYYY-MM-DD date");
                return;
            }
            out = Value::of_string(arena.copy(text));
            return;
        }
        case FieldType::integer:
        case FieldType::boolean: {
            std::int64_t v = 0;
            const double d = sqlite3_column_double(stmt, col);
            if (type == SQLITE_INTEGER) {
                v = sqlite3_column_int64(stmt, col);
            } else if (type == SQLITE_FLOAT && d > -9.0e15 && d < 9.0e15 &&
                       static_cast<double>(static_cast<std::int64_t>(d)) == d) {
                v = static_cast<std::int64_t>(d);
            } else {
                issue(def.type == FieldType::boolean ? "stored value is not 0 or 1"
                                                     : "stored value is not an integer");
                return;
            }
            if (def.type == FieldType::boolean) {
                if (v != 0 && v != 1) {
                    issue("stored value is not 0 or 1");
                    return;
                }
                out = Value::of_bool(v == 1);
            } else {
                out = Value::of_int(v);
            }
            return;
        }
        case FieldType::number:
            if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
                out = Value::of_number(sqlite3_column_double(stmt, col));
            } else {
                issue("stored value is not a number");
            }
            return;
        case FieldType::string_array:
        case FieldType::object_array: {
            const std::string_view text = column_text(stmt, col);
            if (text.empty() || json.decode_array_field(def, text, arena, out)) {
                return;
            }
            auto parsed = json.parse(text, arena);
            if (!parsed) {
                issue("stored value is not valid JSON");
                return;
            }
            auto st = model::check_field(def, *parsed, out, arena);
            if (!st) {
                out = Value::null();
                issue(arena.copy(st.error().message));
            }
            return;
        }
    }
}

// The hash of the stored values of the current row the scan reads: the
// unknown fields' column and every wanted field's column (the id always),
// each as its storage class and bytes, read with the accessor of its class
// so no value is converted. Equal hashes: the decoded record is the same.
std::uint64_t content_hash(sqlite3_stmt* raw, const ChunkQuery& query, std::size_t fields, util::HashBytes& b) {
    b.clear();
    const auto add = [&](int col) {
        const int type = sqlite3_column_type(raw, col);
        b.number(static_cast<std::uint8_t>(type));
        switch (type) {
            case SQLITE_INTEGER:
                b.number(static_cast<std::int64_t>(sqlite3_column_int64(raw, col)));
                break;
            case SQLITE_FLOAT:
                b.number(sqlite3_column_double(raw, col));
                break;
            case SQLITE_TEXT:
                b.text(column_text(raw, col));
                break;
            case SQLITE_BLOB: {
                const void* p = sqlite3_column_blob(raw, col);
                b.text(std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(raw, col))));
                break;
            }
            default:
                break;
        }
    };
    add(2);
    for (std::size_t i = 0; i < fields; ++i) {
        if (i != 0 && !query.wanted.empty() && !(i < query.wanted.size() && query.wanted[i])) {
            continue;
        }
        add(static_cast<int>(i + 3));
    }
    return b.hash();
}

}  // namespace

util::Expected<std::size_t> SourceDb::read_chunk(const ChunkQuery& query, Cursor& cursor,
                                                 model::Arena& arena,
                                                 std::vector<model::Record>& out) {
    const model::KindSchema& schema = model::schema_for(query.kind);
    try {
        RawStatement& stmt = m_impl->select[static_cast<std::size_t>(query.kind)][query.changes_only ? 1 : 0];
        if (!stmt.ready()) {
            stmt.prepare(m_impl->db->getHandle(), select_sql(schema, query.changes_only));
        }
        stmt.reset();
        sqlite3_stmt* raw = stmt.get();
        // A change read that has not passed since_seq yet starts at the cursor
        // (since_seq + 1, any row): the same rows (integer change_seq >
        // since_seq), but SQLite's index seek then lands on the first changed
        // row instead of walking every unchanged entry of the index.
        constexpr auto k_max = std::numeric_limits<sqlite3_int64>::max();
        constexpr auto k_min = std::numeric_limits<sqlite3_int64>::min();
        const bool before_since =
            query.changes_only && cursor.change_seq <= query.since_seq && query.since_seq < k_max;
        sqlite3_bind_int64(raw, 1, before_since ? query.since_seq + 1 : cursor.change_seq);
        sqlite3_bind_int64(raw, 2, before_since ? k_min : cursor.row);
        sqlite3_bind_int64(raw, 3, query.since_seq);
        sqlite3_bind_int64(raw, 4, static_cast<sqlite3_int64>(query.limit));
        std::size_t n = 0;
        std::vector<model::FieldIssue> issues;
        thread_local util::HashBytes hash_bytes;
        while (stmt.step()) {
            model::Record rec;
            rec.kind = query.kind;
            rec.row = sqlite3_column_int64(raw, 0);
            rec.change_seq = sqlite3_column_int64(raw, 1);
            rec.content_hash = content_hash(raw, query, schema.fields.size(), hash_bytes);
            cursor.row = rec.row;
            cursor.change_seq = rec.change_seq;
            if (query.reuse != nullptr && query.reuse->reusable(rec.row, column_text(raw, 3), rec.content_hash)) {
                rec.reused = true;  // the stored result stands: nothing to decode
                out.push_back(rec);
                ++n;
                continue;
            }
            if (sqlite3_column_type(raw, 2) == SQLITE_TEXT) {
                rec.extra_json = arena.copy(column_text(raw, 2));
            }
            auto fields = arena.values(schema.fields.size());
            issues.clear();
            for (std::size_t i = 0; i < schema.fields.size(); ++i) {
                if (i != 0 && !query.wanted.empty() && !(i < query.wanted.size() && query.wanted[i])) {
                    continue;
                }
                read_column(schema.fields[i], static_cast<std::uint16_t>(i), raw,
                            static_cast<int>(i + 3), arena, m_impl->json, fields[i], issues);
            }
            rec.fields = fields;
            if (!issues.empty()) {
                auto stored = arena.array<model::FieldIssue>(issues.size());
                std::copy(issues.begin(), issues.end(), stored.begin());
                rec.issues = stored;
            }
            out.push_back(rec);
            ++n;
        }
        stmt.reset();
        return n;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": reading " + std::string(schema.table) + ": " + e.what()};
    }
}

util::Expected<std::int64_t> SourceDb::current_change_seq() {
    try {
        return m_impl->db->execAndGet("SELECT value FROM source_seq WHERE id = 1").getInt64();
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

util::Expected<std::int64_t> SourceDb::count(Kind kind) {
    try {
        return m_impl->db
            ->execAndGet("SELECT count(*) FROM " + std::string(model::schema_for(kind).table))
            .getInt64();
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

util::Expected<std::vector<std::string>> SourceDb::deleted_since(Kind kind, std::int64_t since_seq) {
    try {
        // Ids in the table again (deleted, then inserted anew) are not
        // deleted: their new rows are changes of their own.
        const std::string table(model::schema_for(kind).table);
        SQLite::Statement q(*m_impl->db,
                            "SELECT DISTINCT t.id FROM source_tombstone AS t WHERE t.kind = ? AND t.change_seq > ? AND "
                            "NOT EXISTS (SELECT 1 FROM " + table + " AS r WHERE r.id = t.id) ORDER BY t.id");
        q.bind(1, std::string(model::schema_for(kind).table));
        q.bind(2, since_seq);
        std::vector<std::string> ids;
        while (q.executeStep()) {
            ids.push_back(q.getColumn(0).getString());
        }
        return ids;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

util::Expected<std::vector<std::string>> SourceDb::all_ids(Kind kind) {
    try {
        SQLite::Statement q(*m_impl->db, "SELECT id FROM " +
                                             std::string(model::schema_for(kind).table) +
                                             " ORDER BY id");
        std::vector<std::string> ids;
        while (q.executeStep()) {
            ids.push_back(q.getColumn(0).getString());
        }
        return ids;
    } catch (const std::exception& e) {
        return util::Error{m_path + ": " + e.what()};
    }
}

util::Expected<SourceDb::Writer> SourceDb::begin_write() {
    auto tx = WriteTransaction::begin(*m_impl->db, m_path);
    if (!tx) {
        return tx.error();
    }
    try {
        m_impl->db->exec("UPDATE source_seq SET value = value + 1 WHERE id = 1");
        const std::int64_t seq =
            m_impl->db->execAndGet("SELECT value FROM source_seq WHERE id = 1").getInt64();
        return Writer(*this, std::move(*tx), seq);
    } catch (const std::exception& e) {
        // tx rolls back on return: the next begin_write must not find it open.
        return util::Error{m_path + ": cannot start a write transaction: " + e.what()};
    }
}

SourceDb::Writer::Writer(SourceDb& db, WriteTransaction tx, std::int64_t seq)
    : m_db(&db), m_tx(std::move(tx)), m_seq(seq) {}

util::Status SourceDb::Writer::upsert(const model::Record& record) {
    const model::KindSchema& schema = model::schema_for(record.kind);
    try {
        RawStatement& stmt = m_db->m_impl->upsert[static_cast<std::size_t>(record.kind)];
        if (!stmt.ready()) {
            stmt.prepare(m_db->m_impl->db->getHandle(), upsert_sql(schema));
        }
        stmt.reset();
        sqlite3_stmt* raw = stmt.get();
        int p = 1;
        for (std::size_t i = 0; i < schema.fields.size(); ++i, ++p) {
            const model::Value& v = record.field(i);
            switch (v.type) {
                case model::ValueType::null:
                    sqlite3_bind_null(raw, p);
                    break;
                case model::ValueType::boolean:
                    sqlite3_bind_int(raw, p, v.boolean ? 1 : 0);
                    break;
                case model::ValueType::integer:
                    sqlite3_bind_int64(raw, p, v.integer);
                    break;
                case model::ValueType::number:
                    sqlite3_bind_double(raw, p, v.number);
                    break;
                case model::ValueType::string:
                    // An empty string is stored as "" (not NULL): both read as missing.
                    sqlite3_bind_text(raw, p, v.string.empty() ? "" : v.string.data(),
                                      static_cast<int>(v.string.size()), SQLITE_TRANSIENT);
                    break;
                case model::ValueType::array:
                case model::ValueType::object:
                    m_buf.clear();
                    model::write_json(m_buf, v);
                    sqlite3_bind_text(raw, p, m_buf.data(), static_cast<int>(m_buf.size()),
                                      SQLITE_TRANSIENT);
                    break;
            }
        }
        if (record.extra_json.empty()) {
            sqlite3_bind_null(raw, p++);
        } else {
            sqlite3_bind_text(raw, p++, record.extra_json.data(),
                              static_cast<int>(record.extra_json.size()), SQLITE_TRANSIENT);
        }
        sqlite3_bind_int64(raw, p, m_seq);
        stmt.step();
        stmt.reset();
        return {};
    } catch (const std::exception& e) {
        return util::Error{m_db->m_path + ": writing " + std::string(schema.table) + ": " + e.what()};
    }
}

util::Status SourceDb::Writer::commit() { return m_tx.commit(); }

namespace {

class SqliteRecordWriter final : public RecordWriter {
public:
    explicit SqliteRecordWriter(SourceDb::Writer writer) : m_writer(std::move(writer)) {}
    util::Status upsert(const model::Record& record) override { return m_writer.upsert(record); }
    util::Status commit() override { return m_writer.commit(); }

private:
    SourceDb::Writer m_writer;
};

}  // namespace

util::Expected<std::unique_ptr<RecordWriter>> SourceDb::begin_records() {
    auto writer = begin_write();
    if (!writer) {
        return writer.error();
    }
    return std::unique_ptr<RecordWriter>(std::make_unique<SqliteRecordWriter>(std::move(*writer)));
}

}  // namespace spiegel::store
