#include "daemon/app/authenticator.h"

#include <algorithm>

#include "daemon/metrics/exporter.h"
#include "daemon/util/text.h"

namespace spiegel::app {
namespace {

using http::Response;

Response unauthorized(const char* message, bool invalid) {
    Response r = http::json_error(401, message);
    r.headers.emplace_back("WWW-Authenticate",
                           invalid ? "Bearer realm=\"spiegel\", error=\"invalid_token\"" : "Bearer realm=\"spiegel\"");
    return r;
}

// A session cookie identifies only requests the page itself or the person
// made: a request a page of another site (also a sibling subdomain or
// another port of this host: "same-site") makes carries the cookie too, and
// must not read personal data, write audit rows or spend the reader's limit
// in the person's name. Browsers that send no Sec-Fetch-Site are trusted as before.
bool session_may_identify(const http::Request& request) {
    const std::string_view site = request.header("Sec-Fetch-Site");
    return site.empty() || site == "same-origin" || site == "none";
}

}  // namespace

std::string bearer_token(const http::Request& request) {
    for (const auto& [name, value] : request.headers) {
        if (!util::ascii_iequals(name, "Authorization")) {
            continue;
        }
        std::string_view v = value;
        if (v.size() > 7 && util::ascii_iequals(v.substr(0, 7), "Bearer ")) {
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

Response too_many_requests(const char* message, std::int64_t retry_after_seconds) {
    Response r = http::json_error(429, message);
    r.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, retry_after_seconds)));
    return r;
}

Authenticator::Authenticator(AuthenticatorOptions options)
    : m_options(std::move(options)),
      m_throttle(m_options.failed_auth_per_minute, *m_options.clock),
      m_readers(m_options.access_db) {}

Authenticator::~Authenticator() = default;

void Authenticator::set_failed_auth_limit(int per_minute) { m_throttle.set_limit(per_minute); }

std::variant<store::Principal, Response> Authenticator::authenticate(const http::Request& request) {
    auto caller = identify(request);
    if (auto* refusal = std::get_if<Response>(&caller)) {
        return std::move(*refusal);
    }
    return std::move(std::get<Caller>(caller).principal);
}

std::variant<Caller, Response> Authenticator::identify(const http::Request& request) {
    // The failed-attempt throttle guards the token path (check_token): a
    // session id cannot be guessed, so a signed-in browser behind a shared
    // address is not locked out by someone else's failures.
    if (request.header("Authorization").empty() && m_options.sessions && session_may_identify(request)) {
        SessionLookup found = m_options.sessions->lookup(request);
        switch (found.outcome) {
            case SessionLookup::Outcome::active:
                return Caller{found.session.principal, std::move(found.session)};
            case SessionLookup::Outcome::error:
                return http::json_error(500, "cannot read the session table");
            case SessionLookup::Outcome::ended:
                return unauthorized("the session has ended; sign in again", false);
            case SessionLookup::Outcome::none:
                break;
        }
    }
    auto principal = check_token(request, bearer_token(request));
    if (auto* refusal = std::get_if<Response>(&principal)) {
        return std::move(*refusal);
    }
    return Caller{std::move(std::get<store::Principal>(principal)), std::nullopt};
}

std::variant<store::Principal, Response> Authenticator::check_token(const http::Request& request,
                                                                    const std::string& token) {
    if (const auto wait = m_throttle.retry_after(request.remote_address); wait > 0) {
        if (m_options.exporter) {
            m_options.exporter->auth_throttled();
        }
        return too_many_requests("too many failed sign-in attempts from this address; try again later", wait);
    }
    if (token.empty()) {
        return unauthorized("a bearer token is required (Authorization: Bearer ...)", false);
    }
    auto reader = m_readers.take();
    if (!reader) {
        return http::json_error(500, "cannot read the token table");
    }
    auto principal = reader->lookup(token);
    if (!principal) {
        return http::json_error(500, "cannot read the token table");  // the reader is dropped and reopened
    }
    m_readers.give_back(std::move(reader));
    if (!*principal) {
        m_throttle.failed(request.remote_address);
        if (m_options.exporter) {
            m_options.exporter->auth_failure(store::well_formed_token(token) ? "unknown" : "malformed");
        }
        return unauthorized("unknown or revoked token", true);
    }
    return std::move(**principal);
}

}  // namespace spiegel::app
