#pragma once
// Compiles the expression vocabulary shared by `when` and `check`
// (docs/rules.md) into Nodes with resolved field slots. Problems become
// Diagnostics at the offending YAML node; a node with problems yields nothing.

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "daemon/rules/compiled.h"
#include "daemon/rules/yaml_util.h"

namespace spiegel::rules {

// Code lists and lexicons shared by every rule of one load.
struct LoadCaches {
    std::map<std::string, std::shared_ptr<const StringSet>> code_lists;  // by path|column|filters
    std::map<std::string, std::shared_ptr<const Lexicon>> lexicons;      // by path
    std::map<std::string, bool> failed_lexicons;
};

struct CompileCtx {
    Sink& sink;
    std::vector<Diagnostic>& diagnostics;  // for problems in other files (lexicons)
    const std::string& dir;                // rules directory: base of relative paths
    model::Kind kind;
    RuleSet::Impl& impl;                   // receives CrossSpecs
    LoadCaches& caches;
    std::uint64_t* slots;                  // top-level fields read
    bool* cross;                           // set when a cross primitive is used
    const model::FieldDef* items = nullptr;  // inside every/some: the array field
    bool allow_cross = true;
    // False inside `where` (docs/rules.md): the cross-record index is built
    // once per scan without an as-of, so a bound relative to it is refused.
    bool allow_as_of = true;
};

std::optional<Node> compile_expr(const YAML::Node& yaml, CompileCtx& ctx);

// Resolves a field name in the current scope and records the slot it reads.
std::optional<FieldRef> resolve_field(const YAML::Node& yaml, CompileCtx& ctx);

// Leaf primitives (compile_leaf.cpp) and cross-record primitives (compile_cross.cpp).
bool compile_leaf(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out);
bool compile_cross(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out);
bool is_leaf_op(const std::string& op);
bool is_cross_op(const std::string& op);

// A range bound for a field of `type` (compile_bounds.cpp).
std::optional<Bound> parse_bound(const YAML::Node& yaml, model::FieldType type, CompileCtx& ctx);
// compare's op, other, offset and other_default (out.field already resolved).
bool compile_compare(MapReader& map, CompileCtx& ctx, Node& out);

// Reads `if_missing: pass|fail` when present.
bool read_if_missing(MapReader& map, CompileCtx& ctx, Node& out);

// A path under the rules directory as the loader reports it (dir/relative).
std::string join_path(const std::string& dir, const std::string& relative);

// True for a relative path that stays inside the rules directory (no "..",
// not absolute); otherwise reports it at `node`.
bool check_data_path(const YAML::Node& node, CompileCtx& ctx);

}  // namespace spiegel::rules
