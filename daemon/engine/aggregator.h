#pragma once
// Scan aggregates computed from ResultRows (docs/state-schema.md): per kind
// and per split (all, region, target group, ISCO major group) the record
// count, score sum and histogram, per-dimension score sums, failing and
// not-applicable records per rule, banenafspraak profiles; and the peer
// statistics of the mirror cards per (occupation, region). All counts are
// plain sums, so two aggregates merge by adding. Not thread-safe.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/engine/result.h"
#include "daemon/model/schema.h"

namespace spiegel::engine {

// Score histogram buckets: bucket i counts scores in (10*i, 10*(i+1)],
// bucket 0 also counts 0. Stored cumulatively as le_10 .. le_100.
inline constexpr std::size_t k_histogram_buckets = 10;
std::size_t histogram_bucket(double score);

// Split names of GroupKey.
inline constexpr std::string_view k_split_all = "all";
inline constexpr std::string_view k_split_region = "region";
inline constexpr std::string_view k_split_target_group = "target_group";
inline constexpr std::string_view k_split_isco_major = "isco_major";

// The banenafspraak profiles of the metrics (docs/metrics.md): CVs of this
// target group, and the rule their anonymous profile must pass.
inline constexpr std::string_view k_profile_target_group = "banenafspraak";
inline constexpr std::string_view k_profile_rule = "cv.banenafspraak.complete";

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct GroupStats {
    std::int64_t records = 0;
    std::int64_t unreadable = 0;
    std::int64_t score_tenths = 0;  // sum of scores in tenths (exact, order-independent)
    std::array<std::int64_t, k_histogram_buckets> buckets{};  // not cumulative
    StringMap<std::int64_t> failing;                          // rule id -> failing records
    std::int64_t rated = 0;                                   // records with ResultRow::rated
    StringMap<std::int64_t> not_applicable;                   // rule id -> rated records it skips
    // Per dimension (rules::Dimension order), over the records where a rule
    // of it applies: the sum of their dimension scores in tenths, and how many.
    std::array<std::int64_t, rules::k_dimension_count> dimension_tenths{};
    std::array<std::int64_t, rules::k_dimension_count> dimension_records{};
    std::int64_t profiles = 0;          // CVs of target group k_profile_target_group
    std::int64_t profiles_failing = 0;  // of those, CVs failing k_profile_rule

    void merge(const GroupStats& other);
    bool operator==(const GroupStats& other) const = default;
};

// Peer counts of one (kind, occupation, region) cell; region "" = all regions.
// Keys are "attribute\x1fvalue" (attributes in docs/state-schema.md); a
// visible CV counts under target_group once per code of its target groups.
using PeerCell = StringMap<std::int64_t>;

// Counts per 64-bit key in one open-addressing table: one cache miss per
// add where a node-based map takes several. Not thread-safe.
class FlatCounter {
public:
    // Adds `by` to the count of `key` (never ~0). A count must stay within
    // 32 bits (it counts records); beyond that add() throws.
    void add(std::uint64_t key, std::int64_t by);
    template <class Fn>
    void for_each(Fn&& fn) const {
        for (std::size_t i = 0; i < m_keys.size(); ++i) {
            if (m_keys[i] != k_empty) {
                fn(m_keys[i], static_cast<std::int64_t>(m_counts[i]));
            }
        }
    }
    bool empty() const { return m_size == 0; }
    void clear() {
        m_keys.clear();
        m_counts.clear();
        m_size = 0;
    }

private:
    static constexpr std::uint64_t k_empty = ~std::uint64_t{0};
    void grow();
    // Keys and counts in two arrays: 12 bytes per slot, not 16.
    std::vector<std::uint64_t> m_keys;
    std::vector<std::int32_t> m_counts;
    std::size_t m_size = 0;
};

class ScanAggregates {
public:
    // Key of a group: kind name, split and value joined by '\x1f'.
    static std::string group_key(model::Kind kind, std::string_view split, std::string_view value);
    static std::string peer_key(model::Kind kind, std::string_view occupation, std::string_view region);

    // Adds a row (sign +1) or takes it back out (sign -1): an incremental
    // scan builds a delta of -old +new per changed record.
    void add(const ResultRow& row, std::int64_t sign = 1);
    // The same for the groups only, leaving the peer statistics alone.
    void add_groups(const ResultRow& row, std::int64_t sign = 1);
    void merge(const ScanAggregates& other);
    // Drops groups without records and rule counts of 0 (what a delta
    // patched in can leave): what the state database keeps.
    void drop_empty();

    const StringMap<GroupStats>& groups() const { return m_groups; }
    // Peer cells keyed by peer_key(). Folds pending counts first (cheap when none).
    const StringMap<PeerCell>& peers() const;
    StringMap<GroupStats>& groups() { return m_groups; }
    StringMap<PeerCell>& peers();
    // Calls fn(cell key, attribute, value, count) for every peer count
    // without building the peers() maps (a scan has millions of them). The
    // same (cell, attribute, value) may come more than once: sum them.
    void for_each_peer(const std::function<void(std::string_view, std::string_view, std::string_view,
                                                std::int64_t)>& fn) const;
    // One peer count: a peer_stat row (docs/state-schema.md) without its kind.
    using PeerFn = std::function<void(std::string_view occupation, std::string_view region,
                                      std::string_view attribute, std::string_view value, std::int64_t count)>;
    // Calls fn for every peer count of `kind`, each key once with its summed,
    // non-zero count, in byte order of (occupation, region, attribute,
    // value): the order of peer_stat's primary key, so a writer can merge
    // them with the stored rows. Counts still pending (a scan's) are sorted
    // in a compact form (16 bytes per count); the views stay valid while
    // this object is unchanged.
    void for_each_peer_in_key_order(model::Kind kind, const PeerFn& fn) const;
    // Total for a kind (split "all"); a zero GroupStats when none was added.
    GroupStats total(model::Kind kind) const;

    bool operator==(const ScanAggregates& other) const {
        return m_groups == other.m_groups && peers() == other.peers();
    }

private:
    struct RowFigures;  // what one row adds to each of its groups
    void add_group(const ResultRow& row, const RowFigures& figures, std::string_view split, std::string_view value);
    void add_peers(const ResultRow& row, std::int64_t sign);
    std::uint32_t intern(std::string_view s);
    std::uint32_t intern_score(std::int64_t tenths);
    void bump(std::uint32_t cell, std::uint32_t attribute, std::uint32_t value, std::int64_t by);
    void fold() const;

    StringMap<GroupStats> m_groups;
    // Peer counts are accumulated with interned strings and integer keys
    // (cell << 40 | attribute << 32 | value): a scan adds tens of millions
    // of them. fold() turns them into m_peers on demand.
    mutable StringMap<PeerCell> m_peers;
    mutable FlatCounter m_pending;
    StringMap<std::uint32_t> m_ids;
    std::vector<std::string> m_names;
    std::vector<std::uint32_t> m_score_ids;  // interned "0".."1000" by tenths; 0xffffffff not yet
    std::string m_key;  // scratch
};

// Splits a '\x1f'-joined key into its parts.
std::vector<std::string_view> split_key(std::string_view key);

}  // namespace spiegel::engine
