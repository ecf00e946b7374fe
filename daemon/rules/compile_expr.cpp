// Expressions: the combinators (all, any, not), per-item checks (every,
// some), presence, and dispatch to the leaf and cross-record primitives.

#include "daemon/rules/compile.h"
#include "daemon/util/printable.h"

namespace spiegel::rules {
namespace {

constexpr const char* k_ops =
    "all, any, not, present, missing, matches, in, contains, range, compare, words, count, every, some, "
    "mentions, contains_bsn, exists, referenced_by, unique";

std::string field_list(std::span<const model::FieldDef> fields) {
    std::string out;
    for (const auto& f : fields) {
        out += (out.empty() ? "" : ", ") + std::string(f.name);
    }
    return out;
}

std::optional<Node> compile_list(Op op, const std::string& name, const YAML::Node& args, CompileCtx& ctx) {
    if (!args.IsSequence() || args.size() == 0) {
        ctx.sink.add(args.Mark(), "'" + name + "': expected a non-empty list of conditions");
        return std::nullopt;
    }
    Node node;
    node.op = op;
    bool ok = true;
    for (const auto& item : args) {
        auto child = compile_expr(item, ctx);
        if (child) {
            node.children.push_back(std::move(*child));
        } else {
            ok = false;
        }
    }
    return ok ? std::optional<Node>(std::move(node)) : std::nullopt;
}

std::optional<Node> compile_items(Op op, const std::string& name, const YAML::Node& args, CompileCtx& ctx) {
    MapReader map(args, ctx.sink, "'" + name + "'");
    if (!map.ok()) {
        return std::nullopt;
    }
    Node node;
    node.op = op;
    bool ok = true;
    auto field = map.require("field");
    auto check = map.require("check");
    map.finish();
    if (!field || !check) {
        return std::nullopt;
    }
    if (ctx.items != nullptr) {
        ctx.sink.add(field->Mark(), "'" + name + "' cannot be nested inside another every/some");
        return std::nullopt;
    }
    auto ref = resolve_field(*field, ctx);
    if (!ref) {
        return std::nullopt;
    }
    const model::FieldDef& def = model::schema_for(ctx.kind).fields[ref->slot];
    if (def.type != model::FieldType::object_array && def.type != model::FieldType::string_array) {
        ctx.sink.add(field->Mark(), "'" + name + "': field '" + std::string(def.name) + "' is a " +
                                        std::string(model::field_type_name(def.type)) + ", not an array");
        return std::nullopt;
    }
    node.field = *ref;
    CompileCtx inner = ctx;
    inner.items = &def;
    auto child = compile_expr(*check, inner);
    if (!child) {
        ok = false;
    } else {
        node.children.push_back(std::move(*child));
    }
    return ok ? std::optional<Node>(std::move(node)) : std::nullopt;
}

std::optional<Node> compile_presence(Op op, const YAML::Node& args, CompileCtx& ctx) {
    auto ref = resolve_field(args, ctx);
    if (!ref) {
        return std::nullopt;
    }
    Node node;
    node.op = op;
    node.field = *ref;
    return node;
}

}  // namespace

std::string join_path(const std::string& dir, const std::string& relative) {
    if (dir.empty()) {
        return relative;
    }
    return dir.back() == '/' ? dir + relative : dir + "/" + relative;
}

bool check_data_path(const YAML::Node& node, CompileCtx& ctx) {
    const std::string& p = node.Scalar();
    bool ok = !p.empty() && p.front() != '/';
    std::size_t start = 0;
    while (ok && start <= p.size()) {
        const auto slash = p.find('/', start);
        const auto part = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        ok = part != "..";
        start = slash == std::string::npos ? p.size() + 1 : slash + 1;
    }
    if (!ok) {
        ctx.sink.add(node.Mark(), util::quoted(p) + ": expected a path relative to the rules directory, inside it");
    }
    return ok;
}

std::optional<FieldRef> resolve_field(const YAML::Node& yaml, CompileCtx& ctx) {
    if (!yaml.IsScalar() || yaml.Scalar().empty()) {
        ctx.sink.add(yaml.Mark(), "expected a field name");
        return std::nullopt;
    }
    const std::string& name = yaml.Scalar();
    FieldRef ref;
    if (ctx.items != nullptr) {
        if (name == ".") {
            if (ctx.items->type != model::FieldType::string_array) {
                ctx.sink.add(yaml.Mark(), "'.' (the item itself) needs an array of strings; items of '" +
                                              std::string(ctx.items->name) + "' are objects");
                return std::nullopt;
            }
            ref.scope = FieldRef::Scope::item_self;
            ref.type = model::FieldType::string;
            return ref;
        }
        const auto slot = model::item_slot(*ctx.items, name);
        if (!slot) {
            ctx.sink.add(yaml.Mark(), "unknown field " + util::quoted(name) + " for items of '" +
                                          std::string(ctx.items->name) +
                                          "' (expected one of: " +
                                          (ctx.items->item_fields.empty() ? std::string(".")
                                                                          : field_list(ctx.items->item_fields)) +
                                          ")");
            return std::nullopt;
        }
        ref.scope = FieldRef::Scope::item;
        ref.item_name = name;
        ref.type = ctx.items->item_fields[*slot].type;
        return ref;
    }
    const auto& schema = model::schema_for(ctx.kind);
    const auto slot = schema.slot(name);
    if (!slot) {
        ctx.sink.add(yaml.Mark(), "unknown field " + util::quoted(name) + " for kind " +
                                      std::string(model::kind_name(ctx.kind)) +
                                      " (expected one of: " + field_list(schema.fields) + ")");
        return std::nullopt;
    }
    ref.slot = static_cast<std::uint16_t>(*slot);
    ref.type = schema.fields[*slot].type;
    *ctx.slots |= std::uint64_t{1} << *slot;
    return ref;
}

bool read_if_missing(MapReader& map, CompileCtx& ctx, Node& out) {
    auto v = map.get("if_missing");
    if (!v) {
        return true;
    }
    if (v->IsScalar() && (v->Scalar() == "pass" || v->Scalar() == "fail")) {
        out.if_missing = v->Scalar() == "pass";
        return true;
    }
    ctx.sink.add(v->Mark(), "if_missing: expected pass or fail");
    return false;
}

std::optional<Node> compile_expr(const YAML::Node& yaml, CompileCtx& ctx) {
    if (!yaml.IsMap() || yaml.size() != 1) {
        ctx.sink.add(yaml.Mark(), std::string("expected a condition: a mapping with exactly one of ") + k_ops);
        return std::nullopt;
    }
    const auto it = yaml.begin();
    const std::string op = it->first.IsScalar() ? it->first.Scalar() : std::string();
    const YAML::Node args = it->second;
    if (op == "all" || op == "any") {
        return compile_list(op == "all" ? Op::all : Op::any, op, args, ctx);
    }
    if (op == "not") {
        auto child = compile_expr(args, ctx);
        if (!child) {
            return std::nullopt;
        }
        Node node;
        node.op = Op::not_;
        node.children.push_back(std::move(*child));
        return node;
    }
    if (op == "present" || op == "missing") {
        return compile_presence(op == "present" ? Op::present : Op::missing, args, ctx);
    }
    if (op == "every" || op == "some") {
        return compile_items(op == "every" ? Op::every : Op::some, op, args, ctx);
    }
    Node node;
    if (is_leaf_op(op)) {
        return compile_leaf(op, args, ctx, node) ? std::optional<Node>(std::move(node)) : std::nullopt;
    }
    if (is_cross_op(op)) {
        if (!ctx.allow_cross || ctx.items != nullptr) {
            ctx.sink.add(it->first.Mark(), "'" + op + "' cannot be used here (not inside where, every or some)");
            return std::nullopt;
        }
        return compile_cross(op, args, ctx, node) ? std::optional<Node>(std::move(node)) : std::nullopt;
    }
    ctx.sink.add(it->first.Mark(), "unknown check " + util::quoted(op) + " (expected one of: " + k_ops + ")");
    return std::nullopt;
}

}  // namespace spiegel::rules
