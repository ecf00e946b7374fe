#pragma once
// One mapping of the config file, read key by key into typed Config fields
// through the strict YAML reader (rules/yaml_util.h). Each reader reports
// its problem at the value ("key 'privacy.min_cell': must be between 2 and
// 1000") and leaves the field unchanged. Used by config.cpp only; a new
// section or key is one call here. Not thread-safe.

#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/rules/yaml_util.h"

namespace spiegel::app {

// An inclusive range of a config value, in the type of its Config field.
template <class T>
struct Range {
    T min;
    T max;
};

class ConfigSection {
public:
    // `path` is the section's dotted key ("" for the top level). The
    // positions of path keys' values go into `positions` when given.
    ConfigSection(const YAML::Node& node, rules::Sink& sink, std::string path,
                  std::map<std::string, std::pair<int, int>>* positions = nullptr);
    std::map<std::string, std::pair<int, int>>* positions() const { return m_positions; }
    bool ok() const { return m_map.ok(); }

    // The value of a key (marks it known), for nested sections and checks
    // across keys.
    std::optional<YAML::Node> node(std::string_view key) { return m_map.get(key); }
    // Whether the key is written in the file at all (an empty value too).
    bool has(std::string_view key) const { return m_map.has(key); }
    // Notes where the value of `key` is, for problems found later with what
    // it names (Config::where); path keys are noted by their readers.
    void note_position(std::string_view key, const YAML::Mark& mark);
    std::string name_of(std::string_view key) const { return m_map.name_of(key); }
    rules::Sink& sink() const { return m_map.sink(); }

    void string(std::string_view key, std::string& out);
    // A string `problem` accepts (returns ""); otherwise its reason is
    // reported at the value ("key 'http.listen': <reason>").
    void checked_string(std::string_view key, std::string& out,
                        const std::function<std::string(const std::string&)>& problem);
    // A non-empty path (resolved later); "missing required key" when absent.
    void required_path(std::string_view key, std::string& out);
    void optional_path(std::string_view key, std::string& out);
    void one_of(std::string_view key, std::string& out, std::initializer_list<std::string_view> allowed);
    void boolean(std::string_view key, bool& out);

    template <class T>
    void integer(std::string_view key, T& out, Range<T> range) {
        static_assert(std::numeric_limits<T>::is_integer);
        static_assert(sizeof(T) <= sizeof(long long));
        const auto v = m_map.get(key);
        if (!v) {
            return;
        }
        const auto n = rules::read_integer_in(*v, sink(), name_of(key), static_cast<long long>(range.min),
                                              static_cast<long long>(range.max));
        if (n) {
            out = static_cast<T>(*n);  // within [min, max] of T
        }
    }

    // Durations (rules::read_duration) stored as whole seconds or as
    // milliseconds; the range is in the stored unit.
    void seconds(std::string_view key, int& out, Range<int> range);
    void milliseconds(std::string_view key, int& out, Range<int> range);

    // Reports every key nobody asked for.
    void finish() { m_map.finish(); }

private:
    rules::MapReader m_map;
    std::string m_path;
    std::map<std::string, std::pair<int, int>>* m_positions;
};

struct Config;
// The keys of http.tls and http.metrics_token_file (config_web.cpp).
void read_http_web(ConfigSection& http, Config& c);
// Why `origin` is not a valid http.public_origin ("https://HOST[:PORT]"),
// or "" when it is one. The reason never quotes the value.
std::string public_origin_problem(std::string_view origin);

}  // namespace spiegel::app
