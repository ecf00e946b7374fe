#pragma once
// The frame of the daemon's own pages for people (sign-in, worklist,
// employer page, overview): Dutch, one inline stylesheet, no script, a
// navigation that fits the role, and a sign-out form carrying the
// session's CSRF token. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "daemon/app/sessions.h"
#include "daemon/http/router.h"

namespace spiegel::app {

// CSP of these pages: inline style only, forms post to this origin only.
inline constexpr const char* k_page_csp =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// A complete HTML page: `title` is escaped here, `body_html` must be
// escaped by the caller. `session` adds the navigation and the sign-out form.
http::Response page(int status, std::string_view title, const std::string& body_html,
                    const std::optional<ActiveSession>& session);

// A card page (its own template) for a signed-in browser: the navigation
// and sign-out form of the daemon's pages put in after <body>, with their
// style (hidden in print, so the card still prints on one page), and the
// page's CSP (forms post to this origin only). `html` is returned as it
// is when it has no <body>.
std::string with_session_nav(std::string html, const ActiveSession& session);

// 429 for a person who opened too many cards and lists within the hour:
// a Dutch page saying how long to wait, with Retry-After.
http::Response busy_page(std::int64_t retry_after_seconds, const std::optional<ActiveSession>& session);

// 303 See Other to `location` (a path of this site).
http::Response see_other(std::string location);
// 303 to the sign-in page for a browser that is not signed in; a session
// cookie it still sends (an ended or unknown session) is cleared with it.
http::Response to_sign_in(const http::Request& request);
// Where a principal starts after signing in: /werklijst, /mijn-vacatures or /overzicht.
std::string home_of(store::Role role);

// Fields of an application/x-www-form-urlencoded body ("" when absent or malformed).
std::string form_value(std::string_view body, std::string_view name);
// The value of `name` in a query string ("" when absent; "?" when malformed).
std::string query_param(std::string_view query, std::string_view name);

// False for a POST a browser marks as cross-site: an Origin that is not
// this site (Request::origin: http.public_origin, or the connection's scheme
// and Host), Sec-Fetch-Site other
// than same-origin or none, or "Origin: null" without Sec-Fetch-Site.
bool same_origin(const http::Request& request);

}  // namespace spiegel::app
