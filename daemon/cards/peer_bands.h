#pragma once
// Where a CV stands among its peers (docs/web.md, "Pictures"): the peers'
// scores per 10-point band with the CV's own band marked "u bent hier".
// A band of fewer than k CVs is hidden ("<k", no bar). Pure; thread-safe.

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "daemon/util/json_sink.h"

namespace spiegel::cards {

// {"bands": [{"from", "to", "count" | null, "text", "you"}], "text"}.
void write_peer_bands(util::JsonSink& out, const std::array<std::int64_t, 10>& bands, double score, int k);
nlohmann::json peer_bands_json(const std::array<std::int64_t, 10>& bands, double score, int k);

// A histogram of the bands (hidden ones outlined, the own band marked).
std::string peer_bands_svg(const nlohmann::json& peer_bands);

}  // namespace spiegel::cards
