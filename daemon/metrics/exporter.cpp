#include "daemon/metrics/exporter.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>
#include <vector>

namespace spiegel::metrics {

class Snapshot {
public:
    std::vector<prometheus::MetricFamily> families;
};

struct Exporter::Impl {
    std::string version;
    prometheus::Registry registry;
    prometheus::Family<prometheus::Gauge>* build_info = nullptr;
    mutable std::mutex mutex;
    std::shared_ptr<const Snapshot> snapshot;
};

Exporter::Exporter(std::string version) : m_impl(std::make_unique<Impl>()) {
    m_impl->version = std::move(version);
    m_impl->build_info = &prometheus::BuildGauge()
                              .Name("spiegel_build_info")
                              .Help("Build information; always 1.")
                              .Register(m_impl->registry);
    m_impl->build_info->Add({{"version", m_impl->version}}).Set(1);
}

Exporter::~Exporter() = default;

void Exporter::publish(std::shared_ptr<const Snapshot> snapshot) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->snapshot = std::move(snapshot);
}

void Exporter::scan_started() {}
void Exporter::scan_finished(const ScanEvent&) {}
void Exporter::rules_reloaded(bool, std::size_t) {}
void Exporter::http_request(std::string_view, int, double) {}
void Exporter::personal_card_read(std::string_view) {}

std::string Exporter::render() const {
    std::vector<prometheus::MetricFamily> families = m_impl->registry.Collect();
    std::shared_ptr<const Snapshot> snapshot;
    {
        std::lock_guard lock(m_impl->mutex);
        snapshot = m_impl->snapshot;
    }
    if (snapshot) {
        families.insert(families.end(), snapshot->families.begin(), snapshot->families.end());
    }
    return prometheus::TextSerializer().Serialize(families);
}

util::Expected<std::shared_ptr<const Snapshot>> build_snapshot(store::StateDb&, const rules::RuleSet&, int) {
    return std::shared_ptr<const Snapshot>(std::make_shared<Snapshot>());
}

}  // namespace spiegel::metrics
