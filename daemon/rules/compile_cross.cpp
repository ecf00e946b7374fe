// Text searches (mentions, contains_bsn) and the cross-record primitives
// (exists, referenced_by, unique).

#include <filesystem>

#include "daemon/rules/compile.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::rules {
namespace {

using model::FieldType;

std::optional<std::vector<FieldRef>> text_fields(const YAML::Node& node, CompileCtx& ctx) {
    std::vector<YAML::Node> names;
    if (node.IsSequence()) {
        for (const auto& n : node) {
            names.push_back(n);
        }
    } else {
        names.push_back(node);
    }
    std::vector<FieldRef> out;
    bool ok = !names.empty();
    for (const auto& n : names) {
        auto ref = resolve_field(n, ctx);
        if (ref && ref->type != FieldType::string) {
            ctx.sink.add(n.Mark(), util::quoted(n.Scalar()) + " is " + std::string(model::field_type_name(ref->type)) +
                                       ", not a text field");
            ref.reset();
        }
        ok = ok && ref.has_value();
        if (ref) {
            out.push_back(*ref);
        }
    }
    return ok ? std::optional(out) : std::nullopt;
}

std::shared_ptr<const Lexicon> lexicon_file(const YAML::Node& node, CompileCtx& ctx) {
    if (!node.IsScalar()) {
        ctx.sink.add(node.Mark(), "lexicon: expected a file path relative to the rules directory");
        return nullptr;
    }
    const std::string rel = node.Scalar();
    if (!check_data_path(node, ctx)) {
        return nullptr;
    }
    if (auto it = ctx.caches.lexicons.find(rel); it != ctx.caches.lexicons.end()) {
        return it->second;
    }
    if (ctx.caches.failed_lexicons.count(rel) != 0) {
        ctx.sink.add(node.Mark(), "lexicon " + util::quoted(rel) + " has errors (reported above)");
        return nullptr;
    }
    const std::string path = join_path(ctx.dir, rel);
    if (!std::filesystem::is_regular_file(path)) {
        ctx.sink.add(node.Mark(), "lexicon " + util::quoted(rel) + " not found (looked for " +
                                      util::printable(path, util::k_printable_path_bytes) + ")");
        return nullptr;
    }
    auto lex = load_lexicon_file(path, ctx.diagnostics);
    if (!lex) {
        ctx.caches.failed_lexicons[rel] = true;
        ctx.sink.add(node.Mark(), "lexicon " + util::quoted(rel) + " has errors");
        return nullptr;
    }
    ctx.caches.lexicons[rel] = lex;
    return lex;
}

std::shared_ptr<const Lexicon> inline_lexicon(const YAML::Node& node, CompileCtx& ctx) {
    auto phrases = read_string_list(node, ctx.sink, "phrases");
    if (!phrases) {
        return nullptr;
    }
    std::vector<LexiconEntry> entries;
    for (const auto& p : *phrases) {
        LexiconEntry e;
        e.phrase = p;
        e.line = mark_line(node.Mark());
        e.column = mark_column(node.Mark());
        entries.push_back(std::move(e));
    }
    std::vector<Diagnostic> diags;
    auto lex = Lexicon::compile(entries, ctx.sink.file(), diags);
    for (auto& d : diags) {
        ctx.sink.add_at(d.line, d.column, d.message);
    }
    return lex;
}

std::optional<model::Kind> read_kind(const YAML::Node& node, CompileCtx& ctx) {
    const auto k = node.IsScalar() ? model::parse_kind(node.Scalar()) : std::nullopt;
    if (!k) {
        ctx.sink.add(node.Mark(), "kind: expected cv, vacancy or employer");
    }
    return k;
}

// Compiles a `where` condition on records of another kind into spec.
bool compile_where(const std::optional<YAML::Node>& where, CompileCtx& ctx, CrossSpec& spec) {
    if (!where) {
        return true;
    }
    CompileCtx inner = ctx;
    inner.kind = spec.source;
    inner.slots = &spec.slots;
    inner.items = nullptr;
    inner.allow_cross = false;
    inner.allow_as_of = false;
    auto node = compile_expr(*where, inner);
    if (!node) {
        return false;
    }
    spec.where = std::make_unique<Node>(std::move(*node));
    return true;
}

std::optional<std::vector<NormaliseStep>> read_steps(const YAML::Node& node, CompileCtx& ctx) {
    std::vector<NormaliseStep> steps;
    if (!node.IsSequence()) {
        ctx.sink.add(node.Mark(), "normalise: expected a list of steps");
        return std::nullopt;
    }
    bool ok = true;
    for (const auto& s : node) {
        NormaliseStep step{NormaliseStep::Kind::lower, {}, 0};
        const std::string name = s.IsScalar() ? s.Scalar() : (s.IsMap() && s.size() == 1 ? s.begin()->first.Scalar() : "");
        if (s.IsScalar() && (name == "lower" || name == "trim" || name == "letters_digits" || name == "digits")) {
            step.kind = name == "lower" ? NormaliseStep::Kind::lower
                        : name == "trim" ? NormaliseStep::Kind::trim
                        : name == "digits" ? NormaliseStep::Kind::digits
                                           : NormaliseStep::Kind::letters_digits;
        } else if (s.IsMap() && name == "remove_tokens") {
            step.kind = NormaliseStep::Kind::remove_tokens;
            auto tokens = read_string_list(s.begin()->second, ctx.sink, "remove_tokens");
            ok = ok && tokens.has_value();
            for (const auto& t : tokens.value_or(std::vector<std::string>{})) {
                step.tokens.push_back(util::fold(t));
            }
        } else if (s.IsMap() && (name == "first" || name == "min_length")) {
            step.kind = name == "first" ? NormaliseStep::Kind::first : NormaliseStep::Kind::min_length;
            const auto n = read_integer(s.begin()->second, ctx.sink, name);
            ok = ok && n.has_value() && *n > 0;
            step.count = static_cast<std::size_t>(n.value_or(0));
        } else {
            ctx.sink.add(s.Mark(), "unknown normalisation step " + util::quoted(name) +
                                       " (expected lower, trim, letters_digits, digits, {remove_tokens: [...]}, "
                                       "{first: N}, {min_length: N})");
            ok = false;
        }
        steps.push_back(std::move(step));
    }
    return ok ? std::optional(std::move(steps)) : std::nullopt;
}

bool compile_unique(MapReader& map, CompileCtx& ctx, CrossSpec& spec) {
    auto key = map.require("key");
    auto order = map.require("order_by");
    if (auto keep = map.get("keep"); keep && !(keep->IsScalar() && keep->Scalar() == "earliest")) {
        ctx.sink.add(keep->Mark(), "keep: only 'earliest' is supported");
    }
    spec.source = ctx.kind;
    if (order) {
        if (auto ref = resolve_field(*order, ctx)) {
            if (ref->type != FieldType::timestamp) {
                ctx.sink.add(order->Mark(), "order_by: needs a timestamp field; " + util::quoted(order->Scalar()) +
                                                " is " + std::string(model::field_type_name(ref->type)));
            }
            spec.order_by = ref->slot;
            spec.slots |= std::uint64_t{1} << ref->slot;
        }
    }
    if (!key || !key->IsSequence() || key->size() == 0) {
        if (key) {
            ctx.sink.add(key->Mark(), "key: expected a list of {field, normalise}");
        }
        return false;
    }
    for (const auto& part : *key) {
        MapReader pm(part, ctx.sink, "key part");
        auto f = pm.require("field");
        auto n = pm.get("normalise");
        pm.finish();
        KeyPart kp;
        if (f) {
            if (auto ref = resolve_field(*f, ctx)) {
                kp.slot = ref->slot;
                spec.slots |= std::uint64_t{1} << ref->slot;
            }
        }
        if (n) {
            kp.steps = read_steps(*n, ctx).value_or(std::vector<NormaliseStep>{});
        }
        spec.key.push_back(std::move(kp));
    }
    return true;
}

}  // namespace

bool compile_text_search(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out) {
    const auto before = ctx.sink.count();
    if (op == "contains_bsn") {
        out.op = Op::contains_bsn;
        auto fields = text_fields(args, ctx);
        out.fields = fields.value_or(std::vector<FieldRef>{});
        return ctx.sink.count() == before && fields.has_value();
    }
    out.op = Op::mentions;
    MapReader map(args, ctx.sink, "'mentions'");
    if (!map.ok()) {
        return false;
    }
    if (auto f = map.require("fields")) {
        out.fields = text_fields(*f, ctx).value_or(std::vector<FieldRef>{});
    }
    auto phrases = map.get("phrases");
    auto lexicon = map.get("lexicon");
    map.finish();
    if (phrases.has_value() == lexicon.has_value()) {
        ctx.sink.add(map.mark(), "'mentions': give exactly one of 'phrases' (inline) or 'lexicon' (file)");
        return false;
    }
    out.lexicon = phrases ? inline_lexicon(*phrases, ctx) : lexicon_file(*lexicon, ctx);
    return ctx.sink.count() == before && out.lexicon != nullptr;
}

bool is_cross_op(const std::string& op) { return op == "exists" || op == "referenced_by" || op == "unique"; }

bool compile_cross(const std::string& op, const YAML::Node& args, CompileCtx& ctx, Node& out) {
    MapReader map(args, ctx.sink, "'" + op + "'");
    if (!map.ok()) {
        return false;
    }
    const auto before = ctx.sink.count();
    CrossSpec spec;
    spec.slots = 1;  // id
    if (op == "exists") {
        out.op = spec.op = Op::exists;
        const auto where = map.get("where");
        read_if_missing(map, ctx, out);
        if (auto f = map.require("field")) {
            if (auto ref = resolve_field(*f, ctx)) {
                out.field = *ref;
            }
        }
        if (auto k = map.require("kind")) {
            spec.source = read_kind(*k, ctx).value_or(model::Kind::cv);
        }
        if (ctx.sink.count() == before) {
            compile_where(where, ctx, spec);
        }
    } else if (op == "referenced_by") {
        out.op = spec.op = Op::referenced_by;
        auto k = map.require("kind");
        auto f = map.require("field");
        const auto where = map.get("where");
        if (k) {
            spec.source = read_kind(*k, ctx).value_or(model::Kind::cv);
        }
        if (f && ctx.sink.count() == before) {
            CompileCtx inner = ctx;
            inner.kind = spec.source;
            inner.slots = &spec.slots;
            if (auto ref = resolve_field(*f, inner)) {
                spec.field = ref->slot;
            }
            compile_where(where, ctx, spec);
        }
    } else {
        out.op = spec.op = Op::unique;
        compile_unique(map, ctx, spec);
    }
    map.finish();
    if (ctx.sink.count() != before) {
        return false;
    }
    *ctx.cross = true;
    out.cross = static_cast<int>(ctx.impl.cross_specs.size());
    ctx.impl.cross_specs.push_back(std::move(spec));
    return true;
}

}  // namespace spiegel::rules
