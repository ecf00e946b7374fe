#pragma once
// Bounded loading of YAML files (config, rules, lexicons, demo defects).
//
// Before yaml-cpp builds a node tree, the document is pre-scanned with its
// event parser and refused when it is larger than the limits: a few hundred
// bytes of nested aliases ("billion laughs") would otherwise expand into
// billions of nodes as soon as the tree is walked, and deep nesting would
// exhaust the stack. The limits fit the real files with wide margins (the
// shipped rule files have a few thousand nodes).
//
// Never throws: syntax errors, limits, unreadable files and allocation
// failures all become a Diagnostic. Thread-safe (no shared state).

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
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

struct YamlLimits {
    std::size_t max_bytes = 16 * 1024 * 1024;
    std::size_t max_depth = 64;           // nested sequences and mappings
    std::size_t max_aliases = 1000;
    std::uint64_t max_nodes = 1'000'000;  // counting an alias as its anchor's whole subtree
    std::uint64_t max_text_bytes = 64 * 1024 * 1024;  // of scalars, likewise
};

// Parses the first document of `text`. Problems, each at the position where
// it was found:
//   "YAML syntax error: <yaml-cpp's reason>"
//   "YAML document too large: more than N bytes"
//   "YAML document too large: nested deeper than N levels"
//   "YAML document too large: more than N aliases"
//   "YAML document too large: more than N nodes after expanding aliases"
//   "YAML document too large: more than N bytes of text after expanding aliases"
//   "YAML alias refers to a node that contains it"
std::optional<YAML::Node> load_yaml_text(std::string_view text, Sink& sink, const YamlLimits& limits = {});

// Reads and parses a file; besides the problems above, "cannot read file:
// <OS reason>" (e.g. "Permission denied", "No such file or directory") and
// "cannot read file: not a regular file" (a FIFO is never opened for reading).
std::optional<YAML::Node> load_yaml_file(const std::string& path, Sink& sink, const YamlLimits& limits = {});

}  // namespace spiegel::rules
