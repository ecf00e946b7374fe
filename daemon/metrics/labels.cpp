// Label vocabularies of the split series (docs/metrics.md). The code lists
// mirror rules/codes/regions.csv and target_groups.csv; a test keeps them
// in step. Mapping stored values onto a fixed vocabulary keeps label values
// bounded and free of whatever a source record happened to contain.
#include <algorithm>

#include "daemon/metrics/snapshot.h"

namespace spiegel::metrics {

const std::vector<std::string_view>& known_regions() {
    static const std::vector<std::string_view> k_regions = {
        "AM01", "AM02", "AM03", "AM05", "AM06", "AM07", "AM08", "AM09", "AM10", "AM11", "AM12", "AM13",
        "AM14", "AM15", "AM17", "AM18", "AM19", "AM20", "AM21", "AM22", "AM23", "AM24", "AM25", "AM26",
        "AM27", "AM28", "AM29", "AM30", "AM32", "AM33", "AM34", "AM35", "AM36", "AM37", "AM38"};
    return k_regions;
}

const std::vector<std::string_view>& known_target_groups() {
    static const std::vector<std::string_view> k_groups = {"ww",       "bijstand", "wajong",
                                                           "banenafspraak", "jongeren", "50plus"};
    return k_groups;
}

std::string_view region_label(std::string_view stored) {
    const auto& regions = known_regions();
    const auto it = std::find(regions.begin(), regions.end(), stored);
    return it == regions.end() ? std::string_view("unknown") : *it;
}

std::string_view target_group_label(std::string_view stored) {
    if (stored.empty()) {
        return "none";
    }
    const auto& groups = known_target_groups();
    const auto it = std::find(groups.begin(), groups.end(), stored);
    return it == groups.end() ? std::string_view{} : *it;
}

std::string_view major_group_label(std::string_view stored) {
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
