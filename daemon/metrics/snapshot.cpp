// build_snapshot: the last-scan families of docs/metrics.md from a scan's
// history and aggregates (snapshot_data()). Split series of fewer than
// min_cell records are left out.
#include <limits>
#include <vector>
#include <utility>

#include "daemon/metrics/exporter.h"
#include "daemon/metrics/snapshot.h"
#include "daemon/metrics/snapshot_data.h"

namespace spiegel::metrics {
namespace {

using model::Kind;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<prometheus::ClientMetric::Label>;

constexpr const char* k_last = " (last completed scan).";

MetricFamily family(const std::string& name, const std::string& help, MetricType type = MetricType::Gauge) {
    MetricFamily f;
    f.name = name;
    f.help = help + k_last;
    f.type = type;
    return f;
}

void gauge(MetricFamily& f, Labels labels, double value) {
    prometheus::ClientMetric m;
    m.label = std::move(labels);
    m.gauge.value = value;
    f.metric.push_back(std::move(m));
}

std::string kind_label(Kind kind) { return std::string(model::kind_name(kind)); }

double average(const engine::GroupStats& g) { return static_cast<double>(g.score_tenths) / 10.0 / static_cast<double>(g.records); }

class Builder {
public:
    Builder(const SnapshotData& data, const rules::RuleSet& rules, int min_cell)
        : m_data(data), m_rules(rules), m_min_cell(min_cell) {}

    std::vector<MetricFamily> build() {
        history();
        totals();
        dimensions();
        rule_counts();
        split("region", "labour_market_region", "labour-market region", &KindData::region);
        split("target_group", "target_group", "target group (a record may be in several)",
              &KindData::target_group);
        split("occupation_major_group", "occupation_major_group", "ISCO-08 major group",
              &KindData::major_group);
        failing_by_region();
        profiles();
        std::erase_if(m_out, [](const MetricFamily& f) { return f.metric.empty(); });
        return std::move(m_out);
    }

private:
    bool shown(std::int64_t records) const { return records > 0 && records >= m_min_cell; }
    const KindData& kind(Kind k) const { return m_data.kinds[static_cast<std::size_t>(k)]; }

    void history() {
        auto at = family("spiegel_last_scan_success_timestamp_seconds",
                         "When the last successful scan of that type finished, Unix time");
        auto took = family("spiegel_scan_duration_seconds", "Duration of the last completed scan of that type");
        for (const auto& [name, info] : {std::pair{"full", &m_data.history.last_full},
                                         std::pair{"incremental", &m_data.history.last_incremental}}) {
            if (*info) {
                gauge(at, {{"scan", name}}, static_cast<double>((*info)->finished_at));
                gauge(took, {{"scan", name}}, static_cast<double>((*info)->duration_ms) / 1000.0);
            }
        }
        m_out.push_back(std::move(at));
        m_out.push_back(std::move(took));
    }

    void totals() {
        auto records = family("spiegel_records", "Records with a current result");
        auto unreadable =
            family("spiegel_unreadable_records", "Records with a stored value that could not be read");
        auto avg = family("spiegel_score_average", "Average record score, 0..100");
        auto hist = family("spiegel_record_score", "Record scores, 0..100", MetricType::Histogram);
        for (Kind k : model::k_all_kinds) {
            const engine::GroupStats& g = kind(k).total;
            gauge(records, {{"kind", kind_label(k)}}, static_cast<double>(g.records));
            gauge(unreadable, {{"kind", kind_label(k)}}, static_cast<double>(g.unreadable));
            if (g.records > 0) {
                gauge(avg, {{"kind", kind_label(k)}}, average(g));
            }
            prometheus::ClientMetric m;
            m.label = {{"kind", kind_label(k)}};
            m.histogram.sample_count = static_cast<std::uint64_t>(g.records);
            m.histogram.sample_sum = static_cast<double>(g.score_tenths) / 10.0;
            std::int64_t cumulative = 0;
            for (std::size_t b = 0; b < g.buckets.size(); ++b) {
                cumulative += g.buckets[b];
                m.histogram.bucket.push_back({static_cast<std::uint64_t>(cumulative), 10.0 * (b + 1.0)});
            }
            m.histogram.bucket.push_back(
                {static_cast<std::uint64_t>(g.records), std::numeric_limits<double>::infinity()});
            hist.metric.push_back(std::move(m));
        }
        for (auto* f : {&records, &unreadable, &avg, &hist}) {
            m_out.push_back(std::move(*f));
        }
    }

    void dimensions() {
        auto avg = family("spiegel_dimension_score_average",
                          "Average per-dimension score (0..100) over records where the dimension applies");
        for (Kind k : model::k_all_kinds) {
            const engine::GroupStats& total = kind(k).total;
            for (std::size_t d = 0; d < rules::k_dimension_count; ++d) {
                if (total.dimension_records[d] > 0) {
                    gauge(avg, {{"kind", kind_label(k)},
                                {"dimension", std::string(rules::dimension_name(static_cast<rules::Dimension>(d)))}},
                          static_cast<double>(total.dimension_tenths[d]) / 10.0 /
                              static_cast<double>(total.dimension_records[d]));
                }
            }
        }
        m_out.push_back(std::move(avg));
    }

    static std::int64_t count_of(const engine::StringMap<std::int64_t>& counts, const std::string& rule) {
        const auto it = counts.find(rule);
        return it == counts.end() ? 0 : it->second;
    }

    void rule_counts() {
        auto failing = family("spiegel_rule_failing_records", "Records failing the rule");
        auto applicable = family("spiegel_rule_applicable_records", "Records the rule applies to");
        std::size_t enabled = 0;
        for (Kind k : model::k_all_kinds) {
            for (const rules::RuleInfo& rule : m_rules.rules(k)) {
                if (!rule.enabled) {
                    continue;
                }
                ++enabled;
                Labels labels = {{"kind", kind_label(k)},
                                 {"rule", rule.id},
                                 {"dimension", std::string(rules::dimension_name(rule.dimension))}};
                const engine::GroupStats& total = kind(k).total;
                if (total.rated == total.records) {
                    gauge(applicable, labels, static_cast<double>(total.rated - count_of(total.not_applicable, rule.id)));
                }
                gauge(failing, std::move(labels), static_cast<double>(count_of(kind(k).total.failing, rule.id)));
            }
        }
        m_out.push_back(std::move(failing));
        m_out.push_back(std::move(applicable));
    }

    void split(const std::string& name, const std::string& label, const std::string& what,
               SplitData KindData::*member) {
        auto records = family("spiegel_" + name + "_records", "Records per " + what);
        auto avg = family("spiegel_" + name + "_score_average", "Average record score per " + what);
        for (Kind k : model::k_all_kinds) {
            for (const auto& [value, g] : kind(k).*member) {
                if (!shown(g.records)) {
                    continue;
                }
                gauge(records, {{"kind", kind_label(k)}, {label, value}}, static_cast<double>(g.records));
                gauge(avg, {{"kind", kind_label(k)}, {label, value}}, average(g));
            }
        }
        m_out.push_back(std::move(records));
        m_out.push_back(std::move(avg));
    }

    void failing_by_region() {
        auto f = family("spiegel_rule_failing_records_by_region", "Records failing the rule per labour-market region");
        for (Kind k : model::k_all_kinds) {
            for (const auto& [region, g] : kind(k).region) {
                if (!shown(g.records)) {
                    continue;
                }
                for (const rules::RuleInfo& rule : m_rules.rules(k)) {
                    // The profile rule applies to banenafspraak CVs only: its
                    // failing count per region counts people with a work
                    // disability. Left out in every region (the region's
                    // ratio, shown from k such CVs on, is what dashboards
                    // use): left out only where they are fewer than k, the
                    // national total minus the regions shown would give
                    // the hidden region's count back.
                    const bool group_count = k == Kind::cv && rule.id == engine::k_profile_rule;
                    if (rule.enabled && !group_count) {
                        gauge(f, {{"kind", kind_label(k)}, {"rule", rule.id}, {"labour_market_region", region}},
                              static_cast<double>(count_of(g.failing, rule.id)));
                    }
                }
            }
        }
        m_out.push_back(std::move(f));
    }

    // Banenafspraak CVs (GroupStats::profiles) with a complete profile, per
    // region and per target group of those CVs.
    void profiles() {
        const rules::RuleInfo* rule = m_rules.find(std::string(engine::k_profile_rule));
        if (rule == nullptr || !rule->enabled) {
            return;
        }
        const std::string share = "Share of banenafspraak CVs with a complete profile (passing " +
                                  std::string(engine::k_profile_rule) + ")";
        auto by_region = family("spiegel_cv_complete_profile_ratio", share + " per labour-market region");
        auto by_group = family("spiegel_cv_complete_profile_by_target_group_ratio", share + " per target group");
        auto ratio = [](const engine::GroupStats& g) {
            return 1.0 - static_cast<double>(g.profiles_failing) / static_cast<double>(g.profiles);
        };
        const KindData& cvs = kind(Kind::cv);
        for (const auto& [region, g] : cvs.region) {
            if (shown(g.profiles)) {
                gauge(by_region, {{"labour_market_region", region}}, ratio(g));
            }
        }
        for (const auto& [group, g] : cvs.target_group) {
            if (group != "none" && shown(g.profiles)) {
                gauge(by_group, {{"target_group", group}}, ratio(g));
            }
        }
        auto complete = family("spiegel_cv_complete_profiles", "Banenafspraak CVs with a complete profile");
        gauge(complete, {}, static_cast<double>(cvs.total.profiles - cvs.total.profiles_failing));
        auto all = family("spiegel_cv_banenafspraak_profiles", "Banenafspraak CVs");
        gauge(all, {}, static_cast<double>(cvs.total.profiles));
        for (auto* f : {&by_region, &by_group, &complete, &all}) {
            m_out.push_back(std::move(*f));
        }
    }

    const SnapshotData& m_data;
    const rules::RuleSet& m_rules;
    int m_min_cell;
    std::vector<MetricFamily> m_out;
};

}  // namespace

std::shared_ptr<const Snapshot> build_snapshot(const store::LastScan& scan, const rules::RuleSet& rules,
                                               const model::CodeLists& codes, int min_cell) {
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->rules_loaded = rules.enabled_count();
    snapshot->last_attempt_success = scan.history.last_attempt_success;
    if (scan.history.last) {
        snapshot->scan_id = scan.history.last->id;
        snapshot->families = Builder(snapshot_data(scan, LabelVocabulary(codes)), rules, min_cell).build();
    }
    return snapshot;
}

util::Expected<std::shared_ptr<const Snapshot>> load_snapshot(const std::string& state_db,
                                                              const rules::RuleSet& rules,
                                                              const model::CodeLists& codes, int min_cell) {
    auto scan = store::read_last_scan(state_db);
    if (!scan) {
        return scan.error();
    }
    return build_snapshot(*scan, rules, codes, min_cell);
}

}  // namespace spiegel::metrics
