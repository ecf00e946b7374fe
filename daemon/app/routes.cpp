#include "daemon/app/routes.h"

#include "daemon/app/card_routes.h"
#include "daemon/app/sign_in_routes.h"
#include "daemon/app/version.h"
#include "daemon/app/web_page.h"
#include "daemon/metrics/exporter.h"
#include "daemon/util/crypto.h"
#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::app {
namespace {

using http::Dispatch;
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

// Runs a card route with the current card source, or answers 503.
template <class Handler>
Response with_cards(const RouteContext& c, Handler handler) {
    if (!c.card_source) {
        return http::json_error(503, "cards are not configured");
    }
    return handler(*c.cards, c.card_source());
}

// "application/json" with optional parameters ("; charset=utf-8").
bool is_json_content_type(std::string_view value) {
    const std::string type = util::ascii_lower(value.substr(0, value.find(';')));
    const auto first = type.find_first_not_of(" \t");
    const auto last = type.find_last_not_of(" \t");
    return first != std::string::npos && type.substr(first, last - first + 1) == "application/json";
}

void add_card_routes(http::Router& router, const RouteContext& c) {
    const auto occupation = [c](CardFormat format) {
        return [c, format](const Request& r) {
            return with_cards(c, [&](CardRoutes& routes, const cards::CardSource& s) { return routes.occupation(s, format, r); });
        };
    };
    const auto personal = [c](CardKind kind, CardFormat format) {
        return [c, kind, format](const Request& r, http::Reply reply) {
            if (!c.card_source) {
                return reply(http::json_error(503, "cards are not configured"));
            }
            c.cards->personal_async(c.card_source(), kind, format, r, std::move(reply));
        };
    };
    router.add("GET", "/api/v1/cards/occupation/{isco}", occupation(CardFormat::json), Dispatch::offload);
    router.add("GET", "/cards/occupation/{isco}", occupation(CardFormat::html), Dispatch::offload);
    router.add_async("GET", "/api/v1/cards/cv/{id}", personal(CardKind::cv, CardFormat::json));
    router.add_async("GET", "/cards/cv/{id}", personal(CardKind::cv, CardFormat::html));
    router.add_async("GET", "/api/v1/cards/vacancy/{id}", personal(CardKind::vacancy, CardFormat::json));
    router.add_async("GET", "/cards/vacancy/{id}", personal(CardKind::vacancy, CardFormat::html));
}

void add_web_routes(http::Router& router, const RouteContext& c) {
    const auto with_web = [c](auto handler) {
        return [c, handler](const Request& r) {
            if (!c.card_source) {
                return http::json_error(503, "cards are not configured");
            }
            return handler(*c.web, c.card_source(), r);
        };
    };
    router.add("GET", "/werklijst", with_web([](WebRoutes& w, const cards::CardSource& s, const Request& r) {
                   return w.worklist(s, CardFormat::html, r);
               }), Dispatch::offload);
    router.add("GET", "/api/v1/worklist", with_web([](WebRoutes& w, const cards::CardSource& s, const Request& r) {
                   return w.worklist(s, CardFormat::json, r);
               }), Dispatch::offload);
    router.add("GET", "/mijn-vacatures", with_web([](WebRoutes& w, const cards::CardSource& s, const Request& r) {
                   return w.employer_page(s, r);
               }), Dispatch::offload);
    router.add("GET", "/overzicht", with_web([](WebRoutes& w, const cards::CardSource& s, const Request& r) {
                   return w.overview(s, false, r);
               }), Dispatch::offload);
    router.add("GET", "/overzicht.csv", with_web([](WebRoutes& w, const cards::CardSource& s, const Request& r) {
                   return w.overview(s, true, r);
               }), Dispatch::offload);
}

}  // namespace

std::optional<bool> dry_run_requested(std::string_view query) {
    bool dry_run = false;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair == "dry_run=1" || pair == "dry_run=true") {
            dry_run = true;
        } else if (pair == "dry_run=0" || pair == "dry_run=false") {
            dry_run = false;
        } else if (pair.substr(0, pair.find('=')) == "dry_run") {
            return std::nullopt;
        }
    }
    return dry_run;
}

std::optional<Response> refuse_lifecycle_request(const Request& request, Authenticator& auth) {
    // A foreign Origin, or a browser saying another site made the request
    // (Sec-Fetch-Site), is refused whatever credentials it carries.
    if (!same_origin(request)) {
        return http::json_error(403, "cross-origin requests may not reload the daemon");
    }
    if (!is_json_content_type(request.header("Content-Type"))) {
        return http::json_error(415, "send Content-Type: application/json");
    }
    // An officer token, never a browser session: a reload is an operator's
    // act, not something a signed-in page does (docs/serving.md).
    auto who = auth.check_token(request, bearer_token(request));
    if (auto* refusal = std::get_if<Response>(&who)) {
        return std::move(*refusal);
    }
    if (std::get<store::Principal>(who).role != store::Role::officer) {
        return http::json_error(403, "only an officer token may reload the daemon");
    }
    return std::nullopt;
}

Response landing_page(const http::Router& router) {
    std::string body =
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Spiegel</title></head>\n"
        "<body style=\"font-family:sans-serif\"><h1>Spiegel ";
    body += util::html_escape(k_version);
    body += "</h1>\n<p>Spiegel bewaakt de kwaliteit van cv's, vacatures en werkgevers.</p>\n"
            "<p><a href=\"/inloggen\">Inloggen</a></p>\n<h2>Voor beheerders</h2>\n<ul>\n";
    bool reload = false;
    for (const auto& [method, pattern] : router.routes()) {
        reload = reload || pattern == "/-/reload";
        if (method != "GET" || pattern == "/" || pattern.find('{') != std::string::npos) {
            continue;
        }
        const std::string escaped = util::html_escape(pattern);
        body += "<li><a href=\"" + escaped + "\">" + escaped + "</a></li>\n";
    }
    body += "</ul>\n";
    if (reload) {
        body += "<p>POST /-/reload (met een code van een kwaliteitsmedewerker, JSON) laadt de instellingen en regels "
                "opnieuw.</p>\n";
    }
    body += "</body></html>\n";
    Response r = Response::html(200, std::move(body));
    r.headers.emplace_back("Content-Security-Policy", k_landing_csp);
    r.headers.emplace_back("X-Frame-Options", "DENY");
    return r;
}

void add_routes(http::Router& router, const RouteContext& context) {
    RouteContext c = context;
    if (!c.cards) {
        c.cards = std::make_shared<CardRoutes>(CardRoutesOptions{});
    }
    const http::Router* self = &router;
    router.add("GET", "/", [self](const Request&) { return landing_page(*self); });
    router.add("GET", "/metrics", [c](const Request& r) {
        if (!c.metrics_token.empty() && !util::constant_time_equal(bearer_token(r), c.metrics_token)) {
            Response refused = http::json_error(401, "this /metrics needs its bearer token");
            refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
            return refused;
        }
        return metrics_page(*c.exporter);
    });
    // Browsers ask for it on every site; an empty answer keeps their logs clean.
    router.add("GET", "/favicon.ico", [](const Request&) {
        Response r = Response::text(204, "");
        r.headers.emplace_back("Cache-Control", "max-age=86400");
        return r;
    });
    router.add("GET", "/healthz", [](const Request&) { return Response::json(200, "{\"status\":\"ok\"}\n"); });
    router.add("GET", "/readyz", [c](const Request&) { return readiness(*c.ready); });
    if (c.lifecycle && c.auth && c.reload) {
        router.add(
            "POST", "/-/reload",
            [c](const Request& r) {
                auto refused = refuse_lifecycle_request(r, *c.auth);
                if (refused) {
                    return std::move(*refused);
                }
                const auto dry_run = dry_run_requested(r.query);
                if (!dry_run) {
                    return http::json_error(400, "dry_run must be 1 or 0");
                }
                if (*dry_run) {
                    // A dry run never falls back to a real reload.
                    return c.reload_dry_run ? c.reload_dry_run()
                                            : http::json_error(501, "this daemon cannot preview a reload");
                }
                return c.reload();
            },
            Dispatch::offload);
    }
    // Mirror cards (docs/cards.md).
    add_card_routes(router, c);
    // Browser sign-in (docs/serving.md).
    if (c.auth && c.auth->sessions()) {
        add_sign_in_routes(router, c.auth);
    }
    if (c.web) {
        add_web_routes(router, c);
    }
}

}  // namespace spiegel::app
