#pragma once
// `spiegeld rules suggest` (docs/rules.md#suggested-rules): a profile of
// every field of one record kind in the source, turned into rules that the
// data already meets almost everywhere (at most 1% of the records or values
// would fail each), written as a rule file that `spiegeld check` accepts,
// each rule with a comment giving its evidence. A rule is left out when the
// current rule set already judges that field in that dimension.

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/engine/profile.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

struct SuggestedRule {
    std::string id;         // <kind>.suggested.<field>.<what>
    std::string field;      // top-level field it reads
    rules::Dimension dimension = rules::Dimension::completeness;
    std::string title;      // Dutch
    std::string advice;     // Dutch
    std::string check;      // the condition as YAML (flow style), e.g. "{present: email}"
    std::string evidence;   // one line, English, counts only (never values)
};

// The suggestions for a profile. `rules_dir` holds the code lists
// (codes/*.csv) values are tried against; `existing` is the current set.
std::vector<SuggestedRule> suggest_rules(const engine::KindProfiler& profile, const std::string& rules_dir,
                                         const rules::RuleSet& existing);

// The rule file: header comment, `kind:` and the rules with their evidence.
std::string suggested_rules_yaml(const engine::KindProfiler& profile, const std::vector<SuggestedRule>& rules);

// Reads every record of `kind` from the configured source into a profile.
util::Expected<engine::KindProfiler> profile_source(const Config& config, model::Kind kind, std::int64_t now);

}  // namespace spiegel::app
