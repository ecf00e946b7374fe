#include "daemon/app/card_routes.h"

#include <algorithm>
#include <cctype>
#include <variant>

#include "daemon/cards/card_html.h"
#include "daemon/metrics/exporter.h"
#include "daemon/store/token_store.h"

namespace spiegel::app {
namespace {

using http::Response;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Response unauthorized(const char* message, bool invalid) {
    Response r = http::json_error(401, message);
    r.headers.emplace_back("WWW-Authenticate",
                           invalid ? "Bearer realm=\"spiegel\", error=\"invalid_token\"" : "Bearer realm=\"spiegel\"");
    return r;
}

// The value of `name` in a query string ("" when absent or malformed).
std::string query_value(const std::string& query, std::string_view name) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        const std::size_t end = std::min(query.find('&', pos), query.size());
        const std::string_view part(query.data() + pos, end - pos);
        const std::size_t eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name) {
            std::string out;
            return http::percent_decode(part.substr(eq + 1), out) ? out : std::string("?");
        }
        pos = end + 1;
    }
    return "";
}

int status_of(cards::CardErrorKind kind) {
    switch (kind) {
        case cards::CardErrorKind::not_found:
            return 404;
        case cards::CardErrorKind::bad_request:
            return 400;
        case cards::CardErrorKind::forbidden:
            return 403;
        case cards::CardErrorKind::failure:
            break;
    }
    return 500;
}

Response forbidden(const char* message) { return http::json_error(403, message); }

const char* card_type(CardKind kind) { return kind == CardKind::cv ? "cv" : "vacancy"; }

Response card_error(const cards::CardError& error) { return http::json_error(status_of(error.kind), error.message); }

Response render(CardKind kind, CardFormat format, const nlohmann::json& card) {
    Response r;
    if (format == CardFormat::json) {
        r = Response::json(200, cards::card_text(card));
    } else {
        r = Response::html(200, kind == CardKind::cv ? cards::cv_card_html(card) : cards::vacancy_card_html(card));
        r.headers.emplace_back("Content-Security-Policy", k_card_csp);
    }
    // Personal data: never cached by a browser or a proxy.
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

struct CardRoutes::State {
    std::string state_db;
    std::string source_db;
    int limit = 0;
    std::unique_ptr<store::TokenStore> tokens;
    std::unique_ptr<cards::CardReader> reader;
    std::unique_ptr<RateLimiter> limiter;
};

std::string bearer_token(const http::Request& request) {
    for (const auto& [name, value] : request.headers) {
        if (!iequals(name, "Authorization")) {
            continue;
        }
        std::string_view v = value;
        if (v.size() > 7 && iequals(v.substr(0, 7), "Bearer ")) {
            v.remove_prefix(7);
            while (!v.empty() && v.front() == ' ') {
                v.remove_prefix(1);
            }
            while (!v.empty() && v.back() == ' ') {
                v.remove_suffix(1);
            }
            return std::string(v);
        }
        return "";
    }
    return "";
}

CardRoutes::CardRoutes(metrics::Exporter* exporter, RateLimiter::Clock clock)
    : m_exporter(exporter), m_clock(std::move(clock)) {}

CardRoutes::~CardRoutes() = default;

bool CardRoutes::prepare(const cards::CardSource& source, bool tokens, std::string& error) {
    State* s = m_state.get();
    if (!s || s->state_db != source.state_db || s->source_db != source.source_db) {
        m_state = std::make_unique<State>();
        s = m_state.get();
        s->state_db = source.state_db;
        s->source_db = source.source_db;
        s->reader = std::make_unique<cards::CardReader>(source.state_db, source.source_db);
    }
    if (tokens && !s->tokens) {
        auto opened = store::TokenStore::open(source.state_db);
        if (!opened) {
            error = opened.error().message;
            return false;
        }
        s->tokens = std::move(*opened);
    }
    if (!s->limiter || s->limit != source.personal_cards_per_hour) {
        s->limit = source.personal_cards_per_hour;
        s->limiter = std::make_unique<RateLimiter>(s->limit, 3600, m_clock);
    }
    return true;
}

Response CardRoutes::occupation(const cards::CardSource& source, CardFormat format, const http::Request& request) {
    std::lock_guard lock(m_mutex);
    std::string error;
    if (!prepare(source, false, error)) {
        return http::json_error(500, "cards are not available: " + error);
    }
    const auto it = request.params.find("isco");
    const std::string isco = it == request.params.end() ? "" : it->second;
    auto card = cards::occupation_card_json(source, *m_state->reader, isco, query_value(request.query, "region"));
    if (const auto* failed = std::get_if<cards::CardError>(&card)) {
        return card_error(*failed);
    }
    const auto& json = std::get<nlohmann::json>(card);
    if (format == CardFormat::json) {
        return Response::json(200, cards::card_text(json));
    }
    Response r = Response::html(200, cards::occupation_card_html(json));
    r.headers.emplace_back("Content-Security-Policy", k_card_csp);
    return r;
}

Response CardRoutes::personal(const cards::CardSource& source, CardKind kind, CardFormat format,
                              const http::Request& request) {
    std::lock_guard lock(m_mutex);
    return personal_locked(source, kind, format, request);
}

Response CardRoutes::personal_locked(const cards::CardSource& source, CardKind kind, CardFormat format,
                                     const http::Request& request) {
    const std::string token = bearer_token(request);
    if (token.empty()) {
        return unauthorized("a bearer token is required (Authorization: Bearer ...)", false);
    }
    std::string error;
    if (!source.catalog || !prepare(source, true, error)) {
        return http::json_error(500, "cards are not available: " + error);
    }
    State& s = *m_state;
    auto principal = s.tokens->lookup(token);
    if (!principal) {
        return http::json_error(500, "cannot read the token table");
    }
    if (!*principal) {
        return unauthorized("unknown or revoked token", true);
    }
    const store::Principal& who = **principal;
    // Only reads within the token's limit reach the audit log, so a
    // hammering client cannot flood it; 429s show in the HTTP metrics.
    if (!s.limiter->allow(who.name)) {
        Response r = http::json_error(429, "too many personal cards read with this token; try again later");
        r.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, s.limiter->retry_after(who.name))));
        return r;
    }
    const auto it = request.params.find("id");
    return serve_card(source, who, kind, format, it == request.params.end() ? "" : it->second);
}

Response CardRoutes::serve_card(const cards::CardSource& source, const store::Principal& who, CardKind kind,
                                CardFormat format, const std::string& id) {
    State& s = *m_state;
    // Refusals and misses of a valid token are audited too (probing shows).
    const auto refuse = [&](Response r) {
        if (auto audited = s.tokens->record_access(who, card_type(kind), id, m_clock(), r.status); !audited) {
            return http::json_error(500, "the request could not be audit-logged");
        }
        return r;
    };
    // Role first; an employer's binding is checked once the vacancy is known.
    if (authorize(who, kind, who.role == store::Role::employer ? who.employer : "") != k_status_ok) {
        return refuse(forbidden("this token's role may not read this card"));
    }
    const auto may_read = [&](const std::string& employer) { return authorize(who, kind, employer) == k_status_ok; };
    cards::CardResult card = kind == CardKind::cv
                                 ? cards::cv_card_json(source, *s.reader, id, who.role == store::Role::adviser)
                                 : cards::vacancy_card_json(source, *s.reader, id, may_read);
    if (const auto* failed = std::get_if<cards::CardError>(&card)) {
        return failed->kind == cards::CardErrorKind::failure ? card_error(*failed) : refuse(card_error(*failed));
    }
    if (auto audited = s.tokens->record_access(who, card_type(kind), id, m_clock()); !audited) {
        return http::json_error(500, "the read could not be audit-logged, so the card is not shown");
    }
    if (m_exporter) {
        m_exporter->personal_card_read(store::role_name(who.role));
    }
    return render(kind, format, std::get<nlohmann::json>(card));
}

}  // namespace spiegel::app
