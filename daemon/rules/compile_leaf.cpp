// Leaf primitives: matches, in, contains, range, compare, words, count,
// mentions, contains_bsn.

#include <filesystem>

#include "daemon/rules/compile.h"
#include "daemon/util/csv.h"
#include "daemon/util/printable.h"

namespace spiegel::rules {
namespace {

using model::FieldType;

bool is_text(FieldType t) {
    return t == FieldType::string || t == FieldType::timestamp || t == FieldType::date || t == FieldType::month;
}
bool is_ordered(FieldType t) { return t != FieldType::string && t != FieldType::boolean && t != FieldType::string_array && t != FieldType::object_array; }
bool is_array(FieldType t) { return t == FieldType::string_array || t == FieldType::object_array; }

bool expect_type(const YAML::Node& at, const FieldRef& ref, bool ok, std::string_view need, const std::string& op,
                 CompileCtx& ctx) {
    if (!ok) {
        ctx.sink.add(at.Mark(), "'" + op + "' needs " + std::string(need) + "; " + util::quoted(at.Scalar()) + " is " +
                                    std::string(model::field_type_name(ref.type)));
    }
    return ok;
}

std::shared_ptr<const StringSet> load_code_list(const YAML::Node& path_node, const std::string& column,
                                                const std::vector<std::pair<std::string, std::string>>& filters,
                                                const YAML::Mark& filter_mark, CompileCtx& ctx) {
    const std::string rel = path_node.Scalar();
    std::string cache_key = rel + "|" + column;
    for (const auto& [k, v] : filters) {
        cache_key += "|" + k + "=" + v;
    }
    if (auto it = ctx.caches.code_lists.find(cache_key); it != ctx.caches.code_lists.end()) {
        return it->second;
    }
    if (!check_data_path(path_node, ctx)) {
        return nullptr;
    }
    const std::string path = join_path(ctx.dir, rel);
    if (!std::filesystem::is_regular_file(path)) {
        ctx.sink.add(path_node.Mark(), "code list " + util::quoted(rel) + " not found (looked for " +
                                           util::printable(path, util::k_printable_path_bytes) + ")");
        return nullptr;
    }
    auto table = util::read_csv_file(path);
    if (!table) {
        ctx.sink.add(path_node.Mark(),
                     "code list " + util::quoted(rel) + ": " + util::printable(table.error().message, 1000));
        return nullptr;
    }
    int col = column.empty() ? (table->column("code") >= 0 ? table->column("code") : 0) : table->column(column);
    if (col < 0) {
        ctx.sink.add(path_node.Mark(), "code list " + util::quoted(rel) + " has no column " + util::quoted(column));
        return nullptr;
    }
    std::vector<std::pair<int, std::string>> where;
    for (const auto& [k, v] : filters) {
        const int c = table->column(k);
        if (c < 0) {
            ctx.sink.add(filter_mark, "code list " + util::quoted(rel) + " has no column " + util::quoted(k));
            return nullptr;
        }
        where.emplace_back(c, v);
    }
    auto set = std::make_shared<StringSet>();
    for (const auto& row : table->rows) {
        bool keep = static_cast<std::size_t>(col) < row.size();
        for (const auto& [c, v] : where) {
            keep = keep && static_cast<std::size_t>(c) < row.size() && row[static_cast<std::size_t>(c)] == v;
        }
        if (keep) {
            set->insert(row[static_cast<std::size_t>(col)]);
        }
    }
    ctx.caches.code_lists[cache_key] = set;
    return set;
}

bool compile_in(MapReader& map, CompileCtx& ctx, Node& out) {
    auto values = map.get("values");
    auto list = map.get("list");
    auto column = map.get("column");
    auto where = map.get("where");
    if (values.has_value() == list.has_value()) {
        ctx.sink.add(map.mark(), "'in': give exactly one of 'values' (inline list) or 'list' (code-list file)");
        return false;
    }
    if (values) {
        auto v = read_string_list(*values, ctx.sink, "values");
        if (!v) {
            return false;
        }
        if (v->empty()) {
            ctx.sink.add(values->Mark(), "values: must not be empty (no value could pass)");
            return false;
        }
        out.set = std::make_shared<StringSet>(v->begin(), v->end());
        return true;
    }
    if (!list->IsScalar()) {
        ctx.sink.add(list->Mark(), "list: expected a file path relative to the rules directory");
        return false;
    }
    std::string col;
    if (column) {
        col = read_string(*column, ctx.sink, "column").value_or("");
    }
    std::vector<std::pair<std::string, std::string>> filters;
    if (where) {
        if (!where->IsMap()) {
            ctx.sink.add(where->Mark(), "where: expected a mapping of column: value");
            return false;
        }
        for (auto it = where->begin(); it != where->end(); ++it) {
            if (!it->second.IsScalar()) {
                ctx.sink.add(it->second.Mark(), "where: expected a value");
                return false;
            }
            filters.emplace_back(it->first.Scalar(), it->second.Scalar());
        }
    }
    out.set = load_code_list(*list, col, filters, where ? where->Mark() : map.mark(), ctx);
    return out.set != nullptr;
}

bool compile_matches(MapReader& map, CompileCtx& ctx, Node& out) {
    auto pattern = map.require("pattern");
    if (auto full = map.get("full")) {
        out.full = read_bool(*full, ctx.sink, "full").value_or(true);
    }
    if (auto trim = map.get("trim")) {
        out.trim = read_bool(*trim, ctx.sink, "trim").value_or(false);
    }
    if (auto remove = map.get("remove")) {
        out.remove = read_string(*remove, ctx.sink, "remove").value_or("");
    }
    if (!pattern || !pattern->IsScalar()) {
        if (pattern) {
            ctx.sink.add(pattern->Mark(), "pattern: expected a regular expression (RE2 syntax)");
        }
        return false;
    }
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<RE2>(pattern->Scalar(), opts);
    if (!re->ok()) {
        ctx.sink.add(pattern->Mark(), "invalid regular expression: " + util::printable(re->error(), 200));
        return false;
    }
    out.regex = std::move(re);
    return true;
}

bool compile_counts(MapReader& map, const std::string& op, CompileCtx& ctx, Node& out) {
    auto lo = map.get("min");
    auto hi = map.get("max");
    if (!lo && !hi) {
        ctx.sink.add(map.mark(), "'" + op + "': give min, max or both");
        return false;
    }
    bool ok = true;
    for (auto [node, bound] : {std::pair{lo, &out.lo}, std::pair{hi, &out.hi}}) {
        if (node) {
            const auto n = read_integer(*node, ctx.sink, op + " bound");
            if (n && *n < 0) {
                ctx.sink.add(node->Mark(), op + " bound: must not be negative");
            }
            ok = ok && n.has_value() && *n >= 0;
            bound->set = true;
            bound->value = static_cast<double>(n.value_or(0));
        }
    }
    if (ok && lo && hi && out.lo.value > out.hi.value) {
        ctx.sink.add(hi->Mark(), "'" + op + "': max is below min, so no value could pass");
        ok = false;
    }
    return ok;
}

}  // namespace

bool is_leaf_op(const std::string& op) {
    return op == "matches" || op == "in" || op == "contains" || op == "range" || op == "compare" || op == "words" ||
           op == "count" || op == "mentions" || op == "contains_bsn";
}

bool compile_text_search(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out);

namespace {

bool accepts_text(FieldType t) { return is_text(t); }
bool accepts_code(FieldType t) { return is_text(t) || t == FieldType::integer; }
bool accepts_strings(FieldType t) { return t == FieldType::string_array; }
bool accepts_string(FieldType t) { return t == FieldType::string; }

// Reads the operator's own arguments; `typed` is false when the field is unusable.
using ArgsFn = void (*)(MapReader&, const std::string&, bool, CompileCtx&, Node&);

void matches_args(MapReader& map, const std::string&, bool, CompileCtx& ctx, Node& out) {
    compile_matches(map, ctx, out);
}

void in_args(MapReader& map, const std::string&, bool, CompileCtx& ctx, Node& out) { compile_in(map, ctx, out); }

void contains_args(MapReader& map, const std::string&, bool, CompileCtx& ctx, Node& out) {
    if (auto v = map.require("value")) {
        out.value = read_string(*v, ctx.sink, "value").value_or("");
    }
}

void range_args(MapReader& map, const std::string&, bool typed, CompileCtx& ctx, Node& out) {
    auto lo = map.get("min");
    auto hi = map.get("max");
    if (!lo && !hi) {
        ctx.sink.add(map.mark(), "'range': give min, max or both");
    }
    if (typed && lo) {
        out.lo = parse_bound(*lo, out.field.type, ctx).value_or(Bound{});
    }
    if (typed && hi) {
        out.hi = parse_bound(*hi, out.field.type, ctx).value_or(Bound{});
    }
    // Both literal, or both relative to the as-of: comparable now.
    if (out.lo.set && out.hi.set && out.lo.relative == out.hi.relative && out.lo.value > out.hi.value) {
        ctx.sink.add(hi->Mark(), "'range': max is below min, so no value could pass");
    }
}

void compare_args(MapReader& map, const std::string&, bool typed, CompileCtx& ctx, Node& out) {
    if (typed) {
        compile_compare(map, ctx, out);
        return;
    }
    for (const char* key : {"op", "other", "offset", "other_default"}) {
        map.get(key);  // known keys; the field's problem is already reported
    }
}

void counts_args(MapReader& map, const std::string& op, bool, CompileCtx& ctx, Node& out) {
    compile_counts(map, op, ctx, out);
}

struct LeafSpec {
    const char* name;
    Op op;
    bool (*accepts)(FieldType);
    const char* need;
    ArgsFn args;
};

constexpr LeafSpec k_leaves[] = {
    {"matches", Op::matches, accepts_text, "a text field", matches_args},
    {"in", Op::in_set, accepts_code, "a text or integer field", in_args},
    {"contains", Op::contains, accepts_strings, "an array of strings", contains_args},
    {"range", Op::range, is_ordered, "a number, date, month or timestamp field", range_args},
    {"compare", Op::compare, is_ordered, "a number, date, month or timestamp field", compare_args},
    {"words", Op::words, accepts_string, "a text field", counts_args},
    {"count", Op::count, is_array, "an array field", counts_args},
};

}  // namespace

bool compile_leaf(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out) {
    if (op == "mentions" || op == "contains_bsn") {
        return compile_text_search(op, args, ctx, out);
    }
    const LeafSpec* spec = &k_leaves[0];
    for (const LeafSpec& l : k_leaves) {
        spec = op == l.name ? &l : spec;
    }
    MapReader map(args, ctx.sink, "'" + op + "'");
    if (!map.ok()) {
        return false;
    }
    const auto before = ctx.sink.count();
    out.op = spec->op;
    auto field = map.require("field");
    const auto ref = field ? resolve_field(*field, ctx) : std::nullopt;
    read_if_missing(map, ctx, out);
    if (ref) {
        out.field = *ref;
    }
    const bool typed = ref && expect_type(*field, *ref, spec->accepts(ref->type), spec->need, op, ctx);
    spec->args(map, op, typed, ctx, out);
    map.finish();
    return ctx.sink.count() == before;
}

}  // namespace spiegel::rules
