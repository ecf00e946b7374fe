#pragma once
// Phrase lexicons (docs/rules.md, "Lexicons"): case-insensitive, whole-word
// phrases with flexible whitespace, alternatives {a|b}, number ranges <15-70>
// and allowed-context exceptions (unless_followed_by / unless_preceded_by).
// Matching is linear-time (RE2). Immutable after compile; thread-safe.

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/rules/rule_set.h"

namespace spiegel::rules {

struct LexiconEntry {
    std::string phrase;
    std::string category;
    std::vector<std::string> unless_followed_by;  // next word (any case) that makes a match allowed
    std::vector<std::string> unless_preceded_by;  // previous word that makes a match allowed
    int line = 1;    // where the entry was written (1-based), for diagnostics
    int column = 1;
};

class Lexicon {
public:
    // Compiles entries; every bad entry adds a Diagnostic in `file` at its position.
    static std::shared_ptr<const Lexicon> compile(const std::vector<LexiconEntry>& entries,
                                                  const std::string& file,
                                                  std::vector<Diagnostic>& diagnostics);
    // True when text contains some phrase outside its allowed contexts.
    bool matches(std::string_view text) const;
    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        std::string pattern;  // the phrase with Unicode word boundaries
        std::unique_ptr<RE2> re;
        std::vector<std::string> followed;
        std::vector<std::string> preceded;
    };
    bool entry_matches(const Entry& entry, std::string_view text) const;
    // Compiles the boundary-wrapped expressions on first use: the Unicode
    // boundary classes make them costly to build (tens of ms), and a scan that
    // reads no vacancy text never needs them. Thread-safe.
    void prepare() const;

    std::string m_any_pattern;
    mutable std::once_flag m_prepared;
    mutable std::unique_ptr<RE2> m_any;  // union of all phrases: a cheap first pass (null: none)
    mutable std::vector<Entry> m_entries;
    mutable bool m_broken = false;       // an entry failed to compile at first use (see prepare)
};

// Translates the phrase syntax to an RE2 pattern body; error set on failure.
std::string phrase_to_regex(std::string_view phrase, std::string& error);

// Loads a lexicon data file (YAML: `phrases:` list). Problems go to diagnostics.
std::shared_ptr<const Lexicon> load_lexicon_file(const std::string& path, std::vector<Diagnostic>& diagnostics);

}  // namespace spiegel::rules
