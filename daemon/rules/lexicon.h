#pragma once
// Phrase lexicons (docs/rules.md, "Lexicons"): case-insensitive, whole-word
// phrases with flexible whitespace, alternatives {a|b}, number ranges <15-70>
// and allowed-context exceptions (unless_followed_by / unless_preceded_by).
// Phrases, context words and texts are compared in util::fold form, so case,
// full-width letters and decomposed accents do not matter (accents do).
// Matching is linear-time (RE2). Immutable after compile; thread-safe.

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/rules/rule_set.h"

namespace spiegel::rules {

// A named context (the lexicon file's `contexts:`): a match of an entry
// with `only_after: NAME` counts only when the last word of one of the
// phrases (plain words) is among the `within` words before it, in the same
// sentence; one with `unless_after: NAME` is then allowed instead.
struct LexiconContext {
    std::string name;
    int within = 8;
    std::vector<std::string> phrases;
    // Another context whose phrases end this one's reach: a phrase of it
    // between this context's phrase and the match means the match is about
    // someone else ("voor onze bewoners zoeken wij ... maximaal 30 jaar").
    std::string ended_by;
    int line = 1;
    int column = 1;
};

struct LexiconEntry {
    std::string phrase;
    std::string category;
    std::vector<std::string> unless_followed_by;  // next word (any case) that makes a match allowed
    std::vector<std::string> unless_preceded_by;  // previous word that makes a match allowed
    std::string only_after;                       // name of a LexiconContext, or empty
    std::string unless_after;                     // name of a LexiconContext whose phrases allow a match
    // Phrases (the lexicon's syntax) whose presence anywhere in the same text
    // makes every match of this entry allowed ("verkoopster (m/v)").
    std::vector<std::string> unless_text_mentions;
    int line = 1;    // where the entry was written (1-based), for diagnostics
    int column = 1;
};

class Lexicon {
public:
    // Compiles entries; every bad entry adds a Diagnostic in `file` at its position.
    // An entry's only_after must name one of `contexts`.
    static std::shared_ptr<const Lexicon> compile(const std::vector<LexiconEntry>& entries,
                                                  const std::string& file,
                                                  std::vector<Diagnostic>& diagnostics,
                                                  const std::vector<LexiconContext>& contexts = {});
    // True when text contains some phrase outside its allowed contexts.
    // Any bytes are accepted (invalid UTF-8 reads as U+FFFD).
    bool matches(std::string_view text) const;
    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        std::string body;     // the phrase's expression, without boundaries
        std::string pattern;  // the phrase with Unicode word boundaries
        std::unique_ptr<RE2> re;
        std::vector<std::string> followed;
        std::vector<std::string> preceded;
        struct Window {
            int within = 0;                              // in words
            std::vector<std::vector<std::string>> phrases;  // as folded words; empty: none
            std::vector<std::vector<std::string>> ended_by;  // LexiconContext::ended_by's phrases
        };
        Window context;  // only_after
        Window allowed;  // unless_after
        std::string text_exception_pattern;                // unless_text_mentions, "" for none
        std::unique_ptr<RE2> text_exception;
        bool broken = false;  // RE2 refused re or text_exception (see entry_matches)
    };
    // True when a phrase of the window occurs within its last words before
    // `begin`, and no phrase of its ended_by starts after it.
    static bool in_window(const Entry::Window& window, std::string_view text, std::size_t begin);
    // text is folded already; entry from entry().
    bool entry_matches(const Entry& entry, std::string_view text) const;
    // Entry i with its expressions compiled (on first use; thread-safe).
    const Entry& entry(std::size_t i) const;
    // Compiles the set of phrase bodies on first use. The boundary-wrapped
    // expressions (the Unicode boundary classes make them costly to build,
    // tens of ms in all) are compiled per entry when the set first finds its
    // phrase: a scan that reads no vacancy text, or no text with that
    // phrase, never builds them. Thread-safe.
    void prepare() const;

    std::string m_any_pattern;
    mutable std::once_flag m_prepared;
    // Every phrase's body in one automaton that tells which of them occur
    // (one pass over the text); only those entries are then checked with
    // their boundaries and contexts. Null when RE2 refused the set (a
    // lexicon of many thousands of phrases): then m_any, the union as one
    // expression, is a first pass and every entry is tried after it.
    mutable std::unique_ptr<RE2::Set> m_set;
    mutable std::unique_ptr<RE2> m_any;
    mutable std::vector<Entry> m_entries;
    mutable std::unique_ptr<std::once_flag[]> m_compiled;  // per entry, for entry()
};

// Translates the phrase syntax to an RE2 pattern body over folded text
// (literals are folded); error set on failure.
std::string phrase_to_regex(std::string_view phrase, std::string& error);

// Loads a lexicon data file (YAML: `phrases:` list). Problems go to diagnostics.
std::shared_ptr<const Lexicon> load_lexicon_file(const std::string& path, std::vector<Diagnostic>& diagnostics);

}  // namespace spiegel::rules
