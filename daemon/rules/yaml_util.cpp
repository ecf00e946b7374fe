#include "daemon/rules/yaml_util.h"

#include <fstream>
#include <sstream>

namespace spiegel::rules {

int mark_line(const YAML::Mark& mark) { return mark.line < 0 ? 1 : mark.line + 1; }
int mark_column(const YAML::Mark& mark) { return mark.column < 0 ? 1 : mark.column + 1; }

void Sink::add(const YAML::Mark& mark, std::string message) {
    add_at(mark_line(mark), mark_column(mark), std::move(message));
}

void Sink::add_at(int line, int column, std::string message) {
    m_out->push_back(Diagnostic{m_file, line, column, std::move(message)});
}

MapReader::MapReader(const YAML::Node& node, Sink& sink, std::string what)
    : m_node(node), m_sink(sink), m_what(std::move(what)), m_mark(node.Mark()) {
    if (!node.IsMap()) {
        m_sink.add(m_mark, m_what + ": expected a mapping");
        return;
    }
    m_ok = true;
    std::vector<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
        for (const auto& s : seen) {
            if (s == key) {
                m_sink.add(it->first.Mark(), m_what + ": duplicate key '" + key + "'");
            }
        }
        seen.push_back(key);
    }
}

bool MapReader::has(std::string_view key) const {
    if (!m_ok) {
        return false;
    }
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            return true;
        }
    }
    return false;
}

std::optional<YAML::Node> MapReader::get(std::string_view key) {
    m_known.emplace_back(key);
    if (!m_ok) {
        return std::nullopt;
    }
    const YAML::Node& n = m_node;
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            return YAML::Node(it->second);
        }
    }
    return std::nullopt;
}

std::optional<YAML::Node> MapReader::require(std::string_view key) {
    auto v = get(key);
    if (!v && m_ok) {
        m_sink.add(m_mark, m_what + ": missing key '" + std::string(key) + "'");
    }
    return v;
}

void MapReader::finish() {
    if (!m_ok) {
        return;
    }
    const YAML::Node& n = m_node;
    for (auto it = n.begin(); it != n.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
        bool known = false;
        for (const auto& k : m_known) {
            known = known || k == key;
        }
        if (!known) {
            std::string list;
            for (const auto& k : m_known) {
                list += (list.empty() ? "" : ", ") + k;
            }
            m_sink.add(it->first.Mark(), m_what + ": unknown key '" + key + "' (expected one of: " + list + ")");
        }
    }
}

std::optional<std::string> read_string(const YAML::Node& node, Sink& sink, std::string_view what) {
    if (!node.IsScalar()) {
        sink.add(node.Mark(), std::string(what) + ": expected a string");
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

std::optional<long long> read_integer(const YAML::Node& node, Sink& sink, std::string_view what) {
    long long v = 0;
    if (!node.IsScalar() || !YAML::convert<long long>::decode(node, v)) {
        sink.add(node.Mark(), std::string(what) + ": expected an integer");
        return std::nullopt;
    }
    return v;
}

std::optional<bool> read_bool(const YAML::Node& node, Sink& sink, std::string_view what) {
    bool b = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, b)) {
        sink.add(node.Mark(), std::string(what) + ": expected true or false");
        return std::nullopt;
    }
    return b;
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, Sink& sink,
                                                         std::string_view what) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
        out.push_back(node.Scalar());
        return out;
    }
    if (!node.IsSequence()) {
        sink.add(node.Mark(), std::string(what) + ": expected a list of strings");
        return std::nullopt;
    }
    bool ok = true;
    for (const auto& item : node) {
        if (!item.IsScalar()) {
            sink.add(item.Mark(), std::string(what) + ": expected a string");
            ok = false;
            continue;
        }
        out.push_back(item.Scalar());
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, Sink& sink) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        sink.add_at(1, 1, "cannot read file");
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    try {
        return YAML::Load(ss.str());
    } catch (const YAML::Exception& e) {
        sink.add(e.mark, "YAML syntax error: " + e.msg);
        return std::nullopt;
    }
}

}  // namespace spiegel::rules
