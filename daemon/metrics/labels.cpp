// Label vocabularies of the split series (docs/metrics.md), from the
// shipped code lists.
#include <algorithm>

#include "daemon/metrics/snapshot.h"

namespace spiegel::metrics {

namespace {

std::vector<std::string> sorted_codes(const model::CodeList& list) {
    std::vector<std::string> out = list.codes();
    std::sort(out.begin(), out.end());
    return out;
}

std::string_view find(const std::vector<std::string>& sorted, std::string_view code) {
    const auto it = std::lower_bound(sorted.begin(), sorted.end(), code);
    return it != sorted.end() && *it == code ? std::string_view(*it) : std::string_view{};
}

}  // namespace

LabelVocabulary::LabelVocabulary(const model::CodeLists& codes)
    : m_regions(sorted_codes(codes.regions)), m_target_groups(sorted_codes(codes.target_groups)) {}

std::string_view LabelVocabulary::region(std::string_view stored) const {
    const std::string_view known = find(m_regions, stored);
    return known.empty() ? std::string_view("unknown") : known;
}

std::string_view LabelVocabulary::target_group(std::string_view stored) const {
    return stored.empty() ? std::string_view("none") : find(m_target_groups, stored);
}

std::string_view LabelVocabulary::major_group(std::string_view stored) {
    static constexpr std::string_view k_digits = "0123456789";
    if (stored.size() != 1 || stored[0] < '0' || stored[0] > '9') {
        return "unknown";
    }
    return k_digits.substr(static_cast<std::size_t>(stored[0] - '0'), 1);
}

std::size_t Snapshot::series() const {
    std::size_t n = 0;
    for (const auto& f : families) {
        for (const auto& m : f.metric) {
            n += f.type == prometheus::MetricType::Histogram ? m.histogram.bucket.size() + 2 : 1;
        }
    }
    return n;
}

}  // namespace spiegel::metrics
