// Browser sign-in (daemon/app/sessions.cpp, sign_in_routes.cpp): the form
// and its CSRF cookie, sessions in the access database (hashed ids), the
// cookie attributes with and without TLS, idle and absolute expiry on the
// injected clock, revocation, sign-out with CSRF, cross-site refusals, and
// that a session has exactly its token's rights and audit trail.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <regex>

#include "daemon/app/routes.h"
#include "daemon/metrics/exporter.h"
#include "daemon/util/crypto.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

using namespace std::chrono_literals;

// A router like the daemon's with sessions and the list pages on a manual clock.
struct WebServer {
    metrics::Exporter exporter{"test"};
    util::ManualClock clock{1'800'000'000};
    std::unique_ptr<store::AccessWriter> audit;
    std::shared_ptr<app::Sessions> sessions;
    http::Router router;
    bool tls = true;
    std::string public_origin;  // http.public_origin (a TLS-terminating proxy in front)

    int reloads = 0;  // POST /-/reload calls that got through (with_lifecycle)

    explicit WebServer(const CardWorld& w, int per_hour = 300, std::int64_t idle_seconds = 30 * 60,
                       bool with_lifecycle = false) {
        store::AccessWriterOptions options;
        options.path = w.access_db();
        auto writer = store::AccessWriter::start(options, clock);
        EXPECT_TRUE(writer.ok()) << (writer ? "" : writer.error().message);
        audit = std::move(*writer);
        sessions = std::make_shared<app::Sessions>(app::SessionOptions{w.access_db(), audit.get(), &clock, idle_seconds, 8 * 3600});
        auto auth = std::make_shared<app::Authenticator>(
            app::AuthenticatorOptions{&exporter, &clock, w.access_db(), 1000, sessions});
        app::RouteContext context;
        context.exporter = &exporter;
        const cards::CardSource source = w.card_source(per_hour);
        context.card_source = [source] { return source; };
        context.auth = auth;
        context.cards = std::make_shared<app::CardRoutes>(app::CardRoutesOptions{&exporter, &clock, auth, audit.get()});
        context.web = std::make_shared<app::WebRoutes>(app::CardRoutesOptions{&exporter, &clock, auth, audit.get()},
                                                       context.cards);
        context.lifecycle = with_lifecycle;
        context.reload = [this] {
            ++reloads;
            http::Response r;
            r.status = 200;
            return r;
        };
        app::add_routes(router, context);
    }

    http::Response send(const std::string& method, const std::string& target, const std::string& cookie = "",
                        const std::string& body = "", std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::Request request;
        request.method = method;
        const auto q = target.find('?');
        request.path = target.substr(0, q);
        request.raw_path = request.path;
        request.query = q == std::string::npos ? "" : target.substr(q + 1);
        request.tls = tls;
        request.public_origin = public_origin;
        request.remote_address = "127.0.0.1";
        request.headers = std::move(headers);
        request.headers.emplace_back("Host", "spiegel.test");
        if (!cookie.empty()) {
            request.headers.emplace_back("Cookie", cookie);
        }
        if (method == "POST") {
            request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
            request.body = body;
        }
        return router.dispatch(request).response;
    }

    // Signs in through the form as a browser does; the session cookie ("NAME=VALUE") or "".
    std::string sign_in(const std::string& token, http::Response* answer = nullptr) {
        const auto form = send("GET", "/inloggen");
        const std::string csrf_cookie = cookie_pair(form, "spiegel-csrf");
        const std::string csrf = csrf_cookie.substr(csrf_cookie.find('=') + 1);
        const std::string origin = public_origin.empty()
                                       ? std::string(tls ? "https" : "http") + "://spiegel.test"
                                       : public_origin;
        auto r = send("POST", "/inloggen", csrf_cookie, "csrf=" + csrf + "&token=" + token,
                      {{"Origin", origin}});
        if (answer) {
            *answer = r;
        }
        return cookie_pair(r, "spiegel-sessie");
    }

    // "NAME=VALUE" of the Set-Cookie whose name ends with `suffix` (and has a value).
    static std::string cookie_pair(const http::Response& r, const std::string& suffix) {
        for (const auto& [name, value] : r.headers) {
            if (name != "Set-Cookie") {
                continue;
            }
            const std::string pair = value.substr(0, value.find(';'));
            const std::string cookie_name = pair.substr(0, pair.find('='));
            if (cookie_name.size() >= suffix.size() &&
                cookie_name.compare(cookie_name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                pair.size() > cookie_name.size() + 1) {
                return pair;
            }
        }
        return "";
    }
    static std::string header(const http::Response& r, const std::string& wanted) {
        for (const auto& [name, value] : r.headers) {
            if (name == wanted) {
                return value;
            }
        }
        return "";
    }
    // The CSRF token of the sign-out form on an HTML page.
    static std::string page_csrf(const http::Response& r) {
        std::smatch m;
        return std::regex_search(r.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str() : "";
    }
};

class WebSession : public ::testing::Test {
protected:
    static CardWorld& world() {
        static CardWorld w(1000);
        return w;
    }

    // Uses the session `times` times, `every` apart on the server's clock;
    // each read must be answered (the session stays).
    static void keep_using(WebServer& s, const std::string& cookie, std::chrono::seconds every, int times) {
        for (int i = 0; i < times; ++i) {
            s.clock.advance(every);
            ASSERT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200) << i;
        }
    }
};

TEST_F(WebSession, sign_in_form_is_dutch_and_sets_a_csrf_cookie_it_carries) {
    WebServer s(world());
    const auto form = s.send("GET", "/inloggen");
    EXPECT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("lang=\"nl\""), std::string::npos);
    EXPECT_NE(form.body.find("name=\"token\""), std::string::npos);
    const std::string cookie = WebServer::cookie_pair(form, "spiegel-csrf");
    ASSERT_EQ(cookie.rfind("__Host-spiegel-csrf=", 0), 0u) << cookie;
    EXPECT_EQ(WebServer::page_csrf(form), cookie.substr(cookie.find('=') + 1));
}

TEST_F(WebSession, a_valid_token_gets_a_host_cookie_that_is_httponly_secure_and_strict) {
    WebServer s(world());
    http::Response answer;
    const std::string cookie = s.sign_in(world().adviser, &answer);
    ASSERT_EQ(answer.status, 303) << answer.body;
    EXPECT_EQ(WebServer::header(answer, "Location"), "/werklijst");
    std::string set_cookie;
    for (const auto& [name, value] : answer.headers) {
        if (name == "Set-Cookie" && value.rfind("__Host-spiegel-sessie=", 0) == 0) {
            set_cookie = value;
        }
    }
    EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos);
    EXPECT_NE(set_cookie.find("; Secure"), std::string::npos);
    EXPECT_EQ(set_cookie.find("Domain"), std::string::npos);
}

TEST_F(WebSession, without_tls_the_cookie_has_no_host_prefix_and_no_secure_flag) {
    WebServer s(world());
    s.tls = false;
    http::Response answer;
    const std::string cookie = s.sign_in(world().adviser, &answer);
    ASSERT_EQ(cookie.rfind("spiegel-sessie=", 0), 0u) << cookie;
    for (const auto& [name, value] : answer.headers) {
        if (name == "Set-Cookie") {
            EXPECT_EQ(value.find("Secure"), std::string::npos) << value;
        }
    }
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200);
}

// Behind a TLS-terminating proxy (http.public_origin) the daemon hears
// plain HTTP, but the browser is on https: cookies are Secure with the
// __Host- prefix, and a form posts from the public origin, not from the
// scheme and Host the daemon sees.
TEST_F(WebSession, behind_a_tls_proxy_cookies_are_secure_and_forms_come_from_the_public_origin) {
    WebServer s(world());
    s.tls = false;
    s.public_origin = "https://spiegel.example.nl";
    const auto form = s.send("GET", "/inloggen");
    const std::string csrf_cookie = WebServer::cookie_pair(form, "spiegel-csrf");
    ASSERT_EQ(csrf_cookie.rfind("__Host-spiegel-csrf=", 0), 0u) << csrf_cookie;
    const std::string csrf = csrf_cookie.substr(csrf_cookie.find('=') + 1);
    const std::string body = "csrf=" + csrf + "&token=" + world().adviser;
    // The origin the daemon itself sees (http + Host) is not the page's.
    EXPECT_EQ(
        s.send("POST", "/inloggen", csrf_cookie, body, {{"Origin", "http://spiegel.test"}}).status,
        403);
    EXPECT_EQ(
        s.send("POST", "/inloggen", csrf_cookie, body, {{"Origin", "https://spiegel.test"}}).status,
        403);
    http::Response answer;
    const std::string session = s.sign_in(world().adviser, &answer);
    ASSERT_EQ(answer.status, 303);
    ASSERT_EQ(session.rfind("__Host-spiegel-sessie=", 0), 0u) << session;
    bool secure = false;
    for (const auto& [name, value] : answer.headers) {
        if (name == "Set-Cookie" && value.rfind("__Host-spiegel-sessie=", 0) == 0) {
            secure = value.find("; Secure") != std::string::npos;
        }
    }
    EXPECT_TRUE(secure);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", session).status, 200);
    EXPECT_EQ(s.send("GET", "/werklijst", session).status, 200);
}

TEST_F(WebSession, the_session_id_is_stored_only_as_its_hash) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().adviser);
    const std::string id = cookie.substr(cookie.find('=') + 1);
    ASSERT_GE(id.size(), 43u);
    SQLite::Database db(world().access_db(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT count(*) FROM web_session WHERE id_hash = ?");
    q.bind(1, util::sha256_hex(id));
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 1);
    SQLite::Statement raw(db, "SELECT count(*) FROM web_session WHERE id_hash = ? OR csrf = ?");
    raw.bind(1, id);
    raw.bind(2, id);
    ASSERT_TRUE(raw.executeStep());
    EXPECT_EQ(raw.getColumn(0).getInt(), 0);
}

TEST_F(WebSession, sign_in_and_sign_out_are_in_the_audit_log_under_the_token) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().officer);
    auto rows = world().tokens->access_log();
    ASSERT_TRUE(rows.ok() && !rows->empty());
    EXPECT_EQ(rows->back().card_type, "session");
    EXPECT_EQ(rows->back().record_id, "sign-in");
    EXPECT_EQ(rows->back().role, store::Role::officer);
    const std::string csrf = WebServer::page_csrf(s.send("GET", "/overzicht", cookie));
    ASSERT_EQ(s.send("POST", "/uitloggen", cookie, "csrf=" + csrf).status, 303);
    rows = world().tokens->access_log();
    EXPECT_EQ(rows->back().record_id, "sign-out");
}

TEST_F(WebSession, signing_in_again_ends_the_browsers_previous_session) {
    WebServer s(world());
    const std::string first = s.sign_in(world().adviser);
    ASSERT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", first).status, 200);
    const auto form = s.send("GET", "/inloggen", first);
    const std::string csrf_cookie = WebServer::cookie_pair(form, "spiegel-csrf");
    const auto again = s.send("POST", "/inloggen", first + "; " + csrf_cookie,
                              "csrf=" + csrf_cookie.substr(csrf_cookie.find('=') + 1) + "&token=" + world().adviser);
    ASSERT_EQ(again.status, 303);
    const std::string second = WebServer::cookie_pair(again, "spiegel-sessie");
    ASSERT_NE(second, first);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", first).status, 401);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", second).status, 200);
}

TEST_F(WebSession, a_wrong_token_shows_the_form_again_with_401) {
    WebServer s(world());
    http::Response answer;
    EXPECT_EQ(s.sign_in("spg_" + std::string(43, 'x'), &answer), "");
    EXPECT_EQ(answer.status, 401);
    EXPECT_NE(answer.body.find("Deze code klopt niet"), std::string::npos);
    EXPECT_NE(answer.body.find("name=\"token\""), std::string::npos);
    // A 401 names a way to authenticate (RFC 9110, 15.5.2).
    bool challenge = false;
    for (const auto& [name, value] : answer.headers) {
        challenge = challenge || (name == "WWW-Authenticate" && value == "Bearer realm=\"spiegel\"");
    }
    EXPECT_TRUE(challenge);
}

TEST_F(WebSession, an_officers_session_cannot_reload_only_an_officers_token_from_this_site) {
    WebServer s(world(), 300, 30 * 60, true);
    const std::string session = s.sign_in(world().officer);
    ASSERT_FALSE(session.empty());
    const auto reload = [&](const std::string& cookie, std::vector<std::pair<std::string, std::string>> headers) {
        headers.emplace_back("Content-Type", "application/json");  // before the form type send() adds
        return s.send("POST", "/-/reload", cookie, "{}", std::move(headers)).status;
    };
    EXPECT_EQ(reload(session, {}), 401);
    EXPECT_EQ(reload(session, {{"Origin", "https://spiegel.test"}, {"Sec-Fetch-Site", "same-origin"}}), 401);
    const std::pair<std::string, std::string> bearer{"Authorization", "Bearer " + world().officer};
    EXPECT_EQ(reload("", {bearer, {"Sec-Fetch-Site", "cross-site"}}), 403);
    EXPECT_EQ(reload("", {bearer, {"Sec-Fetch-Site", "same-site"}}), 403);
    EXPECT_EQ(reload("", {bearer, {"Origin", "null"}}), 403);
    EXPECT_EQ(s.reloads, 0);
    EXPECT_EQ(reload("", {bearer, {"Origin", "https://spiegel.test"}, {"Sec-Fetch-Site", "same-origin"}}), 200);
    EXPECT_EQ(reload("", {bearer}), 200);
    EXPECT_EQ(s.reloads, 2);
}

TEST_F(WebSession, a_session_has_its_tokens_rights_and_audit_trail) {
    WebServer s(world());
    const std::string adviser = s.sign_in(world().adviser);
    const auto before = world().tokens->access_log()->size();
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", adviser).status, 200);
    const auto rows = world().tokens->access_log();
    ASSERT_EQ(rows->size(), before + 1);
    EXPECT_EQ(rows->back().record_id, "cv-target");
    EXPECT_EQ(rows->back().role, store::Role::adviser);
    const std::string officer = s.sign_in(world().officer);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", officer).status, 403);
    const std::string employer = s.sign_in(world().employer);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/vacancy/vac-own", employer).status, 200);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/vacancy/vac-other", employer).status, 403);
}

// A page of another site, also a sibling subdomain or another port of this
// host ("same-site"), must not read cards, write audit rows or spend the
// reader's limit with the person's cookie; the person's own navigation does.
TEST_F(WebSession, a_session_identifies_only_same_origin_requests_and_the_persons_own) {
    WebServer s(world());
    const std::string adviser = s.sign_in(world().adviser);
    const auto before = world().tokens->access_log()->size();
    for (const char* site : {"same-site", "cross-site"}) {
        EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", adviser, "", {{"Sec-Fetch-Site", site}}).status, 401)
            << site;
        EXPECT_EQ(s.send("GET", "/cards/cv/cv-target", adviser, "", {{"Sec-Fetch-Site", site}}).status, 303) << site;
    }
    EXPECT_EQ(world().tokens->access_log()->size(), before) << "nothing audited in the person's name";
    for (const char* site : {"same-origin", "none"}) {
        EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", adviser, "", {{"Sec-Fetch-Site", site}}).status, 200)
            << site;
    }
}

TEST_F(WebSession, a_browser_without_a_session_is_sent_to_sign_in_and_an_api_client_gets_401) {
    WebServer s(world());
    const auto page = s.send("GET", "/cards/cv/cv-target");
    EXPECT_EQ(page.status, 303);
    EXPECT_EQ(WebServer::header(page, "Location"), "/inloggen");
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target").status, 401);
    const auto list = s.send("GET", "/werklijst?region=AM21");
    EXPECT_EQ(WebServer::header(list, "Location"), "/inloggen");
    EXPECT_EQ(WebServer::header(list, "Set-Cookie"), "") << "no session cookie to clear";
}

TEST_F(WebSession, idle_sessions_end_after_thirty_minutes) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().adviser);
    s.clock.advance(29min);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200);  // and the session is touched
    s.clock.advance(29min);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200);
    s.clock.advance(31min);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 401);
    const auto page = s.send("GET", "/cards/cv/cv-target", cookie);
    EXPECT_EQ(page.status, 303);
    EXPECT_EQ(WebServer::header(page, "Location"), "/inloggen");
    EXPECT_NE(WebServer::header(page, "Set-Cookie").find("Max-Age=0"), std::string::npos);
    // The ended session's cookie is cleared with the redirect.
    const auto list = s.send("GET", "/werklijst?region=AM21", cookie);
    EXPECT_EQ(list.status, 303);
    EXPECT_EQ(WebServer::header(list, "Location"), "/inloggen");
    EXPECT_EQ(WebServer::header(list, "Set-Cookie").rfind(cookie.substr(0, cookie.find('=') + 1) + "; Path=/; Max-Age=0", 0),
              0u)
        << WebServer::header(list, "Set-Cookie");
}

// access.session_idle_timeout may be as short as a minute: a session in use
// is then kept alive by its requests too (its last use is written at least
// four times per timeout, not only once a minute).
TEST_F(WebSession, with_the_shortest_idle_timeout_a_session_in_use_stays) {
    WebServer s(world(), 300, 60);
    // The sign-in page says when a session ends, as configured.
    const auto form = s.send("GET", "/inloggen", "");
    EXPECT_NE(form.body.find("Na 1 minuut zonder gebruik, en 8 uur na het inloggen, logt Spiegel u vanzelf uit."),
              std::string::npos)
        << form.body;
    const std::string cookie = s.sign_in(world().adviser);
    keep_using(s, cookie, 15s, 20);  // five minutes, a request every 15 seconds
    s.clock.advance(61s);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 401);
}

// docs/web.md: every page of a signed-in browser has the navigation and the
// sign-out button, the cards and their refusals too; a card fetched with a
// bearer token is the card alone.
TEST_F(WebSession, card_pages_of_a_signed_in_browser_have_the_sign_out_button) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().adviser);
    const auto card = s.send("GET", "/cards/cv/cv-target", cookie);
    ASSERT_EQ(card.status, 200) << card.body;
    EXPECT_NE(card.body.find("action=\"/uitloggen\""), std::string::npos) << card.body;
    EXPECT_NE(card.body.find("<a href=\"/werklijst\">Werklijst</a>"), std::string::npos);
    EXPECT_NE(WebServer::header(card, "Content-Security-Policy").find("form-action 'self'"), std::string::npos);
    EXPECT_NE(card.body.find("@media print{.session-nav{display:none}}"), std::string::npos);
    const auto missing = s.send("GET", "/cards/cv/cv-nobody", cookie);
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("action=\"/uitloggen\""), std::string::npos) << missing.body;
    const auto bearer = s.send("GET", "/cards/cv/cv-target", "", "",
                               {{"Authorization", "Bearer " + world().adviser}});
    ASSERT_EQ(bearer.status, 200);
    EXPECT_EQ(bearer.body.find("/uitloggen"), std::string::npos);
}

TEST_F(WebSession, sessions_end_eight_hours_after_sign_in_however_busy) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().adviser);
    keep_using(s, cookie, 20min, 23);  // 7 h 40 min of work, a request every 20 minutes
    s.clock.advance(20min);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 401);
}

TEST_F(WebSession, revoking_the_token_ends_its_sessions_at_once) {
    WebServer s(world());
    auto token = world().tokens->add("kort", store::Role::adviser, "", 1'700'000'000);
    ASSERT_TRUE(token.ok());
    const std::string cookie = s.sign_in(*token);
    ASSERT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200);
    ASSERT_TRUE(world().tokens->revoke("kort", 1'700'000'100).ok());
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 401);
}

TEST_F(WebSession, sign_out_needs_the_sessions_csrf_token) {
    WebServer s(world());
    const std::string cookie = s.sign_in(world().adviser);
    const auto list = s.send("GET", "/werklijst", cookie);
    ASSERT_EQ(list.status, 200) << list.body;
    const std::string csrf = WebServer::page_csrf(list);
    ASSERT_FALSE(csrf.empty());
    EXPECT_EQ(s.send("POST", "/uitloggen", cookie, "").status, 403);
    EXPECT_EQ(s.send("POST", "/uitloggen", cookie, "csrf=wrong").status, 403);
    EXPECT_EQ(s.send("POST", "/uitloggen", cookie, "csrf=" + csrf, {{"Origin", "https://evil.example"}}).status, 403);
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 200);  // still signed in
    const auto out = s.send("POST", "/uitloggen", cookie, "csrf=" + csrf, {{"Origin", "https://spiegel.test"}});
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(WebServer::header(out, "Location"), "/inloggen");
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", cookie).status, 401);
}

TEST_F(WebSession, cross_site_sign_in_posts_are_refused) {
    WebServer s(world());
    const std::string body = "token=" + world().adviser;
    EXPECT_EQ(s.send("POST", "/inloggen", "", body, {{"Origin", "https://evil.example"}}).status, 403);
    EXPECT_EQ(s.send("POST", "/inloggen", "", body, {{"Sec-Fetch-Site", "cross-site"}}).status, 403);
    EXPECT_EQ(s.send("POST", "/inloggen", "__Host-spiegel-csrf=abc", body + "&csrf=other").status, 403);
    // Without the form's cookie nothing shows the post came from the form
    // Spiegel served, even with no Origin at all: refused. (Programs use
    // the bearer header, not sessions.)
    EXPECT_EQ(s.send("POST", "/inloggen", "", body).status, 403);
    EXPECT_EQ(s.send("POST", "/inloggen", "", body + "&csrf=abc").status, 403);
    // With the cookie and the same value in the form: signed in.
    EXPECT_EQ(s.send("POST", "/inloggen", "__Host-spiegel-csrf=abc", body + "&csrf=abc").status, 303);
}

TEST_F(WebSession, bearer_headers_keep_working_beside_sessions) {
    WebServer s(world());
    EXPECT_EQ(s.send("GET", "/api/v1/cards/cv/cv-target", "", "", {{"Authorization", "Bearer " + world().adviser}}).status,
              200);
}

}  // namespace
}  // namespace spiegel::testing
