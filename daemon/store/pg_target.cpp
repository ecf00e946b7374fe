#include "daemon/store/pg_target.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "daemon/model/json.h"
#include "daemon/store/pg_schema.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::store {
namespace {

using model::FieldType;
using model::Value;

// COPY text format: backslash escapes for the delimiter and line breaks.
void append_escaped(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
}

void append_double(std::string& out, double d) {
    char buf[32];
    const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, ec == std::errc() ? p : buf);
}

// True when PostgreSQL accepts the text as the typed column's value: the
// same parse the SQLite source applies on reading, in PostgreSQL's range.
bool typed_ok(FieldType type, std::string_view text) {
    if (text.size() < 10 || text.starts_with("0000")) {
        return false;
    }
    return type == FieldType::timestamp ? util::parse_timestamp(text).has_value()
                                        : util::parse_date(text).has_value() && text.size() == 10;
}

std::string stage_table(const model::KindSchema& schema) {
    return "spiegel_stage_" + std::string(schema.table);
}

std::string stage_sql(const PgConn& conn, const model::KindSchema& schema) {
    const std::string t(schema.table);
    std::string sql = "CREATE TEMP TABLE IF NOT EXISTS " + stage_table(schema) + " (ord bigint";
    for (const auto& f : schema.fields) {
        sql += ", " + std::string(f.name) + " " + std::string(pg_column_type(f.type));
    }
    sql += ", extra_fields json, invalid_values jsonb) ON COMMIT DROP";
    (void)conn;
    return sql;
}

std::string merge_sql(const PgConn& conn, const model::KindSchema& schema) {
    std::string cols;
    std::string updates;
    for (const auto& f : schema.fields) {
        cols += (cols.empty() ? "" : ", ") + std::string(f.name);
        if (f.name != "id") {
            updates += std::string(f.name) + " = excluded." + std::string(f.name) + ", ";
        }
    }
    cols += ", extra_fields, invalid_values";
    // Stamping change_xid here spares the row trigger's function call.
    updates +=
        "extra_fields = excluded.extra_fields, invalid_values = excluded.invalid_values, "
        "change_xid = pg_current_xact_id()";
    return "INSERT INTO " + conn.prefix() + std::string(schema.table) + " (" + cols + ") SELECT " +
           cols + " FROM " + stage_table(schema) + " ORDER BY ord ON CONFLICT (id) DO UPDATE SET " +
           updates;
}

class PgWriter final : public RecordWriter {
  public:
    explicit PgWriter(PgConn& conn) : m_conn(conn) {}
    ~PgWriter() override {
        if (m_open && m_conn.ok()) {
            if (m_copying) {
                m_conn.copy_abort();
            }
            (void)m_conn.exec("ROLLBACK", "rolling back");
        }
    }

    util::Status upsert(const model::Record& record) override {
        const model::KindSchema& schema = model::schema_for(record.kind);
        if (!m_copying || m_kind != record.kind) {
            if (auto st = switch_to(record.kind); !st) {
                return st;
            }
        }
        append_copy_row(m_buf, ++m_ord, record);
        if (m_buf.size() >= (1U << 20)) {
            return flush("writing " + std::string(schema.table));
        }
        return {};
    }

    util::Status commit() override {
        if (auto st = end_copy(); !st) {
            return st;
        }
        for (model::Kind k : m_kinds) {
            const auto& schema = model::schema_for(k);
            if (auto r =
                    m_conn.exec(merge_sql(m_conn, schema), "writing " + std::string(schema.table));
                !r) {
                return r.error();
            }
        }
        if (auto r = m_conn.exec("COMMIT", "committing"); !r) {
            return r.error();
        }
        m_open = false;
        return {};
    }

  private:
    util::Status flush(const std::string& what) {
        auto st = m_conn.copy_send(m_buf, what);
        m_buf.clear();
        return st;
    }

    util::Status end_copy() {
        if (!m_copying) {
            return {};
        }
        const std::string what = "writing " + std::string(model::schema_for(m_kind).table);
        if (auto st = flush(what); !st) {
            return st;
        }
        m_copying = false;
        return m_conn.copy_end(what);
    }

    util::Status switch_to(model::Kind kind) {
        if (auto st = end_copy(); !st) {
            return st;
        }
        const auto& schema = model::schema_for(kind);
        if (std::find(m_kinds.begin(), m_kinds.end(), kind) == m_kinds.end()) {
            if (auto r =
                    m_conn.exec(stage_sql(m_conn, schema), "staging " + std::string(schema.table));
                !r) {
                return r.error();
            }
            m_kinds.push_back(kind);
        }
        if (auto st = m_conn.copy_begin("COPY " + stage_table(schema) + " FROM STDIN",
                                        "writing " + std::string(schema.table));
            !st) {
            return st;
        }
        m_kind = kind;
        m_copying = true;
        return {};
    }

    PgConn& m_conn;
    std::string m_buf;
    std::int64_t m_ord = 0;
    model::Kind m_kind = model::Kind::cv;
    std::vector<model::Kind> m_kinds;  // staged kinds, in first-written order
    bool m_copying = false;
    bool m_open = true;
};

}  // namespace

void append_copy_row(std::string& out, std::int64_t ord, const model::Record& record) {
    const model::KindSchema& schema = model::schema_for(record.kind);
    out += std::to_string(ord);
    std::string invalid;  // {"field":"text",...}
    std::string json;
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        const auto& def = schema.fields[i];
        const Value& v = record.field(i);
        out += '\t';
        switch (v.type) {
            case model::ValueType::null:
                out += "\\N";
                break;
            case model::ValueType::boolean:
                out += v.boolean ? 't' : 'f';
                break;
            case model::ValueType::integer:
                out += std::to_string(v.integer);
                break;
            case model::ValueType::number:
                append_double(out, v.number);
                break;
            case model::ValueType::string:
                if ((def.type == FieldType::timestamp || def.type == FieldType::date) &&
                    !typed_ok(def.type, v.string)) {
                    out += "\\N";
                    invalid += invalid.empty() ? "{" : ",";
                    model::write_json_string(invalid, def.name);
                    invalid += ':';
                    model::write_json_string(invalid, v.string);
                } else {
                    append_escaped(out, v.string);
                }
                break;
            case model::ValueType::array:
            case model::ValueType::object:
                json.clear();
                model::write_json(json, v);
                append_escaped(out, json);
                break;
        }
    }
    out += '\t';
    if (record.extra_json.empty()) {
        out += "\\N";
    } else {
        append_escaped(out, record.extra_json);
    }
    out += '\t';
    if (invalid.empty()) {
        out += "\\N";
    } else {
        invalid += '}';
        append_escaped(out, invalid);
    }
    out += '\n';
}

namespace {

bool member_holds_nul(const model::Member& m);

// True when `v` holds U+0000: a string, or anything inside an array or an
// object (keys included).
bool holds_nul(const Value& v) {
    switch (v.type) {
        case model::ValueType::string:
            return v.string.find('\0') != std::string_view::npos;
        case model::ValueType::array:
            return std::any_of(v.items.begin(), v.items.end(), [](const Value& item) { return holds_nul(item); });
        case model::ValueType::object:
            return std::any_of(v.members.begin(), v.members.end(), member_holds_nul);
        default:
            return false;
    }
}

// True when an object member's key or value holds U+0000.
bool member_holds_nul(const model::Member& m) {
    return m.key.find('\0') != std::string_view::npos || holds_nul(m.value);
}

// The field that holds U+0000, for the message: a field of the contract by
// name, an item of a repeated field by index (and its item field when the
// contract has it).
std::string nul_field(const model::FieldDef& def, const Value& v) {
    const std::string name(def.name);
    if (!v.is_array()) {
        return "field " + util::quoted(name);
    }
    for (std::size_t i = 0; i < v.items.size(); ++i) {
        const Value& item = v.items[i];
        if (!holds_nul(item)) {
            continue;
        }
        const std::string at = name + "[" + std::to_string(i) + "]";
        if (item.is_object()) {
            for (const model::Member& m : item.members) {
                if (member_holds_nul(m) && model::item_slot(def, m.key)) {
                    return "field " + util::quoted(at + "." + std::string(m.key));
                }
            }
        }
        return "field " + util::quoted(at);
    }
    return "field " + util::quoted(name);
}

constexpr std::string_view k_nul_reason = ": the character U+0000 cannot be stored in PostgreSQL";

}  // namespace

util::Status PgTarget::storable(const model::Record& record) const {
    const model::KindSchema& schema = model::schema_for(record.kind);
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        if (holds_nul(record.field(i))) {
            return util::Error{nul_field(schema.fields[i], record.field(i)) + std::string(k_nul_reason)};
        }
    }
    // extra_json is JSON text with U+0000 as the escape \u0000, and
    // extra_fields is `json` (kept as text, as imported), which stores it.
    return {};
}

util::Expected<std::unique_ptr<RecordWriter>> PgTarget::begin_records() {
    if (auto r = m_conn.exec("BEGIN", "starting the import's transaction"); !r) {
        return r.error();
    }
    return std::unique_ptr<RecordWriter>(std::make_unique<PgWriter>(m_conn));
}

}  // namespace spiegel::store
