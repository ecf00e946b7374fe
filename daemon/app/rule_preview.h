#pragma once
// `spiegeld rules preview` and `POST /-/reload?dry_run=1`
// (docs/rules.md#previewing-a-change): a candidate rule set evaluated over
// the whole current source at the as-of instant of the stored results, and
// compared with those results. Writes nothing: the source and the state
// database are opened read-only and the scan's results go to an
// engine::PreviewSink. Safe to run beside the daemon and its scans.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "daemon/app/config.h"
#include "daemon/engine/preview.h"
#include "daemon/http/router.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/clock.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

struct RulePreview {
    std::string rules_directory;       // of the candidate set
    std::int64_t scan_id = 0;          // the stored results compared with
    std::int64_t as_of = 0;            // their as-of instant, used for the candidate too
    bool source_changed_since_scan = false;  // the source changed after that scan read it
    int min_cell = 10;                 // privacy.min_cell: smaller region/target-group cells are hidden
    double seconds = 0;                // time the preview took
    engine::PreviewResult result;
};

// Errors: no completed scan to compare with, a database that cannot be
// opened or read, a scan that completed while the stored results were read.
util::Expected<RulePreview> run_rule_preview(const Config& config, const rules::RuleSet& candidate,
                                             const std::string& candidate_dir, const util::Clock& clock);

// The JSON answer (docs/cli.md: {"rules": [{"id", "newly_failing", "newly_passing"}, ...], ...}).
nlohmann::json rule_preview_json(const RulePreview& preview);
// The same for people (English labels; rule ids, codes and figures).
std::string rule_preview_text(const RulePreview& preview);

// The answer of POST /-/reload?dry_run=1: the configuration file of the
// running daemon loaded again as a reload would, and its rules previewed
// against the running daemon's databases. 400 with the problems when the
// configuration or rules do not load (as the reload), 503 without a
// completed scan, 200 with rule_preview_json otherwise. Swaps nothing.
http::Response dry_run_reload(const Config& running, const rules::RuleSet& in_force, const util::Clock& clock);

}  // namespace spiegel::app
