#include "daemon/app/sign_in_routes.h"

#include "daemon/app/web_page.h"
#include "daemon/metrics/exporter.h"
#include "daemon/util/crypto.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

using http::Request;
using http::Response;

constexpr std::size_t k_csrf_bytes = 32;

// A duration for people: "1 minuut", "30 minuten", "8 uur", "2 dagen"
// (the largest unit that divides it; seconds when none does).
std::string dutch_duration(std::int64_t seconds) {
    struct Unit {
        std::int64_t seconds;
        const char* one;
        const char* many;
    };
    for (const Unit u : {Unit{86400, "dag", "dagen"}, Unit{3600, "uur", "uur"}, Unit{60, "minuut", "minuten"},
                         Unit{1, "seconde", "seconden"}}) {
        if (seconds >= u.seconds && seconds % u.seconds == 0) {
            const std::int64_t n = seconds / u.seconds;
            return std::to_string(n) + " " + (n == 1 ? u.one : u.many);
        }
    }
    return std::to_string(seconds) + " seconden";
}

// When a session ends, as configured (access.session_idle_timeout and
// access.session_max_age).
std::string session_note(Sessions* sessions) {
    const auto [idle, max_age] = sessions ? sessions->timeouts() : std::pair<std::int64_t, std::int64_t>{1800, 28800};
    return "Na " + dutch_duration(idle) + " zonder gebruik, en " + dutch_duration(max_age) +
           " na het inloggen, logt Spiegel u vanzelf uit.";
}

std::string form_html(const std::string& csrf, const std::string& error, const std::string& note) {
    std::string body;
    if (!error.empty()) {
        body += "<p class=\"error\" role=\"alert\">" + util::html_escape(error) + "</p>\n";
    }
    body +=
        "<p>Log in met de code die u van uw beheerder hebt gekregen. De code begint met <code>spg_</code>.</p>\n"
        "<form method=\"post\" action=\"/inloggen\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"" +
        util::html_escape(csrf) +
        "\">"
        // A password form gets a (hidden) user name field, as password managers and Chromium expect.
        "<input type=\"text\" autocomplete=\"username\" value=\"spiegel\" hidden aria-hidden=\"true\">"
        "<label for=\"token\">Uw code</label>"
        "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required size=\"50\">"
        "<p><button type=\"submit\">Inloggen</button></p></form>\n"
        "<p class=\"note\">" + util::html_escape(note) + "</p>\n";
    return body;
}

// The form with a fresh CSRF value in field and cookie.
Response form_page(const Request& request, int status, const std::string& error, Sessions* sessions) {
    auto bytes = util::random_bytes(k_csrf_bytes);
    if (!bytes) {
        return http::json_error(500, "no randomness available");
    }
    const std::string csrf = util::base64url(*bytes);
    Response r = page(status, "Inloggen", form_html(csrf, error, session_note(sessions)), std::nullopt);
    r.headers.emplace_back("Set-Cookie",
                           set_cookie(csrf_cookie_name(request.secure()), csrf, request.secure()));
    return r;
}

bool is_form(const Request& request) {
    const std::string_view type = request.header("Content-Type");
    return type.substr(0, type.find(';')) == "application/x-www-form-urlencoded";
}

Response refused(const char* why) {
    return page(403, "Niet toegestaan",
                std::string("<p class=\"error\" role=\"alert\">") + why +
                    "</p>\n<p><a href=\"/inloggen\">Naar inloggen</a></p>\n",
                std::nullopt);
}

}  // namespace

Response sign_in_form(Authenticator& auth, const Request& request) {
    return form_page(request, 200, "", auth.sessions());
}

Response sign_in(Authenticator& auth, const Request& request) {
    if (!same_origin(request)) {
        return refused("Dit formulier komt van een andere website. Log in via Spiegel zelf.");
    }
    if (!is_form(request)) {
        return http::json_error(415, "send Content-Type: application/x-www-form-urlencoded");
    }
    // Double submit, always: the form's hidden value must equal the cookie
    // set with the form (a request without the cookie did not come from
    // the form Spiegel served, whatever its Origin says or omits).
    const std::string cookie = cookie_value(request, csrf_cookie_name(request.secure()));
    if (cookie.empty() || !util::constant_time_equal(cookie, form_value(request.body, "csrf"))) {
        return refused("Het formulier is verlopen. Open de inlogpagina opnieuw.");
    }
    Sessions* sessions = auth.sessions();
    if (!sessions) {
        return http::json_error(500, "sign-in is not available");
    }
    auto who = auth.check_token(request, form_value(request.body, "token"));
    if (auto* refusal = std::get_if<Response>(&who)) {
        if (refusal->status == 401) {
            Response r = form_page(request, 401,
                                   "Deze code klopt niet, of is ingetrokken. Controleer de code en probeer het opnieuw.",
                                   sessions);
            // A 401 names a way to authenticate (RFC 9110, 15.5.2): the same
            // token works as a bearer token; a browser shows no dialog for it.
            r.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="spiegel")");
            return r;
        }
        if (refusal->status == 429) {
            Response r = form_page(request, 429, "Te veel mislukte pogingen vanaf deze computer. Wacht een minuut.",
                                   sessions);
            for (const auto& h : refusal->headers) {
                if (h.first == "Retry-After") {
                    r.headers.push_back(h);
                }
            }
            return r;
        }
        return std::move(*refusal);
    }
    const auto& principal = std::get<store::Principal>(who);
    // A browser that signs in again leaves no second live session behind.
    if (const SessionLookup previous = sessions->lookup(request); previous.outcome == SessionLookup::Outcome::active) {
        (void)sessions->end(previous.session.id_hash);
    }
    auto created = sessions->create(principal);
    if (!created || !sessions->audit(principal, "sign-in")) {
        return http::json_error(500, "the session could not be stored");
    }
    Response r = see_other(home_of(principal.role));
    r.headers.emplace_back("Set-Cookie", set_cookie(session_cookie_name(request.secure()),
                                                    created->id, request.secure()));
    r.headers.emplace_back("Set-Cookie",
                           delete_cookie(csrf_cookie_name(request.secure()), request.secure()));
    return r;
}

Response sign_out(Authenticator& auth, const Request& request) {
    Sessions* sessions = auth.sessions();
    if (!sessions) {
        return http::json_error(500, "sign-in is not available");
    }
    const SessionLookup found = sessions->lookup(request);
    if (found.outcome == SessionLookup::Outcome::error) {
        return http::json_error(500, "cannot read the session table");
    }
    if (found.outcome != SessionLookup::Outcome::active) {
        Response r = see_other("/inloggen");
        r.headers.emplace_back(
            "Set-Cookie", delete_cookie(session_cookie_name(request.secure()), request.secure()));
        return r;
    }
    if (!same_origin(request) || !is_form(request) ||
        !util::constant_time_equal(form_value(request.body, "csrf"), found.session.csrf)) {
        return refused("Uitloggen kan alleen met de knop in Spiegel zelf.");
    }
    if (!sessions->end(found.session.id_hash)) {
        return http::json_error(500, "the session could not be ended");
    }
    // The session is gone either way; a sign-out the audit log missed is counted.
    if (!sessions->audit(found.session.principal, "sign-out") && auth.exporter()) {
        auth.exporter()->audit_failure();
    }
    Response r = see_other("/inloggen");
    r.headers.emplace_back("Set-Cookie",
                           delete_cookie(session_cookie_name(request.secure()), request.secure()));
    return r;
}

void add_sign_in_routes(http::Router& router, std::shared_ptr<Authenticator> auth) {
    router.add("GET", "/inloggen", [auth](const Request& r) { return sign_in_form(*auth, r); }, http::Dispatch::offload);
    router.add("POST", "/inloggen", [auth](const Request& r) { return sign_in(*auth, r); }, http::Dispatch::offload);
    router.add("POST", "/uitloggen", [auth](const Request& r) { return sign_out(*auth, r); }, http::Dispatch::offload);
}

}  // namespace spiegel::app
