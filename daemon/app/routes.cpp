#include "daemon/app/routes.h"

#include "daemon/app/card_routes.h"
#include "daemon/app/version.h"
#include "daemon/metrics/exporter.h"

namespace spiegel::app {
namespace {

using http::Request;
using http::Response;

constexpr const char* k_landing_csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

Response metrics_page(const metrics::Exporter& exporter) {
    Response r;
    r.content_type = k_metrics_content_type;
    r.body = exporter.render();
    return r;
}

Response readiness(const std::atomic<bool>& ready) {
    if (ready.load()) {
        return Response::json(200, "{\"status\":\"ready\"}\n");
    }
    return http::json_error(503, "no scan results yet");
}

// Runs a card handler with the current card source, or answers 503.
template <class Handler>
Response with_cards(const RouteContext& c, const Request& request, Handler handler) {
    if (!c.card_source) {
        return http::json_error(503, "cards are not configured");
    }
    return handler(c.card_source(), request);
}

// Runs a personal card handler (CV or vacancy, JSON or HTML).
Response personal_card(const RouteContext& c, const Request& request, CardKind kind, CardFormat format) {
    if (!c.card_source) {
        return http::json_error(503, "cards are not configured");
    }
    return c.personal_cards->serve(c.card_source(), kind, format, request);
}

}  // namespace

Response landing_page(const http::Router& router) {
    std::string body =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spiegeld</title></head>\n"
        "<body style=\"font-family:sans-serif\"><h1>spiegeld ";
    body += http::html_escape(k_version);
    body += "</h1>\n<p>Data-quality monitor for CVs, vacancies and employers.</p>\n<ul>\n";
    for (const auto& [method, pattern] : router.routes()) {
        if (method != "GET" || pattern == "/" || pattern.find('{') != std::string::npos) {
            continue;
        }
        const std::string escaped = http::html_escape(pattern);
        body += "<li><a href=\"" + escaped + "\">" + escaped + "</a></li>\n";
    }
    body += "</ul>\n<p>POST /-/reload reloads configuration and rules.</p>\n</body></html>\n";
    Response r = Response::html(200, std::move(body));
    r.headers.emplace_back("Content-Security-Policy", k_landing_csp);
    r.headers.emplace_back("X-Frame-Options", "DENY");
    return r;
}

void add_routes(http::Router& router, const RouteContext& context) {
    RouteContext c = context;
    if (!c.personal_cards) {
        c.personal_cards = std::make_shared<PersonalCardRoutes>(nullptr, system_seconds);
    }
    const http::Router* self = &router;
    router.add("GET", "/", [self](const Request&) { return landing_page(*self); });
    router.add("GET", "/metrics", [c](const Request&) { return metrics_page(*c.exporter); });
    router.add("GET", "/healthz", [](const Request&) { return Response::json(200, "{\"status\":\"ok\"}\n"); });
    router.add("GET", "/readyz", [c](const Request&) { return readiness(*c.ready); });
    router.add("POST", "/-/reload", [c](const Request&) { return c.reload(); });
    // Card routes (mirror cards) go here, one line each.
    router.add("GET", "/api/v1/cards/occupation/{isco}", [c](const Request& r) { return with_cards(c, r, occupation_card_api); });
    router.add("GET", "/cards/occupation/{isco}", [c](const Request& r) { return with_cards(c, r, occupation_card_page); });
    router.add("GET", "/api/v1/cards/cv/{id}", [c](const Request& r) { return personal_card(c, r, CardKind::cv, CardFormat::json); });
    router.add("GET", "/cards/cv/{id}", [c](const Request& r) { return personal_card(c, r, CardKind::cv, CardFormat::html); });
    router.add("GET", "/api/v1/cards/vacancy/{id}", [c](const Request& r) { return personal_card(c, r, CardKind::vacancy, CardFormat::json); });
    router.add("GET", "/cards/vacancy/{id}", [c](const Request& r) { return personal_card(c, r, CardKind::vacancy, CardFormat::html); });
}

}  // namespace spiegel::app
