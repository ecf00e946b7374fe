#pragma once
// The personal cards (docs/cards.md): the CV card for a job seeker and
// adviser, the vacancy card for an employer. Built by pure functions from
// what store::CardReader (daemon/store/card_reader.h) read in one snapshot
// of the state and source databases, so the builders are tested on
// hand-made inputs.
//
// Peers (docs/cards.md, "Personal cards"; the default-rules contract): a CV's peers
// are the *other* visible CVs with the same first desired occupation; when
// fewer than k (privacy.min_cell), the visible CVs of the 3-digit ISCO minor
// group; when still fewer, no peer figures at all ("te weinig
// vergelijkbare ..."). A vacancy's peers are the other vacancies with the
// same occupation_code, widened likewise. Small-cell suppression applies to
// every count shown (k = min_cell); suggestions list only items held by at
// least k peers; no free text of any record is ever copied into a card.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/cards/occupation_card.h"
#include "daemon/engine/result.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/json_sink.h"

namespace spiegel::cards {

// What the cards need from the loaded configuration: code lists and the
// rules' metadata (title, advice, weight, dimension, fields). Immutable;
// the daemon builds one per (re)load and shares it between requests.
struct CardCatalog {
    CodeLists codes;
    std::map<std::string, rules::RuleInfo> rules;  // by rule id, enabled or not
    // Loads the code lists and the rule set under rules_dir.
    static util::Expected<std::shared_ptr<const CardCatalog>> load(const std::string& rules_dir);
    // The same from a rule set and code lists already loaded (the daemon's settings).
    static std::shared_ptr<const CardCatalog> from_rules(const rules::RuleSet& rule_set, const CodeLists& codes);
};

// The card inputs as store::CardReader reads them (daemon/store/card_input.h).
using store::CvCardInput;
using store::CvContact;
using store::PeerGroupCounts;
using store::TrendPoint;
using store::VacancyCardInput;

struct PersonalParams {
    int min_cell = 10;
    bool include_contact = false;  // advisers only
    // The CV card's "peer_bands" (the peers' scores per band, the own band
    // marked) beside its peer sentence: what the served card carries.
    bool peer_bands = false;
    // The vacancy card's "title" (the vacancy's own text): for its own
    // employer only.
    bool vacancy_title = false;
};

// The card as JSON (schema in docs/cards.md). Pure. write_cv_card writes
// it into a sink (util/json_sink.h: as text, or as the tree build_cv_card
// returns).
void write_cv_card(util::JsonSink& out, const CvCardInput& input, const CardCatalog& catalog,
                   const PersonalParams& params);
nlohmann::json build_cv_card(const CvCardInput& input, const CardCatalog& catalog,
                             const PersonalParams& params);
void write_vacancy_card(util::JsonSink& out, const VacancyCardInput& input, const CardCatalog& catalog,
                        const PersonalParams& params);
nlohmann::json build_vacancy_card(const VacancyCardInput& input, const CardCatalog& catalog,
                                  const PersonalParams& params);

// The HTML page of a card JSON (compiled-in mustache template, auto-escaped).
std::string cv_card_html(const nlohmann::json& card);
std::string vacancy_card_html(const nlohmann::json& card);

}  // namespace spiegel::cards
