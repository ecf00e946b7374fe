// Server: a real Beast server on 127.0.0.1 port 0 in a background thread,
// driven with raw HTTP bytes: keep-alive, 431/413/400, timeouts, the
// connection cap and the per-request observer.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/http/server.h"
#include "tests/http/raw_client.h"

namespace spiegel::http {
namespace {

using testing::http_request;
using testing::RawConnection;

struct Seen {
    std::string route;
    int status;
};

class ServerFixture : public ::testing::Test {
protected:
    void start(Limits limits = small_limits()) {
        m_router.add("GET", "/hello", [](const Request&) { return Response::text(200, "hi"); });
        m_router.add("POST", "/echo", [](const Request& r) { return Response::text(200, r.body); });
        m_router.add("GET", "/item/{id}", [](const Request& r) { return Response::text(200, r.params.at("id")); });
        m_server = std::make_unique<Server>(m_io, m_router, limits, [this](std::string_view route, int status, double) {
            std::lock_guard lock(m_mutex);
            m_seen.push_back({std::string(route), status});
        });
        auto bound = m_server->listen("127.0.0.1:0");
        ASSERT_TRUE(bound) << bound.error().message;
        m_port = std::stoi(bound->substr(bound->rfind(':') + 1));
        m_thread = std::thread([this] { m_io.run(); });
    }
    void TearDown() override {
        if (m_server) {
            boost::asio::post(m_io, [this] { m_server->stop(); });
        }
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    static Limits small_limits() {
        Limits limits;
        limits.max_header_bytes = 1024;
        limits.max_body_bytes = 100;
        limits.request_timeout = std::chrono::milliseconds(300);
        limits.idle_timeout = std::chrono::milliseconds(300);
        limits.max_connections = 4;
        return limits;
    }
    std::vector<Seen> seen() {
        std::lock_guard lock(m_mutex);
        return m_seen;
    }

    boost::asio::io_context m_io;
    Router m_router;
    std::unique_ptr<Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    std::mutex m_mutex;
    std::vector<Seen> m_seen;
};

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

TEST_F(ServerFixture, connections_beyond_the_cap_are_closed_while_others_are_served) {
    Limits limits = small_limits();
    limits.idle_timeout = std::chrono::milliseconds(5000);
    limits.max_connections = 2;
    start(limits);
    RawConnection a(m_port);
    RawConnection b(m_port);
    EXPECT_EQ(a.request("GET", "/hello").status, 200);
    EXPECT_EQ(b.request("GET", "/hello").status, 200);
    RawConnection over(m_port);
    EXPECT_EQ(over.request("GET", "/hello").status, 0);
    EXPECT_EQ(a.request("GET", "/hello").status, 200);
}

}  // namespace
}  // namespace spiegel::http
