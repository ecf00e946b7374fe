#pragma once
// The daemon's HTTP routes (docs/daemon.md). Each route is one
// router.add(...) line in add_routes; handlers are pure functions of the
// request and of the injected context below. Routes of other features
// (cards) are added next to these, one line each.

#include <atomic>
#include <functional>

#include "daemon/app/card_routes.h"
#include "daemon/cards/card_service.h"
#include "daemon/http/router.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

struct RouteContext {
    const metrics::Exporter* exporter = nullptr;
    const std::atomic<bool>* ready = nullptr;  // results of a scan are loaded
    // Reloads config and rules; runs on the HTTP thread.
    std::function<http::Response()> reload;
    // Where the cards read from (current config); empty: card routes answer 503.
    std::function<cards::CardSource()> card_source;
    // The card handlers (token checks, rate limit and audit of the CV and
    // vacancy cards); when empty, add_routes makes one without metrics.
    std::shared_ptr<CardRoutes> cards;
};

inline constexpr const char* k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

void add_routes(http::Router& router, const RouteContext& context);

// The landing page (GET /): links to every GET route of the router.
http::Response landing_page(const http::Router& router);

}  // namespace spiegel::app
