#include "daemon/engine/profile.h"

#include <algorithm>

#include "daemon/util/time.h"

namespace spiegel::engine {
namespace {

using model::FieldType;

bool is_time(FieldType t) { return t == FieldType::timestamp || t == FieldType::date || t == FieldType::month; }

std::optional<std::int64_t> time_value(FieldType t, std::string_view s) {
    if (t == FieldType::timestamp) {
        return util::parse_timestamp(s);
    }
    if (t == FieldType::date) {
        const auto days = util::parse_date(s);
        return days ? std::optional<std::int64_t>(*days * 86400) : std::nullopt;
    }
    const auto month = util::parse_month(s);  // months since year 0
    if (!month) {
        return std::nullopt;
    }
    return *month;
}

FieldProfile make(const model::FieldDef& def, std::string array) {
    FieldProfile p;
    p.array = std::move(array);
    p.name = std::string(def.name);
    p.type = def.type;
    p.personal = def.personal;
    return p;
}

void count_string(FieldProfile& p, std::string_view s) {
    ++p.string_values;
    if (auto it = p.values.find(std::string(s)); it != p.values.end()) {
        ++it->second;
    } else if (p.values.size() < k_max_values) {
        p.values.emplace(std::string(s), 1);
    } else {
        p.values_overflow = true;
    }
}

}  // namespace

std::string string_shape(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        out += (c >= '0' && c <= '9') ? '9' : ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? 'a' : static_cast<char>(c);
    }
    return out;
}

KindProfiler::KindProfiler(model::Kind kind, std::int64_t now) : m_kind(kind), m_now(now) {
    const std::chrono::year_month_day day{util::utc_day(now)};
    m_now_month = util::month_index(std::chrono::year_month{day.year(), day.month()});
    const auto& schema = model::schema_for(kind);
    m_top.resize(schema.fields.size());
    m_items.resize(schema.fields.size());
    for (std::size_t slot = 0; slot < schema.fields.size(); ++slot) {
        const auto& def = schema.fields[slot];
        m_top[slot] = m_fields.size();
        m_fields.push_back(make(def, ""));
        for (const auto& item : def.item_fields) {
            m_items[slot].push_back(m_fields.size());
            m_fields.push_back(make(item, std::string(def.name)));
        }
    }
}

void KindProfiler::add_value(FieldProfile& p, const model::Value& v) {
    ++p.seen;
    if (v.is_missing()) {
        return;
    }
    ++p.present;
    if (v.is_string()) {
        const std::string_view s = v.string;
        if (is_time(p.type)) {
            ++p.times;
            const auto t = time_value(p.type, s);
            if (!t) {
                ++p.unparsed;
            } else if (*t > (p.type == FieldType::month ? m_now_month : m_now)) {
                ++p.future;
            }
            return;
        }
        count_string(p, s);
        p.max_length = std::max(p.max_length, s.size());
        const std::string shape = string_shape(s);
        if (auto it = p.shapes.find(shape); it != p.shapes.end()) {
            ++it->second;
        } else if (p.shapes.size() < k_max_shapes) {
            p.shapes.emplace(shape, 1);
        } else {
            p.shapes_overflow = true;
        }
        if (p.distinct.size() < k_max_distinct) {
            p.distinct.insert(std::string(s));
        } else {
            p.distinct_overflow = true;
        }
    } else if (v.is_numeric()) {
        p.numbers.push_back(v.as_double());
    } else if (v.is_array()) {
        const auto n = static_cast<std::int64_t>(std::min<std::size_t>(v.items.size(), 100));
        ++p.lengths[n];
        if (p.type == FieldType::string_array) {
            for (const auto& item : v.items) {
                if (item.is_string() && !item.string.empty()) {
                    count_string(p, item.string);
                }
            }
        }
    }
}

void KindProfiler::add(const model::Record& record) {
    ++m_records;
    for (std::size_t slot = 0; slot < m_top.size(); ++slot) {
        const model::Value& v = record.field(slot);
        add_value(m_fields[m_top[slot]], v);
        if (m_items[slot].empty() || !v.is_array()) {
            continue;
        }
        const auto& def = model::schema_for(m_kind).fields[slot];
        for (const auto& item : v.items) {
            for (std::size_t i = 0; i < def.item_fields.size(); ++i) {
                add_value(m_fields[m_items[slot][i]], item.get(def.item_fields[i].name));
            }
        }
    }
}

}  // namespace spiegel::engine
