// load_rule_set: reads every *.yaml rule file of a directory, validates and
// compiles it. All problems are collected; any problem means no rule set.

#include <algorithm>
#include <filesystem>
#include <map>

#include "daemon/rules/compile.h"
#include "daemon/util/text.h"

namespace spiegel::rules {
namespace {

namespace fs = std::filesystem;

struct FirstDefinition {
    std::string file;
    int line = 0;
};

struct LoadState {
    std::string dir;
    std::vector<Diagnostic> diagnostics;
    std::unique_ptr<RuleSet::Impl> impl = std::make_unique<RuleSet::Impl>();
    LoadCaches caches;
    std::map<std::string, FirstDefinition, std::less<>> ids;
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
        sink.add(id->Mark(), "id '" + info.id + "': expected dotted words of [A-Za-z0-9_-], e.g. cv.email.valid");
        return;
    }
    const auto it = state.ids.find(info.id);
    if (it != state.ids.end()) {
        sink.add(id->Mark(), "duplicate rule id '" + info.id + "' (first defined at " + it->second.file + ":" +
                                 std::to_string(it->second.line) + ")");
        return;
    }
    state.ids[info.id] = FirstDefinition{sink.file(), mark_line(id->Mark())};
}

void read_meta(MapReader& map, Sink& sink, RuleInfo& info) {
    if (auto t = map.require("title")) {
        info.title = read_string(*t, sink, "title").value_or("");
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
        info.advice = read_string(*a, sink, "advice").value_or("");
    }
    if (auto e = map.get("enabled")) {
        info.enabled = read_bool(*e, sink, "enabled").value_or(true);
    }
}

void compile_rule(const YAML::Node& node, model::Kind kind, Sink& sink, LoadState& state) {
    const std::string id = peek_id(node);
    MapReader map(node, sink, id.empty() ? std::string("rule") : "rule '" + id + "'");
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
    for (std::size_t s = first_spec; s < state.impl->cross_specs.size(); ++s) {
        state.impl->cross_specs[s].enabled = info.enabled;
    }
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

void load_file(const std::string& path, LoadState& state) {
    Sink sink(path, state.diagnostics);
    auto root = load_yaml_file(path, sink);
    if (!root) {
        return;
    }
    MapReader top(*root, sink, "rule file");
    if (!top.ok()) {
        return;
    }
    model::Kind kind = model::Kind::cv;
    bool kind_ok = false;
    if (auto k = top.require("kind")) {
        const auto parsed = k->IsScalar() ? model::parse_kind(k->Scalar()) : std::nullopt;
        kind_ok = parsed.has_value();
        kind = parsed.value_or(model::Kind::cv);
        if (!kind_ok) {
            sink.add(k->Mark(), "kind: expected cv, vacancy or employer");
        }
    }
    auto rules = top.require("rules");
    top.finish();
    if (!rules || !kind_ok) {
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
        compile_rule(r, kind, sink, state);
    }
}

}  // namespace

LoadResult load_rule_set(const std::string& dir) {
    LoadState state;
    state.dir = dir;
    LoadResult result;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        result.diagnostics.push_back({dir, 1, 1, "rules directory not found"});
        return result;
    }
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml") && name[0] != '.') {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        load_file(join_path(dir, name), state);
    }
    std::size_t total = 0;
    for (const auto& list : state.impl->infos) {
        total += list.size();
    }
    if (total > 60000) {
        state.diagnostics.push_back({dir, 1, 1, "too many rules (at most 60000)"});
    }
    if (!state.diagnostics.empty()) {
        result.diagnostics = std::move(state.diagnostics);
        return result;
    }
    result.rule_set = std::make_unique<RuleSet>(std::move(state.impl));
    return result;
}

}  // namespace spiegel::rules
