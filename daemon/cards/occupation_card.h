#pragma once
// Builds the occupation card from peer statistics (docs/cards.md). Pure:
// no database, so it is tested on hand-made PeerData. Small-cell
// suppression with k = params.min_cell happens here, nowhere else.

#include <optional>
#include <string>

#include "daemon/cards/card_model.h"
#include "daemon/model/code_lists.h"
#include "daemon/store/card_input.h"
#include "daemon/util/expected.h"

namespace spiegel::cards {

// The card inputs as store::CardReader reads them (daemon/store/card_input.h).
using store::AttributeCounts;
using store::PeerCells;
using store::PeerData;
using store::ScoreSum;

// The code lists the card needs (rules/codes/*.csv).
using model::CodeLists;

struct OccupationParams {
    std::string isco;
    std::string region;  // "" = national only
    int min_cell = 10;
};

enum class CardErrorKind { not_found, bad_request, forbidden, failure };
struct CardError {
    CardErrorKind kind = CardErrorKind::failure;
    std::string message;  // Dutch-free, user-facing, no personal data
};

// Empty when the ISCO code is a level-4 code and the region (if any) is known.
std::optional<CardError> validate_occupation(const CodeLists& codes,
                                             const OccupationParams& params);

// Assumes validate_occupation passed.
OccupationCard build_occupation_card(const PeerData& data, const CodeLists& codes,
                                     const OccupationParams& params);

}  // namespace spiegel::cards
