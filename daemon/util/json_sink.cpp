#include "daemon/util/json_sink.h"

#include <stdexcept>

#include "daemon/util/json_text.h"

namespace spiegel::util {

std::size_t JsonNesting::close(bool object) {
    if (m_levels.empty() || m_levels.back().object != object || m_key_pending) {
        throw std::logic_error(object ? "JSON: end_object without its object" : "JSON: end_array without its array");
    }
    const std::size_t count = m_levels.back().count;
    m_levels.pop_back();
    return count;
}

std::size_t JsonNesting::key(std::string_view name) {
    if (!in_object() || m_key_pending) {
        throw std::logic_error("JSON: a key outside an object or without a value");
    }
    Level& level = m_levels.back();
    if (level.count > 0 && name <= std::string_view(level.last_key)) {
        throw std::logic_error("JSON: key \"" + std::string(name) + "\" after \"" + level.last_key +
                               "\" (keys go in ascending order, once each)");
    }
    level.last_key.assign(name);
    m_key_pending = true;
    return level.count++;
}

std::size_t JsonNesting::item() {
    if (m_levels.empty()) {
        if (m_root_written) {
            throw std::logic_error("JSON: a second value after the document");
        }
        m_root_written = true;
        return 0;
    }
    if (m_levels.back().object) {
        if (!m_key_pending) {
            throw std::logic_error("JSON: a value in an object without its key");
        }
        m_key_pending = false;
        return m_levels.back().count - 1;
    }
    return m_levels.back().count++;
}

// ---- text ----

std::size_t JsonTextSink::spaces() const { return json_spaces(m_indent, m_nesting.depth()); }

void JsonTextSink::before_value() {
    const std::size_t index = m_nesting.item();
    if (m_nesting.depth() > 0 && !m_nesting.in_object()) {
        append_json_separator(m_out, '[', index, m_indent, spaces());
    }
}

void JsonTextSink::begin_object() {
    before_value();
    m_nesting.open(true);
}

void JsonTextSink::begin_array() {
    before_value();
    m_nesting.open(false);
}

void JsonTextSink::end_object() {
    const std::size_t count = m_nesting.close(true);
    append_json_close(m_out, '{', count, m_indent, spaces());
}

void JsonTextSink::end_array() {
    const std::size_t count = m_nesting.close(false);
    append_json_close(m_out, '[', count, m_indent, spaces());
}

void JsonTextSink::key(std::string_view name) {
    const std::size_t index = m_nesting.key(name);
    append_json_separator(m_out, '{', index, m_indent, spaces());
    append_json_key(m_out, name, m_indent);
}

void JsonTextSink::string(std::string_view text) {
    before_value();
    append_json_string(m_out, text);
}

void JsonTextSink::integer(std::int64_t n) {
    before_value();
    append_json_number(m_out, n);
}

void JsonTextSink::number(double x) {
    before_value();
    append_json_number(m_out, x);
}

void JsonTextSink::boolean(bool b) {
    before_value();
    m_out += b ? "true" : "false";
}

void JsonTextSink::null() {
    before_value();
    m_out += "null";
}

// ---- tree ----

nlohmann::json& JsonDomSink::place(nlohmann::json&& v) {
    m_nesting.item();
    if (m_open.empty()) {
        m_root = std::move(v);
        return m_root;
    }
    nlohmann::json& top = *m_open.back();
    if (top.is_array()) {
        top.push_back(std::move(v));
        return top.back();
    }
    nlohmann::json& slot = top[m_key];
    slot = std::move(v);
    return slot;
}

void JsonDomSink::begin_object() {
    m_open.push_back(&place(nlohmann::json::object()));
    m_nesting.open(true);
}

void JsonDomSink::begin_array() {
    m_open.push_back(&place(nlohmann::json::array()));
    m_nesting.open(false);
}

void JsonDomSink::end_object() {
    m_nesting.close(true);
    m_open.pop_back();
}

void JsonDomSink::end_array() {
    m_nesting.close(false);
    m_open.pop_back();
}

void JsonDomSink::key(std::string_view name) {
    m_nesting.key(name);
    m_key.assign(name);
}

nlohmann::json JsonDomSink::take() {
    if (m_nesting.depth() != 0) {
        throw std::logic_error("JSON: the document is not complete");
    }
    return std::move(m_root);
}

}  // namespace spiegel::util
