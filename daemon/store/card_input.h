#pragma once
// What the mirror cards (docs/cards.md) are built from, as CardReader
// (card_reader.h) reads it out of the state database (result,
// score_history, peer_stat, scan) and the source database: plain values,
// no database types, so the card builders (daemon/cards) are pure and
// tested on hand-made inputs.

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/engine/result.h"

namespace spiegel::store {

// attribute -> value -> count, as in peer_stat (docs/state-schema.md).
using AttributeCounts = std::map<std::string, std::map<std::string, std::int64_t>>;

struct ScoreSum {
    std::int64_t records = 0;
    double sum = 0;
};

// The peer cells of one occupation in one scope (national: region '').
struct PeerCells {
    AttributeCounts cv;
    AttributeCounts vacancy;
    ScoreSum cv_scores;       // result rows of kind cv with this occupation
    ScoreSum vacancy_scores;  // result rows of kind vacancy
};

// The occupation card's input: the cells of one ISCO code.
struct PeerData {
    PeerCells national;
    std::optional<PeerCells> regional;
};

// One point of a record's score history: the scan's as_of and the score
// the record had from that scan on (stored only when it changed).
struct TrendPoint {
    std::string as_of;  // RFC 3339 UTC
    double score = 0;
};

// The values of one peer attribute by count, largest first, ties in value
// order (what a stable sort of the value-ordered counts by count gives):
// pointers to the entries of the counts they rank.
using RankedEntry = const std::pair<const std::string, std::int64_t>*;
using RankedValues = std::vector<RankedEntry>;
// Per attribute (those of k_ranked_attributes present in the counts).
using RankedAttributes = std::map<std::string, RankedValues, std::less<>>;
// The attributes a CV card suggests from (skills, other occupations): ranked
// once per peer group and scan, so a card walks only the few values it
// shows, however many distinct values its peers hold.
inline constexpr std::array<std::string_view, 2> k_ranked_attributes{"skill", "co_occupation"};

inline RankedValues rank_values(const std::map<std::string, std::int64_t>& values) {
    RankedValues out;
    out.reserve(values.size());
    for (const auto& entry : values) {
        out.push_back(&entry);
    }
    std::stable_sort(out.begin(), out.end(), [](RankedEntry x, RankedEntry y) { return x->second > y->second; });
    return out;
}

inline RankedAttributes rank_attributes(const AttributeCounts& counts) {
    RankedAttributes out;
    for (std::string_view attribute : k_ranked_attributes) {
        const auto a = counts.find(std::string(attribute));
        if (a != counts.end()) {
            out.emplace(std::string(attribute), rank_values(a->second));
        }
    }
    return out;
}

// The peer cells of one group (an occupation code or a 3-digit minor
// group), summed over its occupations, national (peer_stat region '').
// AttributeCounts shared between the cards that read the same peer group
// (CardReader's cache) and copied only when changed (copy on write): reads
// through find/begin/end/at, writes through operator[] or edit().
class SharedAttributeCounts {
public:
    SharedAttributeCounts() = default;
    explicit SharedAttributeCounts(std::shared_ptr<const AttributeCounts> counts) : m_counts(std::move(counts)) {}
    // With `ranked` = rank_attributes(*counts): it points into *counts.
    SharedAttributeCounts(std::shared_ptr<const AttributeCounts> counts, std::shared_ptr<const RankedAttributes> ranked)
        : m_counts(std::move(counts)), m_ranked(std::move(ranked)) {}
    const AttributeCounts& get() const { return m_counts ? *m_counts : empty(); }
    // The ranking of these counts; null when not ranked, or changed since.
    const RankedAttributes* ranked() const { return m_ranked.get(); }
    AttributeCounts::const_iterator find(const std::string& attribute) const { return get().find(attribute); }
    AttributeCounts::const_iterator begin() const { return get().begin(); }
    AttributeCounts::const_iterator end() const { return get().end(); }
    const AttributeCounts::mapped_type& at(const std::string& attribute) const { return get().at(attribute); }
    bool contains(const std::string& attribute) const { return get().contains(attribute); }
    friend bool operator==(const SharedAttributeCounts& a, const SharedAttributeCounts& b) { return a.get() == b.get(); }
    operator const AttributeCounts&() const { return get(); }  // NOLINT: reads as the map it shares
    AttributeCounts& edit() {
        m_ranked.reset();  // the counts change
        if (!m_counts || m_counts.use_count() > 1) {
            m_counts = std::make_shared<AttributeCounts>(get());
        }
        return const_cast<AttributeCounts&>(*m_counts);  // owned alone now
    }
    AttributeCounts::mapped_type& operator[](const std::string& attribute) { return edit()[attribute]; }

private:
    static const AttributeCounts& empty() {
        static const AttributeCounts k_empty;
        return k_empty;
    }
    std::shared_ptr<const AttributeCounts> m_counts;
    std::shared_ptr<const RankedAttributes> m_ranked;  // into *m_counts
};

struct PeerGroupCounts {
    std::string code;            // "2512" or "251"
    std::int64_t members = 0;    // cv: visible CVs; vacancy: all vacancies (the record itself included)
    std::int64_t below = 0;      // of those, records with a score strictly below the card's record
    std::int64_t equal = 0;      // of those, records with the same score (the record itself included when counted)
    // Members per 10-point score band: [0] 0 to under 10, ..., [9] 90 to 100.
    std::array<std::int64_t, 10> bands{};
    SharedAttributeCounts counts;  // peer_stat attributes of the group's kind, summed (and ranked)
};

struct CvContact {
    std::string email;  // "" when not stored
    std::string phone;
};

struct CvCardInput {
    engine::ResultRow result;  // the record's current result row (kind cv)
    std::string scan_as_of;    // as_of of the scan that produced it
    std::vector<TrendPoint> trend;  // oldest first, the current score last; at most 12
    std::optional<CvContact> contact;  // read only when the caller may see it (advisers)
    // Peers by first desired occupation; empty when the CV has no occupation.
    std::optional<PeerGroupCounts> occupation_peers;
    std::optional<PeerGroupCounts> group_peers;  // the minor group, read when the occupation has fewer than k others
    // Open vacancies (peer_stat vacancy 'open') for the first desired
    // occupation in the CV's region; empty when the CV has no region or occupation.
    std::optional<std::int64_t> open_vacancies_in_region;
};

struct VacancyCardInput {
    engine::ResultRow result;  // kind vacancy
    std::string scan_as_of;
    std::vector<TrendPoint> trend;
    std::string employer_id;   // from the source database ("" when unknown)
    std::string title;         // the vacancy's title (source); shown only to its own employer
    std::optional<PeerGroupCounts> occupation_peers;  // peer_stat kind vacancy
    std::optional<PeerGroupCounts> group_peers;
    // The candidate pool: peer_stat kind cv for (occupation_code, the
    // vacancy's region), or region '' when the vacancy has no region:
    // attributes visible, education, target_group.
    AttributeCounts pool;
    // With a region: the same cells nationally. The pool's table hides a
    // regional cell whose rest of the country is under k, as the
    // occupation card does (docs/cards.md, small-cell suppression).
    std::optional<AttributeCounts> national_pool;
};

}  // namespace spiegel::store
