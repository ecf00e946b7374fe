#pragma once
// Reads the peer statistics of one occupation from the state database
// (peer_stat, docs/state-schema.md) into PeerData, on a connection the
// caller owns (CardReader::read_occupation).

#include <string>

#include "daemon/cards/occupation_card.h"

namespace SQLite {
class Database;
}

namespace spiegel::cards {

// Inside the caller's read transaction. Throws SQLite::Exception when the database cannot be read.
PeerData read_peer_cells(SQLite::Database& db, const std::string& isco, const std::string& region);

}  // namespace spiegel::cards
