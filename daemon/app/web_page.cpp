#include "daemon/app/web_page.h"

#include <algorithm>

#include "daemon/util/printable.h"
#include "daemon/util/text.h"

namespace spiegel::app {
namespace {

constexpr const char* k_style =
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#111;line-height:1.45}"
    "header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:2px solid #1d4f91;padding-bottom:.4rem}"
    "header .brand{font-weight:bold;color:#1d4f91;margin:0}nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}"
    "a{color:#1d4f91}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f5a623;outline-offset:2px}"
    "h1{font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}th,td{border-bottom:1px solid #bbb;padding:.3rem .5rem;text-align:left}"
    "td.num,th.num{text-align:right}label{display:block;font-weight:bold;margin:.6rem 0 .2rem}"
    "input,select,button{font-size:1rem;padding:.35rem .5rem}button{background:#1d4f91;color:#fff;border:0;border-radius:3px;cursor:pointer}"
    "form.inline{display:inline;margin:0}p.error{color:#a00000;font-weight:bold}p.note{font-size:.9rem;color:#333}"
    ".pager{display:flex;gap:1rem;margin:1rem 0}"
    "@media print{header nav,form,.pager{display:none}body{max-width:none;padding:0;font-size:9pt}"
    "table{font-size:8pt;width:100%;table-layout:auto}th,td{padding:.1rem .25rem;word-break:break-word}"
    "a{color:#111;text-decoration:none}@page{size:A4;margin:10mm}}";

std::string nav(const ActiveSession& session) {
    std::string out = "<nav aria-label=\"Hoofdmenu\"><ul>";
    switch (session.principal.role) {
        case store::Role::adviser:
            out += "<li><a href=\"/werklijst\">Werklijst</a></li>";
            break;
        case store::Role::employer:
            out += "<li><a href=\"/mijn-vacatures\">Mijn vacatures</a></li>";
            break;
        case store::Role::officer:
            out += "<li><a href=\"/overzicht\">Overzicht</a></li>";
            break;
    }
    out += "<li><form class=\"inline\" method=\"post\" action=\"/uitloggen\">"
           "<input type=\"hidden\" name=\"csrf\" value=\"" +
           util::html_escape(session.csrf) + "\"><button type=\"submit\">Uitloggen</button></form></li></ul></nav>";
    return out;
}

}  // namespace

std::string with_session_nav(std::string html, const ActiveSession& session) {
    const std::size_t body = html.find("<body");
    const std::size_t open_end = body == std::string::npos ? std::string::npos : html.find('>', body);
    if (open_end == std::string::npos) {
        return html;
    }
    const std::string bar =
        "<style>.session-nav{font-family:system-ui,sans-serif;border-bottom:2px solid #1d4f91;margin-bottom:.6rem;"
        "padding:.3rem 0}.session-nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0;align-items:center}"
        ".session-nav a{color:#1d4f91}.session-nav form{display:inline;margin:0}.session-nav button{font-size:1rem;"
        "padding:.3rem .5rem;background:#1d4f91;color:#fff;border:0;border-radius:3px;cursor:pointer}"
        ".session-nav a:focus,.session-nav button:focus{outline:3px solid #f5a623;outline-offset:2px}"
        "@media print{.session-nav{display:none}}</style><div class=\"session-nav\">" +
        nav(session) + "</div>\n";
    html.insert(open_end + 1, bar);
    return html;
}

http::Response busy_page(std::int64_t retry_after_seconds, const std::optional<ActiveSession>& session) {
    const std::int64_t seconds = std::max<std::int64_t>(1, retry_after_seconds);
    const std::int64_t minutes = (seconds + 59) / 60;
    http::Response r = page(429, "Even wachten",
                            "<p class=\"error\" role=\"alert\">U hebt het afgelopen uur veel kaarten en lijsten "
                            "geopend. Dat kan niet meer dan een vast aantal keer per uur. Probeer het over " +
                                std::to_string(minutes) + (minutes == 1 ? " minuut" : " minuten") + " opnieuw.</p>\n",
                            session);
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
}

http::Response page(int status, std::string_view title, const std::string& body_html,
                    const std::optional<ActiveSession>& session) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
    html += util::html_escape(title);
    html += " – Spiegel</title><style>";
    html += k_style;
    html += "</style></head>\n<body><header><p class=\"brand\">Spiegel</p>";
    if (session) {
        html += nav(*session);
    }
    html += "</header>\n<main>\n<h1>" + util::html_escape(title) + "</h1>\n" + body_html + "</main>\n</body></html>\n";
    http::Response r = http::Response::html(status, std::move(html));
    r.headers.emplace_back("Content-Security-Policy", k_page_csp);
    r.headers.emplace_back("Cache-Control", "no-store");
    // Same-origin requests then carry Origin (no-referrer makes a form POST send "Origin: null").
    r.headers.emplace_back("Referrer-Policy", "same-origin");
    return r;
}

http::Response see_other(std::string location) {
    http::Response r = http::Response::text(303, "Zie " + location + "\n");
    r.headers.emplace_back("Location", std::move(location));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

http::Response to_sign_in(const http::Request& request) {
    http::Response r = see_other("/inloggen");
    const std::string name = session_cookie_name(request.secure());
    if (!cookie_value(request, name).empty()) {
        r.headers.emplace_back("Set-Cookie", delete_cookie(name, request.secure()));
    }
    return r;
}

std::string home_of(store::Role role) {
    switch (role) {
        case store::Role::adviser:
            return "/werklijst";
        case store::Role::employer:
            return "/mijn-vacatures";
        case store::Role::officer:
            return "/overzicht";
    }
    return "/";
}

std::string query_param(std::string_view query, std::string_view name) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        const std::size_t end = std::min(query.find('&', pos), query.size());
        const std::string_view part = query.substr(pos, end - pos);
        const std::size_t eq = part.find('=');
        const std::string_view key = eq == std::string_view::npos ? part : part.substr(0, eq);
        if (key == name) {
            std::string raw(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
            std::replace(raw.begin(), raw.end(), '+', ' ');
            std::string out;
            return http::percent_decode(raw, out) ? out : std::string("?");
        }
        pos = end + 1;
    }
    return "";
}

std::string form_value(std::string_view body, std::string_view name) {
    const std::string v = query_param(body, name);
    return v == "?" ? "" : v;
}

bool same_origin(const http::Request& request) {
    const std::string_view origin = request.header("Origin");
    const std::string site = util::ascii_lower(request.header("Sec-Fetch-Site"));
    if (origin == "null" && site.empty()) {
        return false;  // an opaque origin (sandbox, cross-site redirect) with nothing else to go by
    }
    if (!origin.empty() && origin != "null") {
        if (util::ascii_lower(origin) != request.origin()) {
            return false;
        }
    }
    return site.empty() || site == "same-origin" || site == "none";
}

}  // namespace spiegel::app
