#pragma once
// HTTP handlers of the mirror cards (docs/cards.md):
//   GET /api/v1/cards/occupation/{isco}[?region=AMxx]  GET /cards/occupation/{isco}  (public)
//   GET /api/v1/cards/cv/{id}       GET /cards/cv/{id}       (bearer token)
//   GET /api/v1/cards/vacancy/{id}  GET /cards/vacancy/{id}  (bearer token)
// The occupation card answers 404 for an unknown ISCO code, 400 for an
// unknown region, 500 for an unreadable state DB.
// Each personal card request passes, in order: a bearer token (401 missing,
// malformed, unknown or revoked; 500 when the token table cannot be read),
// the per-token rate limit (429 with Retry-After), the role (403: officers
// read no personal card, employers no CV card), the record (404 no scan
// result), the employer binding of an employer token (403 another
// employer's vacancy), the card itself (500 unreadable databases), an audit
// row in card_access with the status (403 and 404 too; a 200 is served only
// when its row is written), the metric spiegel_personal_card_reads_total{role}.
// Every request past the limiter counts against it, so probing ids is
// limited too, and 429s are never audited (no flooding of the log).
//
// Keeps one token store, card reader (open connections, prepared
// statements) and rate limiter, made again when the configured paths or
// limit change (a reload); one mutex serialises requests (the daemon serves
// HTTP on one thread).

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "daemon/app/access.h"
#include "daemon/cards/card_service.h"
#include "daemon/http/router.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

// Content-Security-Policy of card pages: inline style only, nothing else.
inline constexpr const char* k_card_csp = "default-src 'none'; style-src 'unsafe-inline'";

enum class CardFormat { json, html };

class CardRoutes {
public:
    // exporter may be null (no metric); clock gives seconds since the epoch.
    CardRoutes(metrics::Exporter* exporter, RateLimiter::Clock clock);
    ~CardRoutes();

    http::Response occupation(const cards::CardSource& source, CardFormat format, const http::Request& request);
    // kind is CardKind::cv or CardKind::vacancy.
    http::Response personal(const cards::CardSource& source, CardKind kind, CardFormat format,
                            const http::Request& request);

private:
    struct State;
    http::Response personal_locked(const cards::CardSource& source, CardKind kind, CardFormat format,
                                   const http::Request& request);
    // After authentication and the rate limit: role, employer binding,
    // the card, the audit row and the metric.
    http::Response serve_card(const cards::CardSource& source, const store::Principal& who, CardKind kind,
                              CardFormat format, const std::string& id);
    bool prepare(const cards::CardSource& source, bool tokens, std::string& error);

    metrics::Exporter* m_exporter;
    RateLimiter::Clock m_clock;
    std::mutex m_mutex;
    std::unique_ptr<State> m_state;
};

// The token of an "Authorization: Bearer <token>" header ("" when absent
// or another scheme). The header name and scheme are case-insensitive.
std::string bearer_token(const http::Request& request);

}  // namespace spiegel::app
