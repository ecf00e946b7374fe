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
};

class Authenticator {
public:
    explicit Authenticator(AuthenticatorOptions options);
    ~Authenticator();

    // The principal of the request's bearer token, or the response refusing
    // it: 429 with Retry-After (the address failed too often), 401 with
    // WWW-Authenticate (no, malformed, unknown or revoked token; all but a
    // missing one count against the address), 500 (tokens unreadable).
    std::variant<store::Principal, http::Response> authenticate(const http::Request& request);
    void set_failed_auth_limit(int per_minute);

private:
    std::unique_ptr<store::AccessDb> take_reader(std::string& error);
    void give_back(std::unique_ptr<store::AccessDb> reader);

    AuthenticatorOptions m_options;
    FailedAuthThrottle m_throttle;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<store::AccessDb>> m_idle;
};

// The token of an "Authorization: Bearer <token>" header ("" when absent
// or another scheme). The header name and scheme are case-insensitive.
std::string bearer_token(const http::Request& request);

// A JSON error with Retry-After (at least 1 second).
http::Response too_many_requests(const char* message, std::int64_t retry_after_seconds);

}  // namespace spiegel::app
