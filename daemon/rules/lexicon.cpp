#include "daemon/rules/lexicon.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "daemon/rules/yaml_util.h"
#include "daemon/util/printable.h"
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
        error = "bad number range <" + util::printable(spec) + "> (expected <N-M> with 0 <= N <= M, at most " +
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

// Options of every lexicon expression. Texts and phrases are both folded
// (util::fold) before they meet, so matching is case-sensitive: cheaper in
// RE2 than its own case folding, and it covers full-width and decomposed text.
RE2::Options regex_options() {
    RE2::Options opts;
    opts.set_log_errors(false);
    return opts;
}

// A word a match may be allowed by (unless_followed_by / unless_preceded_by),
// in the folded form it is compared in.
std::string context_word(std::string_view w) { return util::fold(w); }

void add_space(std::string& out, bool& need_space) {
    if (need_space) {
        out += k_space;
        need_space = false;
    }
}

// A literal run of the phrase (no whitespace or syntax), folded as texts are;
// a compatibility mapping may split it into words (U+00A0 becomes a space).
void add_literal(std::string_view literal, std::string& out, bool& need_space) {
    const std::string folded = util::fold(literal);
    std::size_t start = 0;
    while (start <= folded.size()) {
        const auto space = folded.find(' ', start);
        const std::string_view word =
            std::string_view(folded).substr(start, space == std::string::npos ? std::string::npos : space - start);
        if (!word.empty()) {
            add_space(out, need_space);
            out += RE2::QuoteMeta(re2::StringPiece(word.data(), word.size()));
        }
        if (space == std::string::npos) {
            break;
        }
        need_space = need_space || !out.empty();
        start = space + 1;
    }
}

// The alternatives of `{a|b c}` (body without braces) as a non-capturing group.
std::string choice(std::string_view body, std::string& error) {
    std::string out = "(?:";
    std::size_t start = 0;
    while (true) {
        const auto bar = body.find('|', start);
        const auto alt = body.substr(start, bar == std::string_view::npos ? body.npos : bar - start);
        if (util::trim(alt).empty()) {
            error = "empty alternative in {" + util::printable(body) + "}";
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
    return out + ")";
}

// The bracketed part of the phrase at phrase[i] ('{' or '<'), advancing i.
std::string bracketed(std::string_view phrase, std::size_t& i, std::string& error) {
    const char open = phrase[i];
    const char close_char = open == '{' ? '}' : '>';
    const auto close = phrase.find(close_char, i);
    if (close == std::string_view::npos) {
        error = std::string("unterminated '") + open + "' in phrase";
        return {};
    }
    const std::string_view body = phrase.substr(i + 1, close - i - 1);
    i = close + 1;
    return open == '{' ? choice(body, error) : number_range(body, error);
}

}  // namespace

std::string phrase_to_regex(std::string_view phrase, std::string& error) {
    constexpr std::string_view k_syntax = " \t\r\n{<}>|";
    std::string out;
    std::size_t i = 0;
    bool need_space = false;
    while (i < phrase.size() && error.empty()) {
        const char c = phrase[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            need_space = !out.empty();
            ++i;
        } else if (c == '{' || c == '<') {
            add_space(out, need_space);
            out += bracketed(phrase, i, error);
        } else if (c == '}' || c == '>' || c == '|') {
            error = "unexpected " + util::quoted(std::string_view(&c, 1)) + " in phrase";
        } else {
            std::size_t j = i;
            while (j < phrase.size() && k_syntax.find(phrase[j]) == std::string_view::npos) {
                ++j;
            }
            add_literal(phrase.substr(i, j - i), out, need_space);
            i = j;
        }
    }
    if (!error.empty()) {
        return {};
    }
    if (out.empty()) {
        error = "empty phrase";
    }
    return out;
}

namespace {

// The words of a context phrase, folded as texts are.
std::vector<std::string> context_words(std::string_view phrase) {
    std::vector<std::string> out;
    util::for_each_word(util::fold(phrase), [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

// The union of unless_text_mentions phrases, "(?:a|b)", without the word
// boundaries (with_boundaries adds them); error set on failure.
std::string text_exception_body(const std::vector<std::string>& phrases, std::string& error) {
    std::string out;
    for (const auto& p : phrases) {
        const std::string body = phrase_to_regex(p, error);
        if (!error.empty()) {
            error = "unless_text_mentions " + util::quoted(p) + ": " + error;
            return {};
        }
        out += (out.empty() ? "" : "|") + body;
    }
    return out.empty() ? std::string() : "(?:" + out + ")";
}

std::string with_boundaries(const std::string& body) {
    return std::string(k_boundary_before) + body + std::string(k_boundary_after);
}

}  // namespace

std::shared_ptr<const Lexicon> Lexicon::compile(const std::vector<LexiconEntry>& entries, const std::string& file,
                                                std::vector<Diagnostic>& diagnostics,
                                                const std::vector<LexiconContext>& contexts) {
    auto lex = std::make_shared<Lexicon>();
    const RE2::Options opts = regex_options();
    std::string any;
    bool ok = true;
    // Each context's ended_by names another context, checked once per context.
    for (const auto& c : contexts) {
        if (c.ended_by.empty() || std::any_of(contexts.begin(), contexts.end(),
                                              [&](const LexiconContext& o) { return o.name == c.ended_by; })) {
            continue;
        }
        diagnostics.push_back({file, c.line, c.column,
                               "context " + util::quoted(c.name) + ": ended_by: no context " +
                                   util::quoted(c.ended_by) + " under contexts:"});
        ok = false;
    }
    for (const auto& e : entries) {
        std::string error;
        const LexiconContext* context = nullptr;
        const LexiconContext* allowed = nullptr;
        for (const auto& c : contexts) {
            context = c.name == e.only_after ? &c : context;
            allowed = c.name == e.unless_after ? &c : allowed;
        }
        if ((!e.only_after.empty() && context == nullptr) || (!e.unless_after.empty() && allowed == nullptr)) {
            const bool only = !e.only_after.empty() && context == nullptr;
            diagnostics.push_back({file, e.line, e.column,
                                   std::string(only ? "only_after" : "unless_after") + ": no context " +
                                       util::quoted(only ? e.only_after : e.unless_after) + " under contexts:"});
            ok = false;
            continue;
        }
        // Checked without the boundary classes, as the phrase below: the
        // Unicode classes make the wrapped expression costly to build, and
        // wrapping a valid body in them keeps it valid.
        const std::string exception = text_exception_body(e.unless_text_mentions, error);
        if (!error.empty() || (!exception.empty() && !RE2(exception, opts).ok())) {
            diagnostics.push_back({file, e.line, e.column,
                                   "phrase " + util::quoted(e.phrase) + ": " +
                                       (error.empty() ? std::string("unless_text_mentions does not compile") : error)});
            ok = false;
            continue;
        }
        const std::string body = phrase_to_regex(e.phrase, error);
        if (!error.empty()) {
            diagnostics.push_back({file, e.line, e.column, "phrase " + util::quoted(e.phrase) + ": " + error});
            ok = false;
            continue;
        }
        // Checked here without the boundary classes (cheap); wrapping a valid
        // body in the fixed boundary groups keeps it valid.
        const RE2 check(body, opts);
        if (!check.ok()) {
            const std::string reason = util::printable(check.error(), 200);
            diagnostics.push_back({file, e.line, e.column, "phrase " + util::quoted(e.phrase) + ": " + reason});
            ok = false;
            continue;
        }
        Entry entry;
        entry.body = body;
        entry.pattern = with_boundaries("(" + body + ")");
        for (const auto& w : e.unless_followed_by) {
            entry.followed.push_back(context_word(w));
        }
        for (const auto& w : e.unless_preceded_by) {
            entry.preceded.push_back(context_word(w));
        }
        for (auto [from, to] : {std::pair{context, &entry.context}, std::pair{allowed, &entry.allowed}}) {
            if (from == nullptr) {
                continue;
            }
            to->within = from->within;
            for (const auto& p : from->phrases) {
                if (auto words = context_words(p); !words.empty()) {
                    to->phrases.push_back(std::move(words));
                }
            }
            for (const auto& c : contexts) {
                if (!from->ended_by.empty() && c.name == from->ended_by) {
                    for (const auto& p : c.phrases) {
                        if (auto words = context_words(p); !words.empty()) {
                            to->ended_by.push_back(std::move(words));
                        }
                    }
                }
            }
        }
        entry.text_exception_pattern = exception.empty() ? std::string() : with_boundaries(exception);
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
        const RE2::Options opts = regex_options();
        // The entries' own expressions are compiled when the set first
        // finds their phrase (entry()).
        m_compiled = std::make_unique<std::once_flag[]>(m_entries.size());
        // Without the boundary classes the set's automaton stays small;
        // entries check boundaries themselves.
        RE2::Options any = opts;
        any.set_max_mem(k_union_max_mem);
        if (!m_entries.empty()) {
            m_set = std::make_unique<RE2::Set>(any, RE2::UNANCHORED);
            bool added = true;
            for (const auto& e : m_entries) {
                added = added && m_set->Add(e.body, nullptr) >= 0;
            }
            if (!added || !m_set->Compile()) {
                m_set.reset();
            }
        }
        if (!m_set && !m_any_pattern.empty()) {
            // The union as one expression, a first pass: a union too large
            // even for this budget is left out, and every entry is tried.
            m_any = std::make_unique<RE2>(m_any_pattern, any);
            if (!m_any->ok()) {
                m_any.reset();
            }
        }
    });
}

const Lexicon::Entry& Lexicon::entry(std::size_t i) const {
    Entry& e = m_entries[i];
    std::call_once(m_compiled[i], [&e] {
        // Each body compiled within RE2's default memory at load; the
        // boundary groups around it add a few thousand instructions.
        RE2::Options wrapped = regex_options();
        wrapped.set_max_mem(2 * wrapped.max_mem());
        e.re = std::make_unique<RE2>(e.pattern, wrapped);
        e.broken = !e.re->ok();
        if (!e.text_exception_pattern.empty()) {
            e.text_exception = std::make_unique<RE2>(e.text_exception_pattern, wrapped);
            e.broken = e.broken || !e.text_exception->ok();
        }
    });
    return e;
}

bool Lexicon::matches(std::string_view text) const {
    prepare();
    if (m_entries.empty() || text.empty()) {
        return false;
    }
    // Phrases were folded when the lexicon was compiled.
    thread_local std::string buffer;
    const std::string_view folded = util::fold(text, buffer);
    const re2::StringPiece piece(folded.data(), folded.size());
    if (m_set) {
        thread_local std::vector<int> hits;
        hits.clear();
        RE2::Set::ErrorInfo error{};
        if (m_set->Match(piece, &hits, &error)) {
            for (int i : hits) {
                if (entry_matches(entry(static_cast<std::size_t>(i)), folded)) {
                    return true;
                }
            }
            return false;
        }
        if (error.kind == RE2::Set::kNoError) {
            return false;
        }
        // The set's automaton ran out of memory on this text: every entry is tried below.
    } else if (m_any && !RE2::PartialMatch(piece, *m_any)) {
        return false;
    }
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (entry_matches(entry(i), folded)) {
            return true;
        }
    }
    return false;
}

namespace {

// The word right after `pos` (only whitespace in between).
std::string_view next_word(std::string_view text, std::size_t pos) {
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
    return text.substr(p, end - p);
}

// The last word that ends before `pos`.
std::string_view previous_word(std::string_view text, std::size_t pos) {
    std::string_view last;
    util::for_each_word(text.substr(0, pos), [&](std::string_view w) { last = w; });
    return last;
}

bool listed(const std::vector<std::string>& words, std::string_view w) {
    return !w.empty() && std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

bool Lexicon::entry_matches(const Entry& entry, std::string_view text) const {
    if (entry.broken) {
        // Cannot happen for bodies that compiled at load (their wrapped form
        // gets twice the memory); if RE2 ever refuses one, report a match
        // (the rule fails visibly) rather than pass the text silently.
        return !text.empty();
    }
    const re2::StringPiece piece(text.data(), text.size());
    // A match without positions runs on RE2's DFA; positions (capture
    // groups) need a slower engine and only matter for allowed contexts.
    if (!entry.re->Match(piece, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) {
        return false;
    }
    if (entry.text_exception &&
        entry.text_exception->Match(piece, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) {
        return false;
    }
    if (entry.followed.empty() && entry.preceded.empty() && entry.context.phrases.empty() &&
        entry.allowed.phrases.empty()) {
        return true;
    }
    re2::StringPiece sub[2];
    std::size_t pos = 0;
    while (pos <= text.size() && entry.re->Match(piece, pos, text.size(), RE2::UNANCHORED, sub, 2)) {
        const auto begin = static_cast<std::size_t>(sub[1].data() - text.data());
        const auto end = begin + sub[1].size();
        const bool allowed = (!entry.followed.empty() && listed(entry.followed, next_word(text, end))) ||
                             (!entry.preceded.empty() && listed(entry.preceded, previous_word(text, begin))) ||
                             (!entry.context.phrases.empty() && !in_window(entry.context, text, begin)) ||
                             (!entry.allowed.phrases.empty() && in_window(entry.allowed, text, begin));
        if (!allowed) {
            return true;
        }
        std::size_t next = begin;
        util::next_code_point(text, next);
        pos = next;
    }
    return false;
}

bool Lexicon::in_window(const Entry::Window& entry, std::string_view text, std::size_t begin) {
    // The words before the match, in its sentence: a '.', '!' or '?'
    // followed by whitespace between two words starts a new sentence.
    // Enough words for a phrase whose last word is among the last `within`.
    std::size_t longest = 0;
    for (const auto* list : {&entry.phrases, &entry.ended_by}) {
        for (const auto& phrase : *list) {
            longest = std::max(longest, phrase.size());
        }
    }
    const std::size_t within = static_cast<std::size_t>(entry.within);
    const std::size_t cap = within + longest;
    std::vector<std::string_view> window;
    const char* previous_end = text.data();
    util::for_each_word(text.substr(0, begin), [&](std::string_view w) {
        const std::string_view gap(previous_end, static_cast<std::size_t>(w.data() - previous_end));
        for (std::size_t i = 0; i < gap.size(); ++i) {
            if ((gap[i] == '.' || gap[i] == '!' || gap[i] == '?') &&
                (i + 1 == gap.size() || gap[i + 1] == ' ' || gap[i + 1] == '\n' || gap[i + 1] == '\t')) {
                window.clear();
                break;
            }
        }
        window.push_back(w);
        if (window.size() > cap) {
            window.erase(window.begin());
        }
        previous_end = w.data() + w.size();
    });
    // Where the latest phrase of `phrases` starts whose last word is one of
    // the last `within` words; npos when none does.
    const auto latest = [&](const std::vector<std::vector<std::string>>& phrases) {
        std::size_t found = std::string::npos;
        for (const auto& phrase : phrases) {
            if (phrase.size() > window.size()) {
                continue;
            }
            const std::size_t first_start = window.size() > within + phrase.size() - 1
                                                ? window.size() - within - phrase.size() + 1
                                                : 0;
            for (std::size_t start = window.size() - phrase.size() + 1; start-- > first_start;) {
                if (std::equal(phrase.begin(), phrase.end(), window.begin() + static_cast<std::ptrdiff_t>(start))) {
                    found = found == std::string::npos ? start : std::max(found, start);
                    break;
                }
            }
        }
        return found;
    };
    const std::size_t at = latest(entry.phrases);
    if (at == std::string::npos) {
        return false;
    }
    // A phrase of ended_by after it (in the window) ends its reach.
    const std::size_t ended = entry.ended_by.empty() ? std::string::npos : latest(entry.ended_by);
    return ended == std::string::npos || ended <= at;
}

}  // namespace spiegel::rules
