#pragma once
// The personal cards (docs/cards.md): the CV card for a job seeker and
// adviser, the vacancy card for an employer. Built by pure functions from
// what CardReader (record_reader.h) read in one snapshot of the state and
// source databases, so the builders are tested on hand-made inputs.
//
// Peers (docs/cards.md, "Personal cards"; the default-rules contract): a CV's peers
// are the *other* visible CVs with the same first desired occupation; when
// fewer than k (privacy.min_cell), the visible CVs of the 3-digit ISCO minor
// group; when still fewer, no peer figures at all ("te weinig
// vergelijkbare ..."). A vacancy's peers are the other vacancies with the
// same occupation_code, widened likewise. Small-cell suppression applies to
// every count shown (k = min_cell); suggestions list only items held by at
// least k peers; no free text of any record is ever copied into a card.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/cards/occupation_card.h"
#include "daemon/engine/result.h"
#include "daemon/rules/rule_set.h"

namespace spiegel::cards {

// What the cards need from the loaded configuration: code lists and the
// rules' metadata (title, advice, weight, dimension, fields). Immutable;
// the daemon builds one per (re)load and shares it between requests.
struct CardCatalog {
    CodeLists codes;
    std::map<std::string, rules::RuleInfo> rules;  // by rule id, enabled or not
    // Loads the code lists and the rule set under rules_dir.
    static util::Expected<std::shared_ptr<const CardCatalog>> load(const std::string& rules_dir);
    // The same from a rule set already loaded from rules_dir (the daemon's).
    static util::Expected<std::shared_ptr<const CardCatalog>> from_rules(const rules::RuleSet& rule_set,
                                                                        const std::string& rules_dir);
};

// One point of a record's score history: the scan's as_of and the score
// the record had from that scan on (stored only when it changed).
struct TrendPoint {
    std::string as_of;  // RFC 3339 UTC
    double score = 0;
};

// The peer cells of one group (an occupation code or a 3-digit minor
// group), summed over its occupations, national (peer_stat region '').
struct PeerGroupCounts {
    std::string code;            // "2512" or "251"
    std::int64_t members = 0;    // cv: visible CVs; vacancy: all vacancies (the record itself included)
    std::int64_t below = 0;      // of those, records with a score strictly below the card's record
    std::int64_t equal = 0;      // of those, records with the same score (the record itself included when counted)
    AttributeCounts counts;      // peer_stat attributes of the group's kind, summed
};

struct CvContact {
    std::string email;  // "" when not stored
    std::string phone;
};

struct CvCardInput {
    engine::ResultRow result;  // the record's current result row (kind cv)
    std::string scan_as_of;    // as_of of the scan that produced it
    std::vector<TrendPoint> trend;  // oldest first, the current score last; at most 12
    std::optional<CvContact> contact;  // read only when PersonalParams::include_contact
    // Peers by first desired occupation; empty when the CV has no occupation.
    std::optional<PeerGroupCounts> occupation_peers;
    std::optional<PeerGroupCounts> group_peers;  // the minor group (always read when occupation is set)
    // Open vacancies (peer_stat vacancy 'open') for the first desired
    // occupation in the CV's region; empty when the CV has no region or occupation.
    std::optional<std::int64_t> open_vacancies_in_region;
};

struct VacancyCardInput {
    engine::ResultRow result;  // kind vacancy
    std::string scan_as_of;
    std::vector<TrendPoint> trend;
    std::string employer_id;   // from the source database ("" when unknown)
    std::optional<PeerGroupCounts> occupation_peers;  // peer_stat kind vacancy
    std::optional<PeerGroupCounts> group_peers;
    // The candidate pool: peer_stat kind cv for (occupation_code, the
    // vacancy's region), or region '' when the vacancy has no region:
    // attributes visible, education, target_group.
    AttributeCounts pool;
};

struct PersonalParams {
    int min_cell = 10;
    bool include_contact = false;  // advisers only
};

// The card as JSON (schema in docs/cards.md). Pure.
nlohmann::json build_cv_card(const CvCardInput& input, const CardCatalog& catalog,
                             const PersonalParams& params);
nlohmann::json build_vacancy_card(const VacancyCardInput& input, const CardCatalog& catalog,
                                  const PersonalParams& params);

// The HTML page of a card JSON (compiled-in mustache template, auto-escaped).
std::string cv_card_html(const nlohmann::json& card);
std::string vacancy_card_html(const nlohmann::json& card);

}  // namespace spiegel::cards
