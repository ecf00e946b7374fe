#pragma once
// Strict reading of YAML rule and lexicon files: every problem becomes a
// Diagnostic with a 1-based file:line:column; unknown and duplicate keys are
// reported, never ignored. Walks const nodes only (yaml-cpp's non-const
// operator[] would insert keys).

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/rules/rule_set.h"

namespace spiegel::rules {

// Where diagnostics of one file go.
class Sink {
public:
    Sink(std::string file, std::vector<Diagnostic>& out) : m_file(std::move(file)), m_out(&out) {}
    void add(const YAML::Mark& mark, std::string message);
    void add_at(int line, int column, std::string message);
    const std::string& file() const { return m_file; }
    std::size_t count() const { return m_out->size(); }

private:
    std::string m_file;
    std::vector<Diagnostic>* m_out;
};

// A YAML mapping read key by key; finish() reports keys nobody asked for.
class MapReader {
public:
    // Reports "expected a mapping" (at `node`, or `parent` when node has no mark) if needed.
    MapReader(const YAML::Node& node, Sink& sink, std::string what);
    bool ok() const { return m_ok; }
    // The value of `key`, or nothing (no diagnostic) when absent.
    std::optional<YAML::Node> get(std::string_view key);
    // Like get(), but reports "missing key" at the mapping when absent.
    std::optional<YAML::Node> require(std::string_view key);
    // Reports every unknown key, listing the allowed ones.
    void finish();
    const YAML::Mark& mark() const { return m_mark; }
    bool has(std::string_view key) const;

private:
    YAML::Node m_node;
    Sink& m_sink;
    std::string m_what;
    YAML::Mark m_mark;
    bool m_ok = false;
    std::vector<std::string> m_known;
};

std::optional<std::string> read_string(const YAML::Node& node, Sink& sink, std::string_view what);
std::optional<double> read_number(const YAML::Node& node, Sink& sink, std::string_view what);
std::optional<long long> read_integer(const YAML::Node& node, Sink& sink, std::string_view what);
std::optional<bool> read_bool(const YAML::Node& node, Sink& sink, std::string_view what);
// A sequence of strings; a single scalar counts as a one-element list.
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, Sink& sink,
                                                         std::string_view what);

// Parses a whole file; a syntax error or unreadable file becomes a diagnostic
// and yields nothing.
std::optional<YAML::Node> load_yaml_file(const std::string& path, Sink& sink);

// 1-based line/column of a mark (1:1 for marks yaml-cpp leaves unset).
int mark_line(const YAML::Mark& mark);
int mark_column(const YAML::Mark& mark);

}  // namespace spiegel::rules
