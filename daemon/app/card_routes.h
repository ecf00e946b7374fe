#pragma once
// HTTP handlers of the mirror cards (docs/cards.md):
//   GET /api/v1/cards/occupation/{isco}[?region=AMxx]  GET /cards/occupation/{isco}  (public)
//   GET /api/v1/cards/cv/{id}       GET /cards/cv/{id}       (bearer token)
//   GET /api/v1/cards/vacancy/{id}  GET /cards/vacancy/{id}  (bearer token)
// The occupation card answers 404 for an unknown ISCO code, 400 for an
// unknown region, 500 for an unreadable state DB.
// Each personal card request passes, in order: the client address's
// failed-authentication throttle (429 with Retry-After), a bearer token (401
// missing, malformed, unknown or revoked, each but a missing one counted
// against the address; 500 when the token table cannot be read), the
// per-token rate limit (429 with Retry-After), the role (403: officers read
// no personal card, employers no CV card), the record (404 no scan result),
// the employer binding of an employer token (403 another employer's
// vacancy), the card itself (500 unreadable databases), an audit row with
// the status (403 and 404 too) committed by the AccessWriter (a card is
// served only once its row is committed; otherwise 500, counted), the
// metric spiegel_personal_card_reads_total{role}. Every request past the
// limiter counts against it, so probing ids is limited too, and 429s are
// never audited (no flooding of the log).
//
// Thread-safe: handlers run concurrently on the HTTP handler pool; each
// call leases its own card reader (open connections, prepared statements)
// from a pool that grows to the number of concurrent calls.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/app/access.h"
#include "daemon/app/authenticator.h"
#include "daemon/app/rendered_cards.h"
#include "daemon/cards/card_service.h"
#include "daemon/http/router.h"
#include "daemon/store/access_writer.h"
#include "daemon/util/clock.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

// Content-Security-Policy of card pages: inline style only, nothing else, never framed.
inline constexpr const char* k_card_csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

enum class CardFormat { json, html };

struct CardRoutesOptions {
    metrics::Exporter* exporter = nullptr;  // null: no metrics
    const util::Clock* clock = &util::system_clock();
    std::shared_ptr<Authenticator> auth;    // null: personal cards answer 500
    store::AccessWriter* audit = nullptr;   // null: personal cards answer 500
};

class CardRoutes {
public:
    // What the rendered occupation cards may hold: about 1,000 JSON cards
    // (6-16 KB: national, regional) or as many HTML pages.
    static constexpr std::size_t k_rendered_occupation_card_bytes = 16u << 20;

    explicit CardRoutes(CardRoutesOptions options);
    ~CardRoutes();

    http::Response occupation(const cards::CardSource& source, CardFormat format, const http::Request& request);
    // kind is CardKind::cv or CardKind::vacancy. Answers through `reply`
    // from the audit writer's callback once the audit row is committed (or
    // refused), so the calling pool thread does not wait for the commit.
    void personal_async(const cards::CardSource& source, CardKind kind, CardFormat format,
                        const http::Request& request, http::Reply reply);
    // personal_async, waited for (tests, the CLI).
    http::Response personal(const cards::CardSource& source, CardKind kind, CardFormat format,
                            const http::Request& request);
    // The per-token limit of personal reads, shared with the list pages
    // (web_routes.h) so a list cannot harvest what the card limit prevents.
    RateLimiter& personal_reads() { return m_limiter; }

private:
    class Lease;
    Lease lease(const cards::CardSource& source);
    // What a request gets once its audit row (if any) is committed.
    struct Outcome {
        http::Response response;
        std::optional<int> audit_status;  // empty: answered without an audit row
        bool read = false;                // the card itself (counted in the metric)
    };
    // After authentication and the rate limit: role, employer binding, the
    // card, rendered (for a signed-in browser's `session` with the pages'
    // navigation); the caller audits and counts.
    Outcome serve_card(const cards::CardSource& source, store::CardReader& reader, const store::Principal& who,
                       const std::optional<ActiveSession>& session, CardKind kind, CardFormat format,
                       const std::string& id);
    // Queues the audit row; its callback answers `outcome`, or 500 (counted).
    void reply_after_audit(const store::AccessRow& row, Outcome outcome, http::Reply reply);

    CardRoutesOptions m_options;
    RateLimiter m_limiter;
    std::mutex m_mutex;  // the pool below
    std::vector<std::unique_ptr<store::CardReader>> m_idle;
    // Peer groups shared by the readers, per completed scan.
    std::shared_ptr<store::PeerGroupCache> m_peer_groups = std::make_shared<store::PeerGroupCache>();
    // Occupation cards as sent, per state version (rendered_cards.h).
    RenderedCards m_occupation_cards{k_rendered_occupation_card_bytes};
};

}  // namespace spiegel::app
