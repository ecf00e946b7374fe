#pragma once
// Reads what a mirror card is built from (card_input.h) out of the state
// database (result, score_history, peer_group, scan) and the source
// database (contact details, a vacancy's employer id). Keeps its two
// read-only connections and prepared statements open between calls, so a
// card costs a few index lookups; reads the state of one card inside one
// read transaction (one consistent scan). Never writes, and never upgrades
// a state database of an older schema version (an error says so). Not
// thread-safe: one reader per thread. After an error the connections are
// dropped and reopened on the next call (a database replaced on disk is
// picked up).

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "daemon/store/card_input.h"
#include "daemon/store/pg_conn.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

class PgLookup;

// The peer groups the cards read (an occupation's national cell, or a minor
// group's national cells summed), kept per completed scan and shared by the
// card readers of one daemon: a group changes only when a scan commits, and
// cards ask for a few hundred groups (one per occupation and minor group),
// however many records there are. Thread-safe; at most max_groups kept
// (when full it starts over).
class PeerGroupCache {
public:
    struct Group {
        std::shared_ptr<const AttributeCounts> counts;  // the group's peer attributes but the histogram
        std::shared_ptr<const RankedAttributes> ranked;  // rank_attributes(*counts): points into it
        std::vector<std::pair<std::int64_t, std::int64_t>> histogram;  // score in tenths -> members
    };
    explicit PeerGroupCache(std::size_t max_groups = 4096) : m_max(max_groups) {}
    std::shared_ptr<const Group> find(const std::string& key) const;
    void put(const std::string& key, std::shared_ptr<const Group> group);

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<const Group>> m_groups;
    std::size_t m_max;
};

class CardReader {
public:
    CardReader(std::string state_db, std::string source_db);
    // With a PostgreSQL source (source_pg.conninfo not empty) the contact
    // details and a vacancy's employer id are read from it, not from source_db.
    // With `peer_cache`, peer groups are read once per completed scan and
    // shared through it.
    CardReader(std::string state_db, std::string source_db, PgSettings source_pg,
               std::shared_ptr<PeerGroupCache> peer_cache = nullptr);
    ~CardReader();
    CardReader(const CardReader&) = delete;
    CardReader& operator=(const CardReader&) = delete;

    const std::string& state_db() const { return m_state_path; }
    const std::string& source_db() const { return m_source_path; }

    // The CV's card input; empty when the state has no result for that id.
    // Contact details only with include_contact; min_cell decides whether
    // the minor group must be read too. Errors: a database cannot be opened
    // or read (the message names the file, never data).
    util::Expected<std::optional<CvCardInput>> read_cv(const std::string& id, bool include_contact,
                                                       int min_cell);
    util::Expected<std::optional<VacancyCardInput>> read_vacancy(const std::string& id, int min_cell);
    // The occupation card's peer cells of isco, national and (when region
    // is not empty) regional.
    util::Expected<PeerData> read_occupation(const std::string& isco, const std::string& region);
    // Names what the state database holds now: the latest completed scan
    // (id, start and end time), "" before the first. Every card read of the same
    // name reads the same data (the cards' response caches key on it).
    util::Expected<std::string> state_version();

    struct Impl;  // connections and prepared statements (card_reader.cpp)

private:
    std::string m_state_path;
    std::string m_source_path;
    std::unique_ptr<Impl> m_impl;
    std::unique_ptr<PgLookup> m_pg;  // set for a PostgreSQL source
    std::shared_ptr<PeerGroupCache> m_peer_cache;  // may be null
};

}  // namespace spiegel::store
