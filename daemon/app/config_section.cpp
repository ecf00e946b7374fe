#include "daemon/app/config_section.h"

#include "daemon/util/printable.h"

namespace spiegel::app {

ConfigSection::ConfigSection(const YAML::Node& node, rules::Sink& sink, std::string path,
                             std::map<std::string, std::pair<int, int>>* positions)
    : m_map(rules::MapReader::dotted(node, sink, path)), m_path(std::move(path)), m_positions(positions) {}

void ConfigSection::string(std::string_view key, std::string& out) {
    if (const auto v = m_map.get(key)) {
        out = rules::read_string(*v, sink(), name_of(key)).value_or(out);
    }
}

void ConfigSection::note_position(std::string_view key, const YAML::Mark& mark) {
    if (m_positions) {
        (*m_positions)[m_path.empty() ? std::string(key) : m_path + "." + std::string(key)] = {mark.line + 1,
                                                                                             mark.column + 1};
    }
}

void ConfigSection::checked_string(std::string_view key, std::string& out,
                                   const std::function<std::string(const std::string&)>& problem) {
    const auto v = m_map.get(key);
    if (!v) {
        return;
    }
    note_position(key, v->Mark());
    const auto text = rules::read_string(*v, sink(), name_of(key));
    if (!text) {
        return;
    }
    if (const std::string reason = problem(*text); !reason.empty()) {
        sink().add(v->Mark(), name_of(key) + ": " + reason);
        return;
    }
    out = *text;
}

void ConfigSection::required_path(std::string_view key, std::string& out) {
    if (!m_map.has(key)) {
        m_map.require(key);  // reports it missing
        return;
    }
    optional_path(key, out);
}

void ConfigSection::optional_path(std::string_view key, std::string& out) {
    checked_string(key, out, [](const std::string& text) -> std::string {
        if (text.empty()) {
            return "must not be empty";
        }
        return text.find('\0') != std::string::npos ? "must not contain a NUL character" : "";
    });
}

void ConfigSection::one_of(std::string_view key, std::string& out, std::initializer_list<std::string_view> allowed) {
    checked_string(key, out, [allowed](const std::string& text) -> std::string {
        std::string list;
        for (const std::string_view a : allowed) {
            if (text == a) {
                return "";
            }
            list += (list.empty() ? "" : ", ") + std::string(a);
        }
        return util::quoted(text) + " is not one of " + list;
    });
}

void ConfigSection::boolean(std::string_view key, bool& out) {
    if (const auto v = m_map.get(key)) {
        out = rules::read_bool(*v, sink(), name_of(key)).value_or(out);
    }
}

void ConfigSection::seconds(std::string_view key, int& out, Range<int> range) {
    const auto v = m_map.get(key);
    if (!v) {
        return;
    }
    const rules::DurationRange ms{std::int64_t{range.min} * 1000, std::int64_t{range.max} * 1000, true};
    if (const auto d = rules::read_duration(*v, sink(), name_of(key), ms)) {
        out = static_cast<int>(*d / 1000);  // within [min, max] of int
    }
}

void ConfigSection::milliseconds(std::string_view key, int& out, Range<int> range) {
    const auto v = m_map.get(key);
    if (!v) {
        return;
    }
    if (const auto d = rules::read_duration(*v, sink(), name_of(key), {range.min, range.max, false})) {
        out = static_cast<int>(*d);  // within [min, max] of int
    }
}

}  // namespace spiegel::app
