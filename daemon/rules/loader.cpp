// load_rule_set: reads every *.yaml rule file of a directory, validates and
// compiles it. All problems are collected; any problem means no rule set.

#include <algorithm>
#include <filesystem>
#include <map>
#include <new>

#include "daemon/rules/compile.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::rules {
namespace {

namespace fs = std::filesystem;

struct FirstDefinition {
    std::string file;
    int line = 0;
};

// `overrides:` entry: changes a rule defined in any file (applied after all files).
struct Override {
    std::string id;
    std::string file;
    int line = 1;
    int column = 1;
    std::optional<double> weight;
    std::optional<bool> enabled;
    std::optional<std::string> severity;
    std::optional<std::string> title;
    std::optional<std::string> advice;
};

struct LoadState {
    std::string dir;
    std::vector<Diagnostic> diagnostics;
    std::unique_ptr<RuleSet::Impl> impl = std::make_unique<RuleSet::Impl>();
    LoadCaches caches;
    std::map<std::string, FirstDefinition, std::less<>> ids;
    std::vector<Override> overrides;
};

bool valid_rule_id(std::string_view id) {
    if (id.empty() || id.front() == '.' || id.back() == '.' || id.find("..") != std::string_view::npos) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

std::optional<Dimension> parse_dimension(std::string_view s) {
    for (std::size_t d = 0; d < k_dimension_count; ++d) {
        if (dimension_name(static_cast<Dimension>(d)) == s) {
            return static_cast<Dimension>(d);
        }
    }
    return std::nullopt;
}

std::string peek_id(const YAML::Node& node) {
    if (!node.IsMap()) {
        return {};
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar()) {
            return it->second.Scalar();
        }
    }
    return {};
}

void read_id(MapReader& map, Sink& sink, LoadState& state, RuleInfo& info) {
    auto id = map.require("id");
    if (!id) {
        return;
    }
    info.id = read_string(*id, sink, "id").value_or("");
    if (!id->IsScalar()) {
        return;
    }
    if (!valid_rule_id(info.id)) {
        sink.add(id->Mark(),
                 "id " + util::quoted(info.id) + ": expected dotted words of [A-Za-z0-9_-], e.g. cv.email.valid");
        return;
    }
    const auto it = state.ids.find(info.id);
    if (it != state.ids.end()) {
        sink.add(id->Mark(), "duplicate rule id " + util::quoted(info.id) + " (first defined at " +
                                 util::printable(it->second.file, util::k_printable_path_bytes) + ":" +
                                 std::to_string(it->second.line) + ")");
        return;
    }
    state.ids[info.id] = FirstDefinition{sink.file(), mark_line(id->Mark())};
}

// A text for people (title, advice): a string with more than white space.
std::optional<std::string> read_text_for_people(const YAML::Node& node, Sink& sink, const char* what) {
    auto text = read_string(node, sink, what);
    if (text && util::trim(*text).empty()) {
        sink.add(node.Mark(), std::string(what) + ": must not be empty");
        return std::nullopt;
    }
    return text;
}

void read_meta(MapReader& map, Sink& sink, RuleInfo& info) {
    if (auto t = map.require("title")) {
        info.title = read_text_for_people(*t, sink, "title").value_or("");
    }
    if (auto d = map.require("dimension")) {
        const auto dim = d->IsScalar() ? parse_dimension(d->Scalar()) : std::nullopt;
        if (!dim) {
            sink.add(d->Mark(), "dimension: expected one of completeness, validity, consistency, timeliness, "
                                "uniqueness, privacy");
        }
        info.dimension = dim.value_or(Dimension::validity);
    }
    if (auto w = map.get("weight")) {
        const auto v = read_number(*w, sink, "weight");
        if (v && !(*v > 0 && *v <= 1000)) {
            sink.add(w->Mark(), "weight: must be greater than 0 and at most 1000");
        }
        info.weight = v.value_or(1.0);
    }
    info.severity = "warning";
    if (auto s = map.get("severity")) {
        info.severity = read_string(*s, sink, "severity").value_or("warning");
        if (info.severity != "info" && info.severity != "warning" && info.severity != "error") {
            sink.add(s->Mark(), "severity: expected info, warning or error");
        }
    }
    if (auto a = map.require("advice")) {
        info.advice = read_text_for_people(*a, sink, "advice").value_or("");
    }
    if (auto e = map.get("enabled")) {
        info.enabled = read_bool(*e, sink, "enabled").value_or(true);
    }
}

void compile_rule(const YAML::Node& node, model::Kind kind, Sink& sink, LoadState& state) {
    const std::string id = peek_id(node);
    MapReader map(node, sink, id.empty() ? std::string("rule") : "rule " + util::quoted(id));
    if (!map.ok()) {
        return;
    }
    const auto before = state.diagnostics.size();
    RuleInfo info;
    info.kind = kind;
    info.file = sink.file();
    info.line = mark_line(node.Mark());
    read_id(map, sink, state, info);
    read_meta(map, sink, info);
    CompiledRule rule;
    const auto first_spec = state.impl->cross_specs.size();
    CompileCtx ctx{sink, state.diagnostics, state.dir, kind, *state.impl, state.caches, &rule.slots, &rule.cross};
    if (auto w = map.get("when")) {
        if (auto n = compile_expr(*w, ctx)) {
            rule.when = std::make_unique<Node>(std::move(*n));
        }
        rule.when_slots = rule.slots;  // `when` is compiled first
    }
    if (auto c = map.require("check")) {
        if (auto n = compile_expr(*c, ctx)) {
            rule.check = std::move(*n);
        }
    }
    map.finish();
    if (state.diagnostics.size() != before) {
        return;
    }
    rule.first_spec = first_spec;
    rule.end_spec = state.impl->cross_specs.size();
    const auto& schema = model::schema_for(kind);
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        if (((rule.slots >> i) & 1U) != 0) {
            info.fields.emplace_back(schema.fields[i].name);
        }
    }
    const auto k = static_cast<std::size_t>(kind);
    state.impl->infos[k].push_back(std::move(info));
    state.impl->compiled[k].push_back(std::move(rule));
}

// A rule of a file whose kind is not known: its fields cannot be checked
// (they depend on the kind), but its keys and meta data can, so one wrong
// word at the top does not hide the rest of the file's mistakes.
void check_rule_shape(const YAML::Node& node, Sink& sink, LoadState& state) {
    const std::string id = peek_id(node);
    MapReader map(node, sink, id.empty() ? std::string("rule") : "rule " + util::quoted(id));
    if (!map.ok()) {
        return;
    }
    RuleInfo info;
    const bool defined_before = state.ids.count(id) != 0;
    read_id(map, sink, state, info);
    if (!defined_before) {
        state.ids.erase(info.id);  // a rule that does not load defines no id for later files
    }
    read_meta(map, sink, info);
    (void)map.get("when");
    (void)map.require("check");
    map.finish();
}

std::optional<double> read_weight(const YAML::Node& node, Sink& sink) {
    const auto v = read_number(node, sink, "weight");
    if (v && !(*v > 0 && *v <= 1000)) {
        sink.add(node.Mark(), "weight: must be greater than 0 and at most 1000");
        return std::nullopt;
    }
    return v;
}

void read_override(const YAML::Node& node, Sink& sink, LoadState& state) {
    MapReader map(node, sink, "override");
    if (!map.ok()) {
        return;
    }
    Override o;
    o.file = sink.file();
    bool has_id = false;
    if (auto id = map.require("id")) {
        const auto text = read_string(*id, sink, "id");
        has_id = text.has_value();
        o.id = text.value_or("");
        o.line = mark_line(id->Mark());
        o.column = mark_column(id->Mark());
    }
    if (auto w = map.get("weight")) {
        o.weight = read_weight(*w, sink);
    }
    if (auto e = map.get("enabled")) {
        o.enabled = read_bool(*e, sink, "enabled");
    }
    if (auto s = map.get("severity")) {
        o.severity = read_string(*s, sink, "severity");
        if (o.severity && *o.severity != "info" && *o.severity != "warning" && *o.severity != "error") {
            sink.add(s->Mark(), "severity: expected info, warning or error");
        }
    }
    if (auto t = map.get("title")) {
        o.title = read_text_for_people(*t, sink, "title");
    }
    if (auto a = map.get("advice")) {
        o.advice = read_text_for_people(*a, sink, "advice");
    }
    map.finish();
    if (has_id) {  // without an id (reported above) it overrides nothing
        state.overrides.push_back(std::move(o));
    }
}

void read_overrides(const YAML::Node& node, Sink& sink, LoadState& state) {
    if (!node.IsSequence()) {
        sink.add(node.Mark(), "overrides: expected a list of {id, weight, enabled, severity, title, advice}");
        return;
    }
    for (const auto& o : node) {
        read_override(o, sink, state);
    }
}

// Applies overrides in file order, then derives which cross specs are live.
void finish_rules(LoadState& state) {
    for (const Override& o : state.overrides) {
        RuleInfo* info = nullptr;
        for (auto& list : state.impl->infos) {
            for (auto& candidate : list) {
                info = candidate.id == o.id ? &candidate : info;
            }
        }
        if (info == nullptr) {
            state.diagnostics.push_back(
                {o.file, o.line, o.column, "override of unknown rule id " + util::quoted(o.id)});
            continue;
        }
        info->weight = o.weight.value_or(info->weight);
        info->enabled = o.enabled.value_or(info->enabled);
        info->severity = o.severity.value_or(info->severity);
        info->title = o.title.value_or(info->title);
        info->advice = o.advice.value_or(info->advice);
    }
    for (std::size_t k = 0; k < state.impl->infos.size(); ++k) {
        for (std::size_t r = 0; r < state.impl->infos[k].size(); ++r) {
            const CompiledRule& rule = state.impl->compiled[k][r];
            for (std::size_t s = rule.first_spec; s < rule.end_spec; ++s) {
                state.impl->cross_specs[s].enabled = state.impl->infos[k][r].enabled;
            }
        }
    }
}

void load_file(const std::string& path, LoadState& state) {
    Sink sink(path, state.diagnostics);
    auto root = load_yaml_file(path, sink);
    if (!root) {
        return;
    }
    if (root->IsNull()) {
        return;  // an empty file (or only comments) defines nothing
    }
    MapReader top(*root, sink, "rule file");
    if (!top.ok()) {
        return;
    }
    if (auto o = top.get("overrides")) {
        read_overrides(*o, sink, state);
    }
    const bool rules_given = top.has("rules") || !top.has("overrides");
    model::Kind kind = model::Kind::cv;
    bool kind_ok = false;
    if (auto k = rules_given ? top.require("kind") : top.get("kind")) {
        const auto parsed = k->IsScalar() ? model::parse_kind(k->Scalar()) : std::nullopt;
        kind_ok = parsed.has_value();
        kind = parsed.value_or(model::Kind::cv);
        if (!kind_ok) {
            sink.add(k->Mark(), "kind: expected cv, vacancy or employer");
        }
    }
    auto rules = rules_given ? top.require("rules") : top.get("rules");
    top.finish();
    if (!rules) {
        return;
    }
    if (rules->IsNull()) {
        return;  // an empty file is allowed
    }
    if (!rules->IsSequence()) {
        sink.add(rules->Mark(), "rules: expected a list of rules");
        return;
    }
    for (const auto& r : *rules) {
        if (kind_ok) {
            compile_rule(r, kind, sink, state);
        } else {
            check_rule_shape(r, sink, state);
        }
    }
}

// The rule files of dir (*.yaml, *.yml, not hidden), sorted. Entries that
// are not regular files (a dangling symlink, a FIFO) are listed too, so
// that reading them reports why they cannot be read; a directory that
// cannot be listed is a diagnostic, never an empty rule set.
std::vector<std::string> rule_files(const std::string& dir, std::vector<Diagnostic>& diagnostics) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& path = it->path();
        const std::string name = path.filename().string();
        const std::string ext = path.extension().string();
        std::error_code type_ec;
        if ((ext == ".yaml" || ext == ".yml") && name[0] != '.' && !it->is_directory(type_ec)) {
            names.push_back(name);
        }
    }
    if (ec == std::errc::no_such_file_or_directory) {
        diagnostics.push_back({dir, 1, 1, "rules directory not found"});
    } else if (ec) {
        diagnostics.push_back({dir, 1, 1, "cannot read rules directory: " + ec.message()});
    }
    std::sort(names.begin(), names.end());
    return names;
}

// Refuses sets that would score every record 100: none or too many rules.
void check_rule_count(LoadState& state) {
    std::size_t total = 0;
    std::size_t enabled = 0;
    for (const auto& list : state.impl->infos) {
        total += list.size();
        enabled += static_cast<std::size_t>(
            std::count_if(list.begin(), list.end(), [](const RuleInfo& r) { return r.enabled; }));
    }
    if (total > 60000) {
        state.diagnostics.push_back({state.dir, 1, 1, "too many rules (at most 60000)"});
    }
    if (enabled == 0) {
        state.diagnostics.push_back(
            {state.dir, 1, 1,
             total == 0 ? std::string("no rules defined: a rule set needs at least one enabled rule")
                        : "no enabled rules: all " + std::to_string(total) +
                              " rules are disabled; a rule set needs at least one enabled rule"});
    }
}

LoadResult load(const std::string& dir) {
    LoadState state;
    state.dir = dir;
    LoadResult result;
    const std::vector<std::string> names = rule_files(dir, state.diagnostics);
    if (!state.diagnostics.empty()) {
        result.diagnostics = std::move(state.diagnostics);
        return result;
    }
    for (const auto& name : names) {
        load_file(join_path(dir, name), state);
    }
    finish_rules(state);
    if (state.diagnostics.empty()) {
        check_rule_count(state);
    }
    if (!state.diagnostics.empty()) {
        result.diagnostics = std::move(state.diagnostics);
        return result;
    }
    result.rule_set = std::make_unique<RuleSet>(std::move(state.impl));
    return result;
}

}  // namespace

LoadResult load_rule_set(const std::string& dir) {
    // The YAML reader catches its own exceptions; this is the edge for
    // anything else (an allocation failure while compiling).
    LoadResult failed;
    try {
        return load(dir);
    } catch (const std::bad_alloc&) {
        failed.diagnostics.push_back({dir, 1, 1, "out of memory loading the rules"});
    } catch (const std::exception& e) {
        failed.diagnostics.push_back({dir, 1, 1, "cannot load the rules: " + util::printable(e.what(), 200)});
    }
    return failed;
}

}  // namespace spiegel::rules
