// Rule impact preview: a candidate rule set over the current source,
// compared with the stored results (docs/rules.md#previewing-a-change).

#include "daemon/app/rule_preview.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "daemon/app/settings.h"
#include "daemon/app/source_access.h"
#include "daemon/engine/scanner.h"
#include "daemon/model/code_lists.h"
#include "daemon/store/sqlite_process.h"
#include "daemon/store/state_db.h"
#include "daemon/util/printable.h"
#include "daemon/util/time.h"

namespace spiegel::app {
namespace {

using model::Kind;

constexpr std::size_t k_top_rules = 10;
constexpr std::size_t k_text_groups = 15;  // group lines of the text answer

// The stored results of every kind into the sink; the scan they belong to.
util::Expected<store::ScanInfo> read_stored(const Config& config, engine::PreviewSink& sink) {
    auto state = store::StateDb::open_read_only(config.state.database);
    if (!state) {
        return util::Error{"no stored results to compare with (" + state.error().message +
                           "); run `spiegeld scan` first"};
    }
    auto before = (*state)->last_completed_scan();
    if (!before) {
        return before.error();
    }
    if (!*before) {
        return util::Error{"no completed scan in " + config.state.database +
                           " to compare with; run `spiegeld scan` first"};
    }
    for (Kind kind : model::k_all_kinds) {
        auto st = (*state)->for_each_result(kind, [&](const engine::ResultRow& row) { sink.add_stored(kind, row); });
        if (!st) {
            return st.error();
        }
    }
    // The rows were read kind by kind: a scan completing in between would mix two scans.
    auto after = (*state)->last_completed_scan();
    if (!after) {
        return after.error();
    }
    if (!*after || (*after)->id != (*before)->id) {
        return util::Error{"a scan completed while the stored results were read; run the preview again"};
    }
    return **before;
}

double ratio(std::int64_t part, std::int64_t whole) {
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// Rounded to `scale` (100: two decimals); dividing by the exact scale keeps
// the JSON short (0.5407, not 0.5407000000000001).
double round_to(double value, double scale) { return std::round(value * scale) / scale; }

std::string group_value(const engine::GroupChange& g) {
    if (!g.value.empty()) {
        return g.value;
    }
    return g.split == engine::k_split_region ? "unknown" : g.split == engine::k_split_target_group ? "none" : "";
}

// Totals per kind are never hidden; a region or target group under min_cell is.
bool suppressed(const engine::GroupChange& g, int min_cell) {
    return g.split != engine::k_split_all && g.records < min_cell;
}

struct GroupFigures {
    double avg_before, avg_after, share_before, share_after;
};

GroupFigures figures(const engine::GroupChange& g) {
    return {round_to(ratio(g.score_tenths_before, g.records) / 10.0, 100),
            round_to(ratio(g.score_tenths_after, g.records) / 10.0, 100),
            round_to(ratio(g.failing_before, g.records), 10000), round_to(ratio(g.failing_after, g.records), 10000)};
}

nlohmann::json rule_json(const engine::RuleChange& r) {
    return {{"id", r.id},
            {"kind", model::kind_name(r.kind)},
            {"newly_failing", r.newly_failing},
            {"newly_passing", r.newly_passing}};
}

// A region or target group a record holds that is not in its code list
// (whatever an ETL wrote: a name, a phone number) is never shown: such
// groups become one "unknown" group per kind and split, as in the metrics.
void fold_uncoded_groups(std::vector<engine::GroupChange>& groups, const model::CodeLists* codes) {
    std::vector<engine::GroupChange> out;
    for (auto& g : groups) {
        const bool region = g.split == engine::k_split_region;
        const bool target = g.split == engine::k_split_target_group;
        const model::CodeList* list = !codes ? nullptr : region ? &codes->regions : target ? &codes->target_groups : nullptr;
        const bool uncoded = list == nullptr || !list->contains(g.value);
        // A missing region is "unknown" too (group_value); no target group stays "none".
        if ((region && (g.value.empty() || uncoded)) || (target && !g.value.empty() && uncoded)) {
            auto it = std::find_if(out.begin(), out.end(), [&](const engine::GroupChange& o) {
                return o.kind == g.kind && o.split == g.split && o.value == "unknown";
            });
            if (it == out.end()) {
                engine::GroupChange u = g;
                u.value = "unknown";
                out.push_back(std::move(u));
            } else {
                it->records += g.records;
                it->score_tenths_before += g.score_tenths_before;
                it->score_tenths_after += g.score_tenths_after;
                it->failing_before += g.failing_before;
                it->failing_after += g.failing_after;
            }
            continue;
        }
        out.push_back(std::move(g));
    }
    groups = std::move(out);
}

}  // namespace

util::Expected<RulePreview> run_rule_preview(const Config& config, const rules::RuleSet& candidate,
                                             const std::string& candidate_dir, const util::Clock& clock) {
    const auto started = clock.monotonic();
    store::disable_sqlite_memory_statistics();
    RulePreview preview;
    preview.rules_directory = candidate_dir;
    preview.min_cell = config.privacy.min_cell;
    engine::PreviewSink sink(candidate);
    auto scan = read_stored(config, sink);
    if (!scan) {
        return scan.error();
    }
    preview.scan_id = scan->id;
    preview.as_of = scan->as_of;
    auto opened = open_scan_source(config);  // sqlite or postgresql (config source.kind)
    if (!opened) {
        return opened.error();
    }
    engine::RecordSource& source = *opened->source;
    auto watermark = source.change_seq();
    if (!watermark) {
        return watermark.error();
    }
    preview.source_changed_since_scan = *watermark != scan->source_seq;
    auto codes = model::CodeLists::load(candidate_dir);
    const engine::EducationRanks ranks = codes ? codes->education_ranks() : engine::EducationRanks{};
    engine::ScanRequest request;
    request.full = true;
    request.as_of = scan->as_of;
    request.ranks = &ranks;
    engine::Scanner scanner(candidate, source);
    auto summary = scanner.run(request, sink);
    if (!summary) {
        return summary.error();
    }
    preview.result = sink.finish();
    fold_uncoded_groups(preview.result.groups, codes ? &*codes : nullptr);
    preview.seconds = std::chrono::duration<double>(clock.monotonic() - started).count();
    return preview;
}

nlohmann::json rule_preview_json(const RulePreview& p) {
    nlohmann::json out;
    out["rules_directory"] = p.rules_directory;
    out["scan_id"] = p.scan_id;
    out["as_of"] = util::format_timestamp(p.as_of);
    out["source_changed_since_scan"] = p.source_changed_since_scan;
    out["min_cell"] = p.min_cell;
    out["seconds"] = round_to(p.seconds, 1000);
    nlohmann::json records = nlohmann::json::object();
    for (Kind kind : model::k_all_kinds) {
        const auto& k = p.result.kinds[static_cast<std::size_t>(kind)];
        records[std::string(model::kind_name(kind))] = {{"compared", k.compared},
                                                        {"changed", k.changed},
                                                        {"not_stored", k.not_stored},
                                                        {"stored_not_seen", k.stored_not_seen}};
    }
    out["records"] = std::move(records);
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : p.result.rules) {
        rules.push_back(rule_json(r));
    }
    out["rules"] = std::move(rules);
    nlohmann::json top = nlohmann::json::array();
    for (const auto& r : engine::top_changed_rules(p.result.rules, k_top_rules)) {
        top.push_back(rule_json(r));
    }
    out["top_changed_rules"] = std::move(top);
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : p.result.groups) {
        nlohmann::json j = {{"kind", model::kind_name(g.kind)}, {"split", g.split}, {"value", group_value(g)}};
        if (suppressed(g, p.min_cell)) {
            j["suppressed"] = true;
        } else {
            const GroupFigures f = figures(g);
            j["records"] = g.records;
            j["avg_score_before"] = f.avg_before;
            j["avg_score_after"] = f.avg_after;
            j["avg_score_change"] = round_to(f.avg_after - f.avg_before, 100);
            j["failing_share_before"] = f.share_before;
            j["failing_share_after"] = f.share_after;
            j["failing_share_change"] = round_to(f.share_after - f.share_before, 10000);
        }
        groups.push_back(std::move(j));
    }
    out["groups"] = std::move(groups);
    return out;
}

std::string rule_preview_text(const RulePreview& p) {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "Preview of %s against scan %lld (as of %s), %.1f s\n",
                  util::quoted(p.rules_directory).c_str(), static_cast<long long>(p.scan_id),
                  util::format_timestamp(p.as_of).c_str(), p.seconds);
    out += line;
    if (p.source_changed_since_scan) {
        out += "Note: the source changed after that scan; changed records move for that reason too.\n";
    }
    for (Kind kind : model::k_all_kinds) {
        const auto& k = p.result.kinds[static_cast<std::size_t>(kind)];
        std::snprintf(line, sizeof line, "  %-9s %lld compared, %lld changed; %lld new, %lld gone since the scan\n",
                      std::string(model::kind_name(kind)).c_str(), static_cast<long long>(k.compared),
                      static_cast<long long>(k.changed), static_cast<long long>(k.not_stored),
                      static_cast<long long>(k.stored_not_seen));
        out += line;
    }
    const auto top = engine::top_changed_rules(p.result.rules, k_top_rules);
    out += top.empty() ? "No rule changes a result.\n" : "Rules that change most (newly failing / newly passing):\n";
    for (const auto& r : top) {
        std::snprintf(line, sizeof line, "  %-40s +%lld / -%lld\n", util::printable(r.id, 120).c_str(),
                      static_cast<long long>(r.newly_failing), static_cast<long long>(r.newly_passing));
        out += line;
    }
    // Totals per kind first, then the regions and target groups that move most.
    std::vector<const engine::GroupChange*> changed;
    for (const auto& g : p.result.groups) {
        const GroupFigures f = figures(g);
        if (!suppressed(g, p.min_cell) && (f.avg_before != f.avg_after || f.share_before != f.share_after)) {
            changed.push_back(&g);
        }
    }
    std::stable_sort(changed.begin(), changed.end(), [](const engine::GroupChange* x, const engine::GroupChange* y) {
        const bool x_all = x->split == engine::k_split_all;
        const bool y_all = y->split == engine::k_split_all;
        if (x_all != y_all) {
            return x_all;
        }
        const GroupFigures fx = figures(*x);
        const GroupFigures fy = figures(*y);
        return std::abs(fx.share_after - fx.share_before) > std::abs(fy.share_after - fy.share_before);
    });
    if (!changed.empty()) {
        out += "Groups that change most (average score, share failing any rule; before -> after):\n";
    }
    for (std::size_t i = 0; i < changed.size() && i < k_text_groups; ++i) {
        const engine::GroupChange& g = *changed[i];
        const GroupFigures f = figures(g);
        std::snprintf(line, sizeof line, "  %-9s %-13s %-14s %6lld  %6.2f -> %6.2f   %5.1f%% -> %5.1f%%\n",
                      std::string(model::kind_name(g.kind)).c_str(), g.split.c_str(),
                      util::printable(group_value(g), 40).c_str(), static_cast<long long>(g.records), f.avg_before,
                      f.avg_after, 100 * f.share_before, 100 * f.share_after);
        out += line;
    }
    if (changed.size() > k_text_groups) {
        out += "  ... " + std::to_string(changed.size() - k_text_groups) + " more groups change (--format json lists all)\n";
    }
    std::snprintf(line, sizeof line, "Regions and target groups under %d records are not shown.\n", p.min_cell);
    out += line;
    return out;
}

http::Response dry_run_reload(const Config& running, const rules::RuleSet& in_force, const util::Clock& clock) {
    auto loaded = load_settings(running.file, &in_force);
    if (const auto* error = std::get_if<SettingsError>(&loaded)) {
        return http::json_error(400, error->message);
    }
    const auto& next = std::get<std::shared_ptr<const Settings>>(loaded);
    try {
        auto preview = run_rule_preview(running, *next->rules, next->config->rules.directory, clock);
        if (!preview) {
            return http::json_error(503, preview.error().message);
        }
        return http::json_response(200, rule_preview_json(*preview));
    } catch (const std::exception& e) {
        return http::json_error(500, std::string("rules preview failed: ") + e.what());
    }
}

}  // namespace spiegel::app
