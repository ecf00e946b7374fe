#include "daemon/cards/peer_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace spiegel::cards {
namespace {

void read_cells(SQLite::Database& db, const std::string& isco, const std::string& region,
                PeerCells& cells) {
    SQLite::Statement peers(db,
                            "SELECT kind, attribute, value, count FROM peer_stat "
                            "WHERE occupation = ? AND region = ? AND kind IN ('cv', 'vacancy')");
    peers.bind(1, isco);
    peers.bind(2, region);
    while (peers.executeStep()) {
        const std::string kind = peers.getColumn(0).getString();
        AttributeCounts& target = kind == "cv" ? cells.cv : cells.vacancy;
        target[peers.getColumn(1).getString()][peers.getColumn(2).getString()] +=
            peers.getColumn(3).getInt64();
    }
    // Score sums are kept per cell at scan time (attribute score_tenths).
    const auto total = [](const AttributeCounts& counts, const char* attribute) -> std::int64_t {
        const auto a = counts.find(attribute);
        return a == counts.end() || !a->second.count("") ? 0 : a->second.at("");
    };
    for (auto [counts, scores] : {std::pair{&cells.cv, &cells.cv_scores}, std::pair{&cells.vacancy, &cells.vacancy_scores}}) {
        scores->records = total(*counts, "count");
        scores->sum = static_cast<double>(total(*counts, "score_tenths")) / 10.0;
        counts->erase("score_tenths");
    }
}

}  // namespace

PeerData read_peer_cells(SQLite::Database& db, const std::string& isco, const std::string& region) {
    PeerData data;
    read_cells(db, isco, "", data.national);
    if (!region.empty()) {
        data.regional.emplace();
        read_cells(db, isco, region, *data.regional);
    }
    return data;
}

}  // namespace spiegel::cards
