// Server: a real Beast server on 127.0.0.1 port 0 in a background thread,
// driven with raw HTTP bytes: keep-alive, 431/413/400, timeouts, the
// per-request observer, the remote address and the security headers.
// Offloading: server_offload_test.cpp; connection caps: server_connections_test.cpp.
#include <gtest/gtest.h>

#include "tests/http/server_fixture.h"

namespace spiegel::http {
namespace {

using testing::http_request;
using testing::RawConnection;

TEST_F(ServerFixture, keep_alive_connection_serves_several_requests) {
    start();
    RawConnection c(m_port);
    ASSERT_TRUE(c.connected());
    for (int i = 0; i < 3; ++i) {
        const auto r = c.request("GET", "/hello");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, "hi");
    }
}

TEST_F(ServerFixture, param_route_is_reported_by_pattern) {
    start();
    EXPECT_EQ(http_request(m_port, "GET", "/item/a%20b").body, "a b");
    ASSERT_FALSE(seen().empty());
    EXPECT_EQ(seen().back().route, "/item/{id}");
    EXPECT_EQ(seen().back().status, 200);
}

TEST_F(ServerFixture, oversized_header_is_431_and_closes) {
    start();
    RawConnection c(m_port);
    const auto r = c.request("GET", "/hello", "", "X-Big: " + std::string(4000, 'a') + "\r\n");
    EXPECT_EQ(r.status, 431);
    EXPECT_NE(r.body.find("\"error\""), std::string::npos);
}

TEST_F(ServerFixture, oversized_body_is_413) {
    start();
    EXPECT_EQ(http_request(m_port, "POST", "/echo", std::string(101, 'x')).status, 413);
    EXPECT_EQ(http_request(m_port, "POST", "/echo", std::string(100, 'x')).status, 200);
}

TEST_F(ServerFixture, garbage_request_is_400) {
    start();
    RawConnection c(m_port);
    ASSERT_TRUE(c.send_raw("NOT HTTP AT ALL\r\n\r\n"));
    EXPECT_EQ(c.read_response().status, 400);
}

TEST_F(ServerFixture, slow_client_is_disconnected_after_the_request_timeout) {
    start();
    RawConnection c(m_port);
    ASSERT_TRUE(c.send_raw("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // never finishes the header
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerFixture, idle_keep_alive_connection_is_closed_after_the_idle_timeout) {
    start();
    RawConnection c(m_port);
    EXPECT_EQ(c.request("GET", "/hello").status, 200);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerFixture, remote_address_is_the_client_ip_without_port) {
    start();
    RawConnection c(m_port, 10, "127.0.0.2");
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(c.request("GET", "/whoami").body, "127.0.0.2");
    EXPECT_EQ(http_request(m_port, "GET", "/whoami").body, "127.0.0.1");
}

// A page's origin is the scheme of the connection and its Host, unless a
// TLS-terminating proxy in front is configured: then that origin, and the
// browser's side counts as secure.
TEST_F(ServerFixture, the_origin_of_a_request_is_its_host_or_the_public_origin) {
    start();
    RawConnection c(m_port);
    EXPECT_EQ(c.request("GET", "/origin").body, "http://127.0.0.1 plain");
}

TEST_F(ServerFixture, behind_a_tls_proxy_every_request_has_the_public_origin_and_is_secure) {
    m_public_origin = "https://spiegel.example.nl";
    start();
    RawConnection c(m_port);
    EXPECT_EQ(c.request("GET", "/origin").body, "https://spiegel.example.nl secure");
}

int count_header(const std::string& headers, const std::string& name) {
    const std::string lower = RawConnection::lower(headers);
    int count = 0;
    for (std::size_t at = lower.find("\r\n" + name + ":"); at != std::string::npos;
         at = lower.find("\r\n" + name + ":", at + 1)) {
        ++count;
    }
    return count;
}

class ServerSecurityHeaders : public ServerFixture {
protected:
    void SetUp() override {
        m_router.add("GET", "/page", [](const Request&) { return Response::html(200, "<p>hi</p>"); });
        m_router.add("GET", "/own-csp", [](const Request&) {
            Response r = Response::html(200, "<p>hi</p>");
            r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            r.headers.emplace_back("Referrer-Policy", "same-origin");
            return r;
        });
        start();
    }
};

TEST_F(ServerSecurityHeaders, json_and_text_responses_get_nosniff_and_no_referrer_only) {
    for (const char* target : {"/hello", "/missing"}) {
        const auto r = http_request(m_port, "GET", target);
        const std::string lower = RawConnection::lower(r.headers);
        EXPECT_NE(lower.find("\r\nx-content-type-options: nosniff\r\n"), std::string::npos) << target;
        EXPECT_NE(lower.find("\r\nreferrer-policy: no-referrer\r\n"), std::string::npos) << target;
        EXPECT_EQ(count_header(r.headers, "x-frame-options"), 0) << target;
        EXPECT_EQ(count_header(r.headers, "content-security-policy"), 0) << target;
    }
}

TEST_F(ServerSecurityHeaders, html_without_csp_gets_the_default_csp_and_frame_denial) {
    const auto r = http_request(m_port, "GET", "/page");
    const std::string lower = RawConnection::lower(r.headers);
    EXPECT_NE(lower.find("\r\ncontent-security-policy: default-src 'none'; frame-ancestors 'none'\r\n"),
              std::string::npos);
    EXPECT_NE(lower.find("\r\nx-frame-options: deny\r\n"), std::string::npos);
    EXPECT_EQ(count_header(r.headers, "x-content-type-options"), 1);
}

TEST_F(ServerSecurityHeaders, handler_headers_win_and_are_not_doubled) {
    const auto r = http_request(m_port, "GET", "/own-csp");
    const std::string lower = RawConnection::lower(r.headers);
    EXPECT_NE(lower.find("\r\ncontent-security-policy: default-src 'none'; style-src 'unsafe-inline'\r\n"),
              std::string::npos);
    EXPECT_EQ(count_header(r.headers, "content-security-policy"), 1);
    EXPECT_NE(lower.find("\r\nreferrer-policy: same-origin\r\n"), std::string::npos);
    EXPECT_EQ(count_header(r.headers, "referrer-policy"), 1);
    EXPECT_EQ(count_header(r.headers, "x-frame-options"), 1);
}

}  // namespace
}  // namespace spiegel::http
