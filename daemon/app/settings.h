#pragma once
// What one load of the configuration produced: the config, the compiled
// rules, the cards' catalog and the rules' fingerprint, immutable and
// shared. The daemon keeps the current one in a SettingsStore; a reload
// swaps in a whole new one, so every reader sees one consistent set.

#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/cards/personal_card.h"
#include "daemon/model/code_lists.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

struct Settings {
    std::shared_ptr<const Config> config;
    std::shared_ptr<const rules::RuleSet> rules;
    std::shared_ptr<const model::CodeLists> codes;  // rules/codes/*.csv
    // Code lists and rule texts for the cards.
    std::shared_ptr<const cards::CardCatalog> catalog;
    std::string fingerprint;  // of the rules directory; a change forces a full scan
};

// Why load_settings failed. config: the file itself is broken (then
// diagnostics is empty and message says where). A code list that does not
// load is a rules problem (one diagnostic naming the file).
struct SettingsError {
    bool config = false;
    std::string message;                       // every problem, one per line
    std::vector<rules::Diagnostic> diagnostics;  // the rules' problems
};

// Loads and validates the config file and its rules. Never throws.
// `in_force`: the rules a reload would replace. Rules that leave a kind
// without an enabled rule while `in_force` has some are refused: an empty
// or truncated rule file would otherwise score every record of that kind
// 100 (docs/daemon.md, "Signals and reload").
std::variant<std::shared_ptr<const Settings>, SettingsError> load_settings(const std::string& config_file,
                                                                          const rules::RuleSet* in_force = nullptr);

// The current settings. Thread-safe.
class SettingsStore {
public:
    explicit SettingsStore(std::shared_ptr<const Settings> initial) : m_current(std::move(initial)) {}
    std::shared_ptr<const Settings> current() const {
        std::lock_guard lock(m_mutex);
        return m_current;
    }
    void replace(std::shared_ptr<const Settings> next) {
        std::lock_guard lock(m_mutex);
        m_current = std::move(next);
    }

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const Settings> m_current;
};

}  // namespace spiegel::app
