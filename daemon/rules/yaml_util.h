#pragma once
// The one strict YAML reader of Spiegel: the daemon config, rule files,
// lexicons and the demo defect rates all read their files through it.
//
// - Loading is bounded (yaml_load.h): file size, nesting depth, aliases and
//   nodes after expanding aliases are limited before a node tree is built,
//   and no exception escapes.
// - Every problem becomes a Diagnostic with a 1-based file:line:column;
//   unknown and duplicate keys are reported, never ignored.
// - Scalars are read strictly: integers are decimal digits only, booleans
//   are true or false, durations are digits with an optional unit.
// - Text from the file that is echoed in a message (keys, ids, values) goes
//   through util::printable().
// - Walks const nodes only (yaml-cpp's non-const operator[] would insert keys).
// Not thread-safe per object; separate readers may run in parallel.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/rules/rule_set.h"
#include "daemon/rules/yaml_load.h"

namespace spiegel::rules {

// A YAML mapping read key by key; finish() reports keys nobody asked for.
class MapReader {
public:
    // Rule-file style: messages start with `what` ("rule 'cv.t': unknown key
    // 'x' (expected one of: ...)"). Reports "expected a mapping" and every
    // duplicate key at once.
    MapReader(const YAML::Node& node, Sink& sink, std::string what);
    // Config style: keys are named by their dotted path under `prefix` ("" at
    // the top), in the config contract's form "key '...': reason":
    // "key 'scan.x': unknown key", "key 'scan.x': duplicate key",
    // "key 'scan': expected a mapping".
    static MapReader dotted(const YAML::Node& node, Sink& sink, std::string prefix);

    bool ok() const { return m_ok; }
    // The value of `key`, or nothing (no diagnostic) when absent. Config
    // style: an empty value (`key:` with nothing after it) is reported at
    // the key, "key 'scan.x': has no value", and yields nothing; YAML places
    // an empty value at the next token, which can be past the file's end.
    std::optional<YAML::Node> get(std::string_view key);
    // Like get(), but an empty value is a value (a null node), never a
    // problem: for a section whose keys may all be commented out.
    std::optional<YAML::Node> get_maybe_empty(std::string_view key);
    // Like get(), but reports "missing key" at the mapping when absent.
    std::optional<YAML::Node> require(std::string_view key);
    // Reports every unknown key (rule style: listing the allowed ones).
    void finish();
    const YAML::Mark& mark() const { return m_mark; }
    bool has(std::string_view key) const;
    // How value messages name `key`: "key 'scan.chunk_size'" (dotted) or
    // "chunk_size" (rule style).
    std::string name_of(std::string_view key) const;
    Sink& sink() const { return m_sink; }

private:
    MapReader(const YAML::Node& node, Sink& sink, std::string what, bool dotted);
    void check_keys();
    std::string path_of(std::string_view key) const;
    std::string problem(std::string_view text) const;

    YAML::Node m_node;
    Sink& m_sink;
    std::string m_what;  // rule style: message prefix; dotted: the key path prefix
    bool m_dotted = false;
    YAML::Mark m_mark;
    bool m_ok = false;
    std::unordered_map<std::string, YAML::Node> m_values;  // first value of each scalar key
    std::unordered_map<std::string, YAML::Mark> m_key_marks;  // where each such key is
    std::vector<std::string> m_known;
};

// Each reader reports "WHAT: reason" at the node and yields nothing on a
// problem; `what` names the value ("weight", or MapReader::name_of()).
std::optional<std::string> read_string(const YAML::Node& node, Sink& sink, std::string_view what);
std::optional<double> read_number(const YAML::Node& node, Sink& sink, std::string_view what);
// Decimal digits with an optional sign ("1e3", "0x10", "10.0" are refused).
std::optional<long long> read_integer(const YAML::Node& node, Sink& sink, std::string_view what);
// An integer within [min, max]: "must be between MIN and MAX" otherwise
// (also for numbers too large for any integer type).
std::optional<long long> read_integer_in(const YAML::Node& node, Sink& sink, std::string_view what,
                                         long long min, long long max);
// Exactly true or false (not yes/no/on/off/1/0).
std::optional<bool> read_bool(const YAML::Node& node, Sink& sink, std::string_view what);
// A sequence of strings; a single scalar counts as a one-element list.
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, Sink& sink,
                                                         std::string_view what);

// Durations: digits (whole seconds) with an optional unit ms, s, m, h or d,
// nothing else ("5 m", "5min", "-5", "1e3", "" are refused). Values are in
// milliseconds; `whole_seconds` refuses e.g. 1500ms.
struct DurationRange {
    std::int64_t min_ms;
    std::int64_t max_ms;
    bool whole_seconds = true;
};
std::optional<std::int64_t> read_duration(const YAML::Node& node, Sink& sink, std::string_view what,
                                          const DurationRange& range);
// "100ms", "10s", "5m", "2h", "7d": the largest unit that divides ms.
std::string format_duration(std::int64_t ms);

// 1-based line/column of a mark (1:1 for marks yaml-cpp leaves unset).
int mark_line(const YAML::Mark& mark);
int mark_column(const YAML::Mark& mark);

}  // namespace spiegel::rules
