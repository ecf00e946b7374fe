#pragma once
// The daemon's HTTP routes (docs/daemon.md). Each route is one
// router.add(...) line in add_routes; handlers are functions of the request
// and of the injected context below. Probes, metrics and the landing page
// answer inline on the io thread from memory; everything that reads a
// database is offloaded to the handler pool.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "daemon/app/authenticator.h"
#include "daemon/app/card_routes.h"
#include "daemon/app/web_routes.h"
#include "daemon/cards/card_service.h"
#include "daemon/http/router.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

struct RouteContext {
    const metrics::Exporter* exporter = nullptr;
    const std::atomic<bool>* ready = nullptr;  // results of a scan are loaded
    // POST /-/reload exists only when true (http.lifecycle); it then needs an
    // officer token (auth), a JSON content type and a same-origin Origin.
    bool lifecycle = false;
    std::shared_ptr<Authenticator> auth;
    // Reloads config and rules; runs on a handler thread, thread-safe.
    std::function<http::Response()> reload;
    // POST /-/reload?dry_run=1: what the reload would change, swapping nothing.
    std::function<http::Response()> reload_dry_run;
    // Where the cards read from (current settings); empty: card routes answer 503.
    std::function<cards::CardSource()> card_source;
    // The card handlers (token checks, rate limit and audit of the CV and
    // vacancy cards); when empty, add_routes makes one that serves only
    // the occupation card.
    std::shared_ptr<CardRoutes> cards;
    // When not empty, GET /metrics requires "Authorization: Bearer" with it
    // (http.metrics_token_file); otherwise 401.
    std::string metrics_token;
    // The list pages (worklist, employer page, overview); null: not served.
    std::shared_ptr<WebRoutes> web;
};

inline constexpr const char* k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

void add_routes(http::Router& router, const RouteContext& context);

// The landing page (GET /): links to every GET route of the router.
http::Response landing_page(const http::Router& router);

// The checks of POST /-/reload before the reload itself: 403 when Origin
// is present and not "http://" (under TLS "https://") + Host, 415 without Content-Type
// application/json, then the officer token (401, 403, 429). Empty: allowed.
std::optional<http::Response> refuse_lifecycle_request(const http::Request& request, Authenticator& auth);

// The dry_run parameter of POST /-/reload: true for dry_run=1 (or true),
// false when absent or 0 (false); nullopt for another value.
std::optional<bool> dry_run_requested(std::string_view query);

}  // namespace spiegel::app
