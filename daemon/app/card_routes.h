#pragma once
// HTTP handlers of the mirror cards (docs/cards.md). Pure functions of the
// request and a CardSource; each request opens its own read-only state DB
// connection, so they are safe on the HTTP thread.

#include "daemon/cards/card_service.h"
#include "daemon/http/router.h"

namespace spiegel::app {

// Content-Security-Policy of card pages: inline style only, nothing else.
inline constexpr const char* k_card_csp = "default-src 'none'; style-src 'unsafe-inline'";

// GET /api/v1/cards/occupation/{isco}[?region=AMxx]: JSON; 404 unknown ISCO,
// 400 unknown region, 500 unreadable state.
http::Response occupation_card_api(const cards::CardSource& source, const http::Request& request);
// GET /cards/occupation/{isco}[?region=AMxx]: the same card as HTML.
http::Response occupation_card_page(const cards::CardSource& source, const http::Request& request);

}  // namespace spiegel::app
