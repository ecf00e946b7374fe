#pragma once
// Browser sessions (docs/serving.md, "Sign-in for browsers"): a person
// signs in with a token at /inloggen; the daemon then keeps a session in
// the access database (table web_session: only the SHA-256 of its random
// id) and gives the browser the id in a cookie: `__Host-spiegel-sessie`
// under TLS (Secure), `spiegel-sessie` over plain HTTP, always HttpOnly,
// SameSite=Strict, Path=/. A session carries exactly its token's principal:
// the token's role, rate limit and audit trail. It ends on sign-out, after
// `idle` without a request, `max_age` after sign-in, and at once when its
// token is revoked (every lookup joins the token table).
//
// Last use is written at most once a minute per session (k_touch_seconds),
// so the idle expiry is exact to within that minute and a page view does
// not cost a write. Writes go through the AccessWriter; reads use a pool of
// read-only connections. Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "daemon/app/access.h"
#include "daemon/http/router.h"
#include "daemon/store/access_db.h"
#include "daemon/store/access_writer.h"
#include "daemon/util/clock.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

inline constexpr std::int64_t k_touch_seconds = 60;

struct SessionOptions {
    std::string access_db;               // read-only lookups
    store::AccessWriter* writer = nullptr;  // creates, touches and ends sessions
    const util::Clock* clock = &util::system_clock();
    std::int64_t idle_seconds = 30 * 60;
    std::int64_t max_age_seconds = 8 * 3600;
};

// A valid session of a request.
struct ActiveSession {
    store::Principal principal;
    std::string csrf;     // the token its POST forms carry
    std::string id_hash;  // for sign-out
};

// What a request's session cookie says.
struct SessionLookup {
    enum class Outcome { none, active, ended, error };
    Outcome outcome = Outcome::none;  // none: no cookie; ended: unknown, expired or revoked
    ActiveSession session;            // active only
};

class Sessions {
public:
    explicit Sessions(SessionOptions options);
    ~Sessions();

    SessionLookup lookup(const http::Request& request);
    // A new session of `principal`: its id (for the cookie, never stored)
    // and CSRF token. Also removes expired sessions.
    struct Created {
        std::string id;
        std::string csrf;
    };
    util::Expected<Created> create(const store::Principal& principal);
    util::Status end(const std::string& id_hash);
    // An audit row of a sign-in or sign-out (card_type "session", record_id
    // "sign-in" / "sign-out"), committed before the answer.
    util::Status audit(const store::Principal& principal, const char* event);
    void set_timeouts(std::int64_t idle_seconds, std::int64_t max_age_seconds);
    // The current timeouts: idle, then since sign-in (seconds).
    std::pair<std::int64_t, std::int64_t> timeouts();

private:
    SessionOptions m_options;
    AccessReaderPool m_readers;
    std::mutex m_mutex;  // the timeouts
};

// Cookie names for a request (TLS or not).
std::string session_cookie_name(bool tls);
std::string csrf_cookie_name(bool tls);
// "NAME=VALUE; Path=/; HttpOnly; SameSite=Strict[; Secure]"; an empty
// value with Max-Age=0 deletes the cookie.
std::string set_cookie(const std::string& name, const std::string& value, bool tls);
std::string delete_cookie(const std::string& name, bool tls);
// The value of cookie `name` in the request's Cookie headers ("" when absent).
std::string cookie_value(const http::Request& request, std::string_view name);

}  // namespace spiegel::app
