// Lexicon data files (docs/rules.md, "Lexicons"): `contexts:` and
// `phrases:` read through the strict YAML reader, then compiled.

#include <algorithm>

#include "daemon/rules/lexicon.h"
#include "daemon/rules/yaml_load.h"
#include "daemon/rules/yaml_util.h"
#include "daemon/util/printable.h"

namespace spiegel::rules {

namespace {

std::optional<LexiconEntry> read_entry(const YAML::Node& node, Sink& sink) {
    LexiconEntry e;
    e.line = mark_line(node.Mark());
    e.column = mark_column(node.Mark());
    if (node.IsScalar()) {
        e.phrase = node.Scalar();
        return e;
    }
    MapReader map(node, sink, "lexicon entry");
    if (!map.ok()) {
        return std::nullopt;
    }
    const auto before = sink.count();
    if (auto p = map.require("phrase")) {
        e.phrase = read_string(*p, sink, "phrase").value_or("");
    }
    if (auto c = map.get("category")) {
        e.category = read_string(*c, sink, "category").value_or("");
    }
    if (auto f = map.get("unless_followed_by")) {
        e.unless_followed_by = read_string_list(*f, sink, "unless_followed_by").value_or(std::vector<std::string>{});
    }
    if (auto f = map.get("unless_preceded_by")) {
        e.unless_preceded_by = read_string_list(*f, sink, "unless_preceded_by").value_or(std::vector<std::string>{});
    }
    if (auto c = map.get("only_after")) {
        e.only_after = read_string(*c, sink, "only_after").value_or("");
    }
    if (auto c = map.get("unless_after")) {
        e.unless_after = read_string(*c, sink, "unless_after").value_or("");
    }
    if (auto f = map.get("unless_text_mentions")) {
        e.unless_text_mentions =
            read_string_list(*f, sink, "unless_text_mentions").value_or(std::vector<std::string>{});
    }
    map.finish();
    if (sink.count() != before) {
        return std::nullopt;
    }
    return e;
}

constexpr int k_max_context_window = 30;

// `contexts:` of a lexicon file: NAME: {within: N, phrases: [...], ended_by: OTHER}.
std::vector<LexiconContext> read_contexts(const YAML::Node& node, Sink& sink) {
    std::vector<LexiconContext> out;
    if (!node.IsMap()) {
        sink.add(node.Mark(), "contexts: expected a mapping of names to {within, phrases}");
        return out;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        LexiconContext c;
        c.name = it->first.IsScalar() ? it->first.Scalar() : "";
        c.line = mark_line(it->first.Mark());
        c.column = mark_column(it->first.Mark());
        MapReader map(it->second, sink, "context " + util::quoted(c.name));
        if (!map.ok()) {
            continue;
        }
        if (auto w = map.get("within")) {
            const auto n = read_integer(*w, sink, "within");
            if (n && (*n < 1 || *n > k_max_context_window)) {
                sink.add(w->Mark(), "within: expected 1 to " + std::to_string(k_max_context_window) + " words");
            }
            c.within = static_cast<int>(n.value_or(8));
        }
        if (auto e = map.get("ended_by")) {
            c.ended_by = read_string(*e, sink, "ended_by").value_or("");
            if (c.ended_by.empty() && e->IsScalar()) {
                sink.add(e->Mark(), "ended_by: expected the name of another context");
            }
        }
        if (auto p = map.require("phrases")) {
            c.phrases = read_string_list(*p, sink, "phrases").value_or(std::vector<std::string>{});
            if (c.phrases.end() != std::find_if(c.phrases.begin(), c.phrases.end(), [](const std::string& s) {
                    return s.find_first_of("{}<>") != std::string::npos;
                })) {
                sink.add(p->Mark(), "phrases: context phrases are plain words (no {} or <>)");
            }
        }
        map.finish();
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

std::shared_ptr<const Lexicon> load_lexicon_file(const std::string& path, std::vector<Diagnostic>& diagnostics) {
    Sink sink(path, diagnostics);
    const auto before = diagnostics.size();
    auto root = load_yaml_file(path, sink);
    if (!root) {
        return nullptr;
    }
    MapReader top(*root, sink, "lexicon");
    std::vector<LexiconEntry> entries;
    std::vector<LexiconContext> contexts;
    if (auto c = top.get("contexts")) {
        contexts = read_contexts(*c, sink);
    }
    if (auto phrases = top.require("phrases")) {
        if (!phrases->IsSequence()) {
            sink.add(phrases->Mark(), "phrases: expected a list");
        } else {
            for (const auto& item : *phrases) {
                if (auto e = read_entry(item, sink)) {
                    entries.push_back(std::move(*e));
                }
            }
        }
    }
    top.finish();
    if (diagnostics.size() != before) {
        // The phrases' own problems are reported too (check lists every
        // problem), but nothing of a broken file is used.
        for (LexiconContext& c : contexts) {
            c.within = std::clamp(c.within, 1, k_max_context_window);
        }
        (void)Lexicon::compile(entries, path, diagnostics, contexts);
        return nullptr;
    }
    return Lexicon::compile(entries, path, diagnostics, contexts);
}

}  // namespace spiegel::rules
