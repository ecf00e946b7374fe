#pragma once
// Sign-in for browsers (docs/serving.md, "Sign-in for browsers"):
//   GET  /inloggen   the form (a token field); sets a CSRF cookie whose
//                    value the form carries (double submit)
//   POST /inloggen   form field `token`: 303 to the role's start page with
//                    the session cookie, or the form again (401; 429 when
//                    the address failed too often). Refused with 403 when
//                    the browser marks it cross-site, or when the CSRF
//                    cookie of the form is present and the field does not
//                    match it.
//   POST /uitloggen  ends the session (CSRF token of the session and
//                    same-origin required, else 403); 303 to /inloggen.
// Thread-safe; the handlers run on the handler pool.

#include <memory>

#include "daemon/app/authenticator.h"
#include "daemon/http/router.h"

namespace spiegel::app {

void add_sign_in_routes(http::Router& router, std::shared_ptr<Authenticator> auth);

http::Response sign_in_form(Authenticator& auth, const http::Request& request);
http::Response sign_in(Authenticator& auth, const http::Request& request);
http::Response sign_out(Authenticator& auth, const http::Request& request);

}  // namespace spiegel::app
