#include "daemon/rules/lexicon.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "daemon/rules/yaml_util.h"
#include "daemon/util/text.h"

namespace spiegel::rules {
namespace {

constexpr std::string_view k_boundary_before = "(?:^|[^\\pL\\pN\\pM])";
constexpr std::string_view k_boundary_after = "(?:[^\\pL\\pN\\pM]|$)";
constexpr std::string_view k_space = "[\\s\\x{0B}\\p{Z}]+";
constexpr int k_max_range = 1000;
// RE2 memory for the union of all phrases (the default is 8 MiB, about half
// a million instructions: some ten thousand phrases).
constexpr std::int64_t k_union_max_mem = 64 << 20;

bool is_space(char32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0x1680;
}

bool parse_int(std::string_view s, int& out) {
    const auto* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, out);
    return r.ec == std::errc() && r.ptr == end && !s.empty();
}

std::string number_range(std::string_view spec, std::string& error) {
    const auto dash = spec.find('-');
    int lo = 0;
    int hi = 0;
    if (dash == std::string_view::npos || !parse_int(spec.substr(0, dash), lo) ||
        !parse_int(spec.substr(dash + 1), hi) || lo < 0 || hi < lo || hi - lo > k_max_range) {
        error = "bad number range <" + std::string(spec) + "> (expected <N-M> with 0 <= N <= M, at most " +
                std::to_string(k_max_range) + " apart)";
        return {};
    }
    std::string out = "(?:";
    for (int n = hi; n >= lo; --n) {
        out += std::to_string(n);
        out += n == lo ? ")" : "|";
    }
    return out;
}

std::string lower_word(std::string_view w) { return util::lower(w); }

}  // namespace

std::string phrase_to_regex(std::string_view phrase, std::string& error) {
    std::string out;
    std::size_t i = 0;
    bool need_space = false;
    while (i < phrase.size()) {
        const char c = phrase[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            need_space = !out.empty();
            ++i;
            continue;
        }
        if (need_space) {
            out += k_space;
            need_space = false;
        }
        if (c == '{') {
            const auto close = phrase.find('}', i);
            if (close == std::string_view::npos) {
                error = "unterminated '{' in phrase";
                return {};
            }
            std::string_view body = phrase.substr(i + 1, close - i - 1);
            out += "(?:";
            std::size_t start = 0;
            while (true) {
                const auto bar = body.find('|', start);
                const auto alt = body.substr(start, bar == std::string_view::npos ? body.npos : bar - start);
                if (util::trim(alt).empty()) {
                    error = "empty alternative in '{" + std::string(body) + "}'";
                    return {};
                }
                out += phrase_to_regex(alt, error);
                if (!error.empty()) {
                    return {};
                }
                if (bar == std::string_view::npos) {
                    break;
                }
                out += '|';
                start = bar + 1;
            }
            out += ')';
            i = close + 1;
        } else if (c == '<') {
            const auto close = phrase.find('>', i);
            if (close == std::string_view::npos) {
                error = "unterminated '<' in phrase";
                return {};
            }
            out += number_range(phrase.substr(i + 1, close - i - 1), error);
            if (!error.empty()) {
                return {};
            }
            i = close + 1;
        } else if (c == '}' || c == '>' || c == '|') {
            error = std::string("unexpected '") + c + "' in phrase";
            return {};
        } else {
            std::size_t j = i;
            while (j < phrase.size() && std::string_view(" \t\r\n{<}>|").find(phrase[j]) == std::string_view::npos) {
                ++j;
            }
            out += RE2::QuoteMeta(re2::StringPiece(phrase.data() + i, j - i));
            i = j;
        }
    }
    if (out.empty() && error.empty()) {
        error = "empty phrase";
    }
    return out;
}

std::shared_ptr<const Lexicon> Lexicon::compile(const std::vector<LexiconEntry>& entries, const std::string& file,
                                                std::vector<Diagnostic>& diagnostics) {
    auto lex = std::make_shared<Lexicon>();
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_case_sensitive(false);
    std::string any;
    bool ok = true;
    for (const auto& e : entries) {
        std::string error;
        const std::string body = phrase_to_regex(e.phrase, error);
        if (!error.empty()) {
            diagnostics.push_back({file, e.line, e.column, "phrase '" + e.phrase + "': " + error});
            ok = false;
            continue;
        }
        // Checked here without the boundary classes (cheap); wrapping a valid
        // body in the fixed boundary groups keeps it valid.
        const RE2 check(body, opts);
        if (!check.ok()) {
            diagnostics.push_back({file, e.line, e.column, "phrase '" + e.phrase + "': " + check.error()});
            ok = false;
            continue;
        }
        Entry entry;
        entry.pattern = std::string(k_boundary_before) + "(" + body + ")" + std::string(k_boundary_after);
        for (const auto& w : e.unless_followed_by) {
            entry.followed.push_back(lower_word(w));
        }
        for (const auto& w : e.unless_preceded_by) {
            entry.preceded.push_back(lower_word(w));
        }
        any += (any.empty() ? "" : "|") + body;
        lex->m_entries.push_back(std::move(entry));
    }
    if (!ok) {
        return nullptr;
    }
    lex->m_any_pattern = std::move(any);
    return lex;
}

void Lexicon::prepare() const {
    std::call_once(m_prepared, [this] {
        RE2::Options opts;
        opts.set_log_errors(false);
        opts.set_case_sensitive(false);
        // Each body compiled within RE2's default memory at load; the
        // boundary groups around it add a few thousand instructions.
        RE2::Options wrapped = opts;
        wrapped.set_max_mem(2 * opts.max_mem());
        for (auto& e : m_entries) {
            e.re = std::make_unique<RE2>(e.pattern, wrapped);
            m_broken = m_broken || !e.re->ok();
        }
        if (!m_any_pattern.empty()) {
            // Without the boundary classes RE2 can use its literal-prefix scan;
            // this is only a first pass, entries check boundaries themselves.
            // A union too large even for this budget (a lexicon of many
            // thousands of phrases) is left out: every entry is then tried.
            RE2::Options any = opts;
            any.set_max_mem(k_union_max_mem);
            m_any = std::make_unique<RE2>(m_any_pattern, any);
            if (!m_any->ok()) {
                m_any.reset();
            }
        }
    });
}

bool Lexicon::matches(std::string_view text) const {
    prepare();
    if (m_broken) {
        // Cannot happen for bodies that compiled at load (their wrapped form
        // gets twice the memory); if RE2 ever refuses one, report a match
        // (the rule fails visibly) rather than pass every text silently.
        return !text.empty();
    }
    if (m_entries.empty() || text.empty()) {
        return false;
    }
    if (m_any && !RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_any)) {
        return false;
    }
    for (const auto& e : m_entries) {
        if (entry_matches(e, text)) {
            return true;
        }
    }
    return false;
}

namespace {

// The word right after `pos` (only whitespace in between), lower case.
std::string next_word(std::string_view text, std::size_t pos) {
    std::size_t p = pos;
    while (p < text.size()) {
        std::size_t q = p;
        if (!is_space(util::next_code_point(text, q))) {
            break;
        }
        p = q;
    }
    std::size_t end = p;
    while (end < text.size()) {
        std::size_t q = end;
        if (!util::is_word_char(util::next_code_point(text, q))) {
            break;
        }
        end = q;
    }
    return util::lower(text.substr(p, end - p));
}

// The last word that ends before `pos`, lower case.
std::string previous_word(std::string_view text, std::size_t pos) {
    std::string_view last;
    util::for_each_word(text.substr(0, pos), [&](std::string_view w) { last = w; });
    return util::lower(last);
}

bool listed(const std::vector<std::string>& words, const std::string& w) {
    return !w.empty() && std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

bool Lexicon::entry_matches(const Entry& entry, std::string_view text) const {
    const re2::StringPiece piece(text.data(), text.size());
    // A match without positions runs on RE2's DFA; positions (capture
    // groups) need a slower engine and only matter for allowed contexts.
    if (!entry.re->Match(piece, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) {
        return false;
    }
    if (entry.followed.empty() && entry.preceded.empty()) {
        return true;
    }
    re2::StringPiece sub[2];
    std::size_t pos = 0;
    while (pos <= text.size() && entry.re->Match(piece, pos, text.size(), RE2::UNANCHORED, sub, 2)) {
        const auto begin = static_cast<std::size_t>(sub[1].data() - text.data());
        const auto end = begin + sub[1].size();
        const bool allowed = (!entry.followed.empty() && listed(entry.followed, next_word(text, end))) ||
                             (!entry.preceded.empty() && listed(entry.preceded, previous_word(text, begin)));
        if (!allowed) {
            return true;
        }
        std::size_t next = begin;
        util::next_code_point(text, next);
        pos = next;
    }
    return false;
}

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
    map.finish();
    if (sink.count() != before) {
        return std::nullopt;
    }
    return e;
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
        return nullptr;
    }
    return Lexicon::compile(entries, path, diagnostics);
}

}  // namespace spiegel::rules
