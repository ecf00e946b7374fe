#include "daemon/rules/yaml_util.h"

#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::rules {

int mark_line(const YAML::Mark& mark) { return mark.line < 0 ? 1 : mark.line + 1; }
int mark_column(const YAML::Mark& mark) { return mark.column < 0 ? 1 : mark.column + 1; }

MapReader::MapReader(const YAML::Node& node, Sink& sink, std::string what)
    : MapReader(node, sink, std::move(what), false) {}

MapReader MapReader::dotted(const YAML::Node& node, Sink& sink, std::string prefix) {
    return MapReader(node, sink, std::move(prefix), true);
}

MapReader::MapReader(const YAML::Node& node, Sink& sink, std::string what, bool dotted)
    : m_node(node), m_sink(sink), m_what(std::move(what)), m_dotted(dotted), m_mark(node.Mark()) {
    if (!node.IsMap()) {
        if (!m_dotted) {
            m_sink.add(m_mark, m_what + ": expected a mapping");
        } else if (m_what.empty()) {
            m_sink.add(m_mark, "expected a mapping");
        } else {
            m_sink.add(m_mark, "key " + util::quoted(m_what) + ": expected a mapping");
        }
        return;
    }
    m_ok = true;
    check_keys();
}

// Indexes the scalar keys and reports every repeated one at its repetition.
void MapReader::check_keys() {
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        if (!it->first.IsScalar()) {
            continue;  // finish() reports it as unknown
        }
        const std::string& key = it->first.Scalar();
        m_key_marks.emplace(key, it->first.Mark());
        if (!m_values.emplace(key, it->second).second) {
            m_sink.add(it->first.Mark(), m_dotted ? name_of(key) + ": duplicate key"
                                                  : problem("duplicate key " + util::quoted(path_of(key))));
        }
    }
}

std::string MapReader::path_of(std::string_view key) const {
    if (!m_dotted || m_what.empty()) {
        return std::string(key);
    }
    return m_what + "." + std::string(key);
}

std::string MapReader::problem(std::string_view text) const {
    return m_dotted ? std::string(text) : m_what + ": " + std::string(text);
}

std::string MapReader::name_of(std::string_view key) const {
    return m_dotted ? "key " + util::quoted(path_of(key)) : std::string(key);
}

bool MapReader::has(std::string_view key) const { return m_values.count(std::string(key)) != 0; }

std::optional<YAML::Node> MapReader::get(std::string_view key) {
    m_known.emplace_back(key);
    const auto it = m_values.find(std::string(key));
    if (it == m_values.end()) {
        return std::nullopt;
    }
    if (m_dotted && it->second.IsNull() && it->second.Tag() != "!") {  // a quoted "" is a value
        m_sink.add(m_key_marks.at(it->first), name_of(key) + ": has no value");
        return std::nullopt;
    }
    return it->second;
}

std::optional<YAML::Node> MapReader::get_maybe_empty(std::string_view key) {
    m_known.emplace_back(key);
    const auto it = m_values.find(std::string(key));
    return it == m_values.end() ? std::nullopt : std::optional<YAML::Node>(it->second);
}

std::optional<YAML::Node> MapReader::require(std::string_view key) {
    auto v = get(key);
    if (!v && m_ok && !has(key)) {  // an empty value was reported by get()
        m_sink.add(m_mark, m_dotted ? name_of(key) + ": missing required key"
                                    : problem("missing key " + util::quoted(path_of(key))));
    }
    return v;
}

void MapReader::finish() {
    if (!m_ok) {
        return;
    }
    std::string list;
    for (const auto& k : m_known) {
        list += (list.empty() ? "" : ", ") + k;
    }
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
        bool known = false;
        for (const auto& k : m_known) {
            known = known || (k == key && it->first.IsScalar());
        }
        if (known) {
            continue;
        }
        // Dotted paths (the config) keep the contract's form, key '...': reason.
        m_sink.add(it->first.Mark(), m_dotted ? name_of(key) + ": unknown key"
                                              : problem("unknown key " + util::quoted(path_of(key)) +
                                                        " (expected one of: " + list + ")"));
    }
}

namespace {

// Why a scalar's text is no text ("" when it is): it must be valid UTF-8
// without control characters other than tab and line breaks. A
// double-quoted YAML escape ("\xff", "\a") writes such bytes into a title
// that pages and JSON would then carry.
std::string text_problem(std::string_view text) {
    if (!util::valid_utf8(text)) {
        return "not valid UTF-8 text";
    }
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
            return "contains a control character";
        }
    }
    return "";
}

}  // namespace

std::optional<std::string> read_string(const YAML::Node& node, Sink& sink, std::string_view what) {
    if (!node.IsScalar()) {
        sink.add(node.Mark(), std::string(what) + ": expected a string");
        return std::nullopt;
    }
    if (const std::string problem = text_problem(node.Scalar()); !problem.empty()) {
        sink.add(node.Mark(), std::string(what) + ": " + problem);
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<double> read_number(const YAML::Node& node, Sink& sink, std::string_view what) {
    double d = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, d)) {
        sink.add(node.Mark(), std::string(what) + ": expected a number");
        return std::nullopt;
    }
    return d;
}

std::optional<bool> read_bool(const YAML::Node& node, Sink& sink, std::string_view what) {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
        return node.Scalar() == "true";
    }
    sink.add(node.Mark(), std::string(what) + ": expected true or false");
    return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, Sink& sink,
                                                         std::string_view what) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
        auto one = read_string(node, sink, what);
        if (!one) {
            return std::nullopt;
        }
        out.push_back(std::move(*one));
        return out;
    }
    if (!node.IsSequence()) {
        sink.add(node.Mark(), std::string(what) + ": expected a list of strings");
        return std::nullopt;
    }
    bool ok = true;
    for (const auto& item : node) {
        if (auto text = read_string(item, sink, what)) {
            out.push_back(std::move(*text));
        } else {
            ok = false;
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

}  // namespace spiegel::rules
