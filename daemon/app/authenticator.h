#pragma once
// Who sends a request (docs/serving.md, "Authentication and abuse"): the
// bearer token of the Authorization header, looked up in the access
// database by its hash, behind a per-address throttle of failed attempts.
// Used by every route that needs a principal (personal cards, reload).
// Thread-safe: each call leases a read connection from a pool that grows
// to the number of concurrent callers.

#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "daemon/app/access.h"
#include "daemon/app/sessions.h"
#include "daemon/http/router.h"
#include "daemon/store/access_db.h"
#include "daemon/util/clock.h"

namespace spiegel::metrics {
class Exporter;
}

namespace spiegel::app {

struct AuthenticatorOptions {
    metrics::Exporter* exporter = nullptr;  // null: no metrics
    const util::Clock* clock = &util::system_clock();
    std::string access_db;                  // empty: every request is refused with 500
    int failed_auth_per_minute = 20;        // per client address
    // Browser sessions; null: only bearer tokens.
    std::shared_ptr<Sessions> sessions = nullptr;
};

// Who sent a request: the principal, and the browser session it came
// through (empty for a bearer token).
struct Caller {
    store::Principal principal;
    std::optional<ActiveSession> session;
};

class Authenticator {
public:
    explicit Authenticator(AuthenticatorOptions options);
    ~Authenticator();

    // The principal of the request's bearer token, or the response refusing
    // it: 429 with Retry-After (the address failed too often), 401 with
    // WWW-Authenticate (no, malformed, unknown or revoked token; all but a
    // missing one count against the address), 500 (tokens unreadable).
    // A request without an Authorization header is identified by its
    // session cookie instead (401 when it has none, or an ended one).
    std::variant<store::Principal, http::Response> authenticate(const http::Request& request);
    std::variant<Caller, http::Response> identify(const http::Request& request);
    // The principal of a token typed into the sign-in form, with the same
    // throttle and metrics as a bearer header.
    std::variant<store::Principal, http::Response> check_token(const http::Request& request, const std::string& token);
    void set_failed_auth_limit(int per_minute);
    Sessions* sessions() const { return m_options.sessions.get(); }
    metrics::Exporter* exporter() const { return m_options.exporter; }

private:
    AuthenticatorOptions m_options;
    FailedAuthThrottle m_throttle;
    AccessReaderPool m_readers;
};

// The token of an "Authorization: Bearer <token>" header ("" when absent
// or another scheme). The header name and scheme are case-insensitive.
std::string bearer_token(const http::Request& request);

// A JSON error with Retry-After (at least 1 second).
http::Response too_many_requests(const char* message, std::int64_t retry_after_seconds);

}  // namespace spiegel::app
