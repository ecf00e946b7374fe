// message: bytes -> Request with the limits' 400/413/431 decisions, and
// Response -> wire message with the security headers.
#include "daemon/http/message.h"

#include <gtest/gtest.h>

#include <sstream>

namespace spiegel::http {
namespace {

using Outcome = ParsedRequest::Outcome;

Limits small() {
    Limits limits;
    limits.max_header_bytes = 1024;
    limits.max_body_bytes = 100;
    return limits;
}

TEST(ParseRequest, get_with_escapes_and_query_is_decoded) {
    const auto p =
        parse_request("GET /cards/cv/a%20b?region=AM01 HTTP/1.1\r\nHost: x\r\n\r\n", small());
    ASSERT_EQ(p.outcome, Outcome::complete);
    EXPECT_EQ(p.request.method, "GET");
    EXPECT_EQ(p.request.path, "/cards/cv/a b");
    EXPECT_EQ(p.request.raw_path, "/cards/cv/a%20b");
    EXPECT_EQ(p.request.query, "region=AM01");
    EXPECT_EQ(p.request.header("host"), "x");
    EXPECT_TRUE(p.keep_alive);
    EXPECT_TRUE(p.request.remote_address.empty());
}

TEST(ParseRequest, an_http_1_1_request_names_its_host_exactly_once) {
    const auto no_host = parse_request("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", small());
    EXPECT_EQ(no_host.status, 400);
    EXPECT_EQ(no_host.error, "an HTTP/1.1 request needs a Host header");
    const auto two = parse_request("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", small());
    EXPECT_EQ(two.status, 400);
    EXPECT_EQ(two.error, "more than one Host header");
    EXPECT_EQ(parse_request("GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", small()).status, 400);
    const auto old = parse_request("GET /healthz HTTP/1.0\r\n\r\n", small());
    EXPECT_EQ(old.outcome, Outcome::complete);  // HTTP/1.0 may leave it out
    EXPECT_EQ(parse_request("GET /healthz HTTP/1.1\r\nhost: a\r\n\r\n", small()).outcome, Outcome::complete);
}

TEST(ParseRequest, chunked_body_is_joined) {
    const auto p = parse_request(
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        small());
    ASSERT_EQ(p.outcome, Outcome::complete);
    EXPECT_EQ(p.request.body, "abcde");
}

TEST(ParseRequest, pipelined_requests_are_parsed_one_at_a_time) {
    const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const auto p = parse_request(first + "GET /b HTTP/1.1\r\n\r\n", small());
    ASSERT_EQ(p.outcome, Outcome::complete);
    EXPECT_EQ(p.request.path, "/a");
    EXPECT_FALSE(p.keep_alive);
    EXPECT_EQ(p.consumed, first.size());
}

TEST(ParseRequest, unfinished_request_is_incomplete) {
    EXPECT_EQ(parse_request("", small()).outcome, Outcome::incomplete);
    EXPECT_EQ(parse_request("GET / HTTP/1.1\r\nHost: x\r\n", small()).outcome, Outcome::incomplete);
    EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", small()).outcome,
              Outcome::incomplete);
}

TEST(ParseRequest, oversized_header_is_431) {
    const auto p =
        parse_request("GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n", small());
    EXPECT_EQ(p.outcome, Outcome::rejected);
    EXPECT_EQ(p.status, 431);
}

TEST(ParseRequest, oversized_body_is_413_even_when_chunked) {
    EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", small()).status, 413);
    const std::string chunk = "65\r\n" + std::string(101, 'x') + "\r\n0\r\n\r\n";
    EXPECT_EQ(
        parse_request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk, small())
            .status,
        413);
}

TEST(ParseRequest, malformed_request_line_and_target_are_400) {
    EXPECT_EQ(parse_request("NOT HTTP AT ALL\r\n\r\n", small()).status, 400);
    EXPECT_EQ(parse_request("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", small()).status, 400);
    EXPECT_EQ(parse_request("GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n", small()).status, 400);
    EXPECT_EQ(parse_request("GET * HTTP/1.1\r\nHost: x\r\n\r\n", small()).status, 400);
    EXPECT_EQ(parse_request("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", small()).status, 400);
}

// Found by a black-box review: the query's escapes went unchecked.
TEST(ParseRequest, a_bad_escape_or_nul_in_the_query_is_400) {
    for (const char* target : {"/healthz?x=%zz", "/healthz?x=%00", "/healthz?x=%4", "/healthz?%", "/a?b=1&c=%g0"}) {
        EXPECT_EQ(parse_request(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n", small()).status, 400)
            << target;
    }
    const ParsedRequest ok = parse_request("GET /a?b=%41+c&d= HTTP/1.1\r\nHost: x\r\n\r\n", small());
    EXPECT_EQ(ok.outcome, ParsedRequest::Outcome::complete);
    EXPECT_EQ(ok.request.query, "b=%41+c&d=");
}

bool has(const Response& r, const std::string& name, const std::string& value) {
    for (const auto& [k, v] : r.headers) {
        if (k == name && v == value) {
            return true;
        }
    }
    return false;
}

TEST(SecurityHeaders, json_gets_nosniff_and_no_referrer) {
    Response r = Response::json(200, "{}");
    add_security_headers(r);
    EXPECT_TRUE(has(r, "X-Content-Type-Options", "nosniff"));
    EXPECT_TRUE(has(r, "Referrer-Policy", "no-referrer"));
    EXPECT_EQ(r.headers.size(), 2u);
}

TEST(SecurityHeaders, html_gets_default_csp_and_frame_denial_unless_set) {
    Response plain = Response::html(200, "<p>");
    add_security_headers(plain);
    EXPECT_TRUE(has(plain, "Content-Security-Policy", std::string(k_default_csp)));
    EXPECT_TRUE(has(plain, "X-Frame-Options", "DENY"));

    Response own = Response::html(200, "<p>");
    own.headers.emplace_back("content-security-policy", "default-src 'self'");
    add_security_headers(own);
    EXPECT_TRUE(has(own, "content-security-policy", "default-src 'self'"));
    EXPECT_FALSE(has(own, "Content-Security-Policy", std::string(k_default_csp)));
}

TEST(ToWire, several_set_cookie_headers_stay) {
    Response r = Response::text(303, "");
    r.headers.emplace_back("Set-Cookie", "a=1");
    r.headers.emplace_back("Set-Cookie", "b=2");
    const auto out = to_wire(std::move(r), true);
    EXPECT_EQ(out.count("Set-Cookie"), 2u);
}

// RFC 9110, 8.6: no Content-Length in a 204 (found by a black-box review).
TEST(ToWire, no_content_answers_carry_no_length_type_or_body) {
    for (const int status : {204, 304}) {
        Response r = Response::text(status, "ignored");
        r.headers.emplace_back("Cache-Control", "max-age=86400");
        const auto out = to_wire(std::move(r), true);
        EXPECT_EQ(out.result_int(), static_cast<unsigned>(status));
        EXPECT_EQ(out.count("Content-Length"), 0u) << status;
        EXPECT_EQ(out.count("Content-Type"), 0u) << status;
        EXPECT_TRUE(out.body().empty()) << status;
        EXPECT_EQ(out.count("Cache-Control"), 1u) << status;
    }
    const auto ok = to_wire(Response::text(200, ""), true);
    EXPECT_EQ(ok.count("Content-Length"), 1u);
}

// The framing is to_wire's: a handler that sets it has a bug (500), since
// a chunked message would need chunked bytes (found by a review).
TEST(ToWire, a_handlers_framing_headers_become_500) {
    for (const char* name : {"Transfer-Encoding", "transfer-encoding", "Content-Length"}) {
        Response r = Response::text(200, "abc");
        r.headers.emplace_back(name, std::string(name) == "Content-Length" ? "3" : "chunked");
        const auto out = to_wire(std::move(r), true);
        EXPECT_EQ(out.result_int(), 500u) << name;
        EXPECT_FALSE(out.chunked()) << name;
        EXPECT_EQ(serialize(out).find("chunked"), std::string::npos) << name;
    }
    boost::beast::http::response<boost::beast::http::string_body> chunked;
    chunked.chunked(true);
    EXPECT_THROW(serialize(chunked), std::logic_error);
}

TEST(ToWire, header_with_a_line_break_becomes_500) {
    Response r = Response::text(302, "");
    r.headers.emplace_back("Location", "/x\r\nSet-Cookie: evil=1");
    const auto out = to_wire(std::move(r), true);
    EXPECT_EQ(out.result_int(), 500u);
    EXPECT_EQ(out.count("Set-Cookie"), 0u);
    EXPECT_EQ(out.count("Location"), 0u);
}

// A session writes serialize()'s bytes with a plain async_write: they
// must be what Beast's own serializer writes.
TEST(Serialize, writes_the_bytes_of_beasts_serializer) {
    std::vector<boost::beast::http::response<boost::beast::http::string_body>> messages;
    messages.push_back(to_wire(Response::json(200, "{\"a\":1}"), true));
    messages.push_back(to_wire(Response::text(404, "niet gevonden"), false));
    Response redirect = Response::text(303, "");
    redirect.headers.emplace_back("Location", "/web/");
    redirect.headers.emplace_back("Set-Cookie", "a=1");
    redirect.headers.emplace_back("Set-Cookie", "b=2");
    messages.push_back(to_wire(std::move(redirect), true));
    messages.push_back(to_wire(Response::text(204, "ignored"), true));
    messages.push_back(to_wire(Response::text(599, "x"), true));
    auto head = to_wire(Response::text(200, std::string(70000, 'x')), true);
    head.body().clear();
    head.content_length(70000);  // a HEAD answer: the GET's length, no body
    messages.push_back(std::move(head));
    for (const auto& message : messages) {
        std::ostringstream beast_bytes;
        beast_bytes << message;
        EXPECT_EQ(serialize(message), beast_bytes.str());
    }
    const std::string bytes = serialize(messages[2]);
    EXPECT_EQ(bytes.rfind("HTTP/1.1 303 See Other\r\n", 0), 0u) << bytes;
    EXPECT_NE(bytes.find("\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"), std::string::npos) << bytes;
}

}  // namespace
}  // namespace spiegel::http
