#pragma once
// The one path from (databases, catalog, k, id) to a card's JSON, shared by
// `spiegeld card` and the HTTP routes so both print the same JSON.

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "daemon/cards/occupation_card.h"
#include "daemon/cards/personal_card.h"
#include "daemon/store/card_reader.h"

namespace spiegel::cards {

struct CardSource {
    std::string state_db;   // state database path
    std::string rules_dir;  // codes under <rules_dir>/codes
    int min_cell = 10;      // privacy.min_cell
    std::string source_db;  // source database path (personal cards)
    // Code lists and rule metadata of the loaded rules; when empty the
    // occupation card loads the code lists itself.
    std::shared_ptr<const CardCatalog> catalog;
    int personal_cards_per_hour = 300;  // per-token limit of the HTTP routes (privacy config)
    store::PgSettings source_pg{};      // a PostgreSQL source (conninfo empty: source_db)
};

using CardResult = std::variant<nlohmann::json, CardError>;

// The occupation card's JSON, or not_found (unknown ISCO), bad_request
// (unknown region), failure (code lists or database unreadable).
CardResult occupation_card_json(const CardSource& source, const std::string& isco, const std::string& region);
// The same through reader's open connections (the daemon's routes).
CardResult occupation_card_json(const CardSource& source, store::CardReader& reader, const std::string& isco,
                                const std::string& region);

// The CV card (contact details only with include_contact: advisers) or
// not_found (no scan result for that id) or failure. reader must read the
// databases of source; catalog must be set.
// When the card compares the CV with its peers it also carries
// "peer_bands": the peers' scores per band (from the scan's score
// histograms) with the CV's own band marked (peer_bands_json()).
CardResult cv_card_json(const CardSource& source, store::CardReader& reader, const std::string& id,
                        bool include_contact);
// The same card written into out: a util::JsonTextSink(text, 2) gives the
// bytes card_text(cv_card_json(...)) gives, without building the tree.
// Nothing is written when the card is an error.
std::optional<CardError> cv_card_to(util::JsonSink& out, const CardSource& source, store::CardReader& reader,
                                    const std::string& id, bool include_contact);
// may_read (when set) is asked with the vacancy's employer id before the
// card is built; false gives a forbidden error (an employer token bound to
// another employer). own_employer: the reader is the vacancy's own employer
// (may_read said so), and the card then carries the vacancy's "title".
CardResult vacancy_card_json(const CardSource& source, store::CardReader& reader, const std::string& id,
                             const std::function<bool(const std::string& employer)>& may_read = {},
                             bool own_employer = false);
// The same card written into out (as cv_card_to); nothing is written when
// the card is an error.
std::optional<CardError> vacancy_card_to(util::JsonSink& out, const CardSource& source, store::CardReader& reader,
                                         const std::string& id,
                                         const std::function<bool(const std::string& employer)>& may_read = {},
                                         bool own_employer = false);

// card_json as served and printed: two-space indent, trailing newline; the
// bytes of card.dump(2) (util::json_text, which writes them faster).
std::string card_text(const nlohmann::json& card);

}  // namespace spiegel::cards
