#include "daemon/rules/rule_set.h"

#include <limits>

#include <cmath>

#include "daemon/rules/compiled.h"
#include "daemon/util/printable.h"

namespace spiegel::rules {
namespace {

std::size_t kind_index(model::Kind kind) { return static_cast<std::size_t>(kind); }

double round1(double x) { return std::round(x * 10.0) / 10.0; }

}  // namespace

std::string_view dimension_name(Dimension d) {
    switch (d) {
        case Dimension::completeness:
            return "completeness";
        case Dimension::validity:
            return "validity";
        case Dimension::consistency:
            return "consistency";
        case Dimension::timeliness:
            return "timeliness";
        case Dimension::uniqueness:
            return "uniqueness";
        case Dimension::privacy:
            return "privacy";
    }
    return "?";
}

std::string Diagnostic::to_string() const {
    // The file name may come from a directory listing; messages are escaped
    // where they are built.
    return util::printable(file, util::k_printable_path_bytes) + ":" + std::to_string(line) + ":" +
           std::to_string(column) + ": " + message;
}

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

const std::vector<RuleInfo>& RuleSet::rules(model::Kind kind) const { return m_impl->infos[kind_index(kind)]; }

const RuleInfo* RuleSet::find(std::string_view id) const {
    for (const auto& list : m_impl->infos) {
        for (const auto& info : list) {
            if (info.id == id) {
                return &info;
            }
        }
    }
    return nullptr;
}

std::size_t RuleSet::enabled_count() const {
    std::size_t n = 0;
    for (const model::Kind kind : model::k_all_kinds) {
        n += enabled_count(kind);
    }
    return n;
}

std::size_t RuleSet::enabled_count(model::Kind kind) const {
    std::size_t n = 0;
    for (const auto& info : rules(kind)) {
        n += info.enabled ? 1 : 0;
    }
    return n;
}

model::PerKind<std::size_t> RuleSet::enabled_counts() const {
    model::PerKind<std::size_t> counts{};
    for (const model::Kind kind : model::k_all_kinds) {
        counts[model::index_of(kind)] = enabled_count(kind);
    }
    return counts;
}

std::vector<LostKind> kinds_without_rules(const model::PerKind<std::size_t>& before, const RuleSet& now) {
    std::vector<LostKind> lost;
    for (const model::Kind kind : model::k_all_kinds) {
        const std::size_t had = before[model::index_of(kind)];
        if (had > 0 && now.enabled_count(kind) == 0) {
            lost.push_back({kind, had});
        }
    }
    return lost;
}

std::vector<model::Kind> RuleSet::cross_inputs() const {
    std::vector<model::Kind> out;
    for (model::Kind k : model::k_all_kinds) {
        for (const auto& spec : m_impl->cross_specs) {
            if (spec.enabled && spec.source == k) {
                out.push_back(k);
                break;
            }
        }
    }
    return out;
}

std::vector<bool> RuleSet::cross_fields(model::Kind kind) const {
    std::vector<bool> out(model::schema_for(kind).fields.size(), false);
    std::uint64_t mask = 1;
    for (const auto& spec : m_impl->cross_specs) {
        if (spec.enabled && spec.source == kind) {
            mask |= spec.slots;
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = ((mask >> i) & 1U) != 0;
    }
    return out;
}

std::vector<bool> RuleSet::used_fields(model::Kind kind) const {
    std::vector<bool> out(model::schema_for(kind).fields.size(), false);
    std::uint64_t mask = 1;
    const auto& infos = m_impl->infos[kind_index(kind)];
    const auto& compiled = m_impl->compiled[kind_index(kind)];
    for (std::size_t r = 0; r < infos.size(); ++r) {
        if (infos[r].enabled) {
            mask |= compiled[r].slots;
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = ((mask >> i) & 1U) != 0;
    }
    return out;
}

bool RuleSet::has_cross_rules(model::Kind kind) const {
    const auto& infos = m_impl->infos[kind_index(kind)];
    const auto& compiled = m_impl->compiled[kind_index(kind)];
    for (std::size_t r = 0; r < infos.size(); ++r) {
        if (infos[r].enabled && compiled[r].cross) {
            return true;
        }
    }
    return false;
}

void RuleSet::evaluate(const model::Record& record, const EvalContext& context, Outcome& outcome) const {
    const auto& infos = m_impl->infos[kind_index(record.kind)];
    const auto& compiled = m_impl->compiled[kind_index(record.kind)];
    outcome.states.assign(infos.size(), RuleState::not_applicable);
    outcome.failed.clear();
    outcome.unreadable = false;
    std::uint64_t issue_mask = 0;
    for (const auto& issue : record.issues) {
        issue_mask |= issue.slot < 64 ? (std::uint64_t{1} << issue.slot) : 0;
    }
    std::int64_t horizon = std::numeric_limits<std::int64_t>::max();
    const Env env{record, nullptr, make_as_of(context.as_of), context.cross, m_impl.get(), &horizon};
    double passed = 0;
    double applicable = 0;
    std::array<double, k_dimension_count> dim_passed{};
    std::array<double, k_dimension_count> dim_applicable{};
    for (std::size_t r = 0; r < infos.size(); ++r) {
        const RuleInfo& info = infos[r];
        if (!info.enabled) {
            continue;
        }
        const CompiledRule& rule = compiled[r];
        // A rule reading an unreadable value fails, unless its `when`
        // reads only readable values and says it does not apply (a CV
        // outside banenafspraak with an unreadable hours_per_week).
        RuleState state = RuleState::fail;
        if (rule.when && (rule.when_slots & issue_mask) == 0 && !eval_node(*rule.when, env)) {
            state = RuleState::not_applicable;
        } else if ((rule.slots & issue_mask) != 0) {
            outcome.unreadable = true;
        } else if (eval_node(rule.check, env)) {
            state = RuleState::pass;
        }
        outcome.states[r] = state;
        if (state == RuleState::not_applicable) {
            continue;
        }
        const auto d = static_cast<std::size_t>(info.dimension);
        applicable += info.weight;
        dim_applicable[d] += info.weight;
        if (state == RuleState::pass) {
            passed += info.weight;
            dim_passed[d] += info.weight;
        } else {
            outcome.failed.push_back(static_cast<std::uint16_t>(r));
        }
    }
    outcome.valid_until = horizon;
    outcome.score = applicable > 0 ? round1(100.0 * passed / applicable) : 100.0;
    for (std::size_t d = 0; d < k_dimension_count; ++d) {
        outcome.dimension_scores[d] = dim_applicable[d] > 0 ? round1(100.0 * dim_passed[d] / dim_applicable[d]) : -1.0;
    }
}

}  // namespace spiegel::rules
