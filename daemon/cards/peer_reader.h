#pragma once
// Reads the peer statistics of one occupation from the state database
// (peer_stat and result tables, docs/state-schema.md) into PeerData.
// Opens its own read-only connection per call; safe from any thread.

#include <string>

#include "daemon/cards/occupation_card.h"
#include "daemon/util/expected.h"

namespace SQLite {
class Database;
}

namespace spiegel::cards {

// Errors: the database cannot be opened or read (no personal data in them).
util::Expected<PeerData> read_peer_data(const std::string& state_db_path, const std::string& isco,
                                        const std::string& region);

// The same on an open connection, inside the caller's read transaction.
// Throws SQLite::Exception when the database cannot be read.
PeerData read_peer_cells(SQLite::Database& db, const std::string& isco, const std::string& region);

}  // namespace spiegel::cards
