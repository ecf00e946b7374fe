// Server, connection hygiene: the request deadline counts from accept and
// holds however slowly a head trickles in; idle and slow connections are
// evicted at the total cap so probes always get in; the per-client cap.
// Other clients are other loopback addresses (all of 127/8 is loopback).
#include <gtest/gtest.h>

#include <deque>

#include "tests/http/server_fixture.h"

namespace spiegel::http {
namespace {

using testing::RawConnection;

Limits roomy_limits() {
    Limits limits;
    limits.request_timeout = std::chrono::milliseconds(10'000);
    limits.idle_timeout = std::chrono::milliseconds(10'000);
    return limits;
}

// Sends `bytes` one byte per 100 ms until the server closes the connection;
// the number of bytes sent by then (all of them: never closed).
std::size_t trickle(RawConnection& c, const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size(); ++sent) {
        if (c.closed_now() || !c.send_raw(bytes.substr(sent, 1))) {
            return sent;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return bytes.size();
}

const std::string k_endless_head =
    "GET /hello HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(200, 'a');

TEST_F(ServerFixture, connection_that_sends_nothing_is_closed_after_the_request_timeout) {
    Limits limits = roomy_limits();
    limits.request_timeout = std::chrono::milliseconds(500);  // idle_timeout stays 10 s
    start(limits);
    RawConnection c(m_port);
    EXPECT_TRUE(c.closed_by_peer());  // before the client's own 10 s receive timeout
}

TEST_F(ServerFixture, trickling_first_head_is_closed_after_the_request_timeout) {
    Limits limits = roomy_limits();
    limits.request_timeout = std::chrono::milliseconds(1000);
    start(limits);
    RawConnection c(m_port);
    const std::size_t sent = trickle(c, k_endless_head);
    EXPECT_GE(sent, 3u);   // not before the deadline (300 ms is well below 1 s)
    EXPECT_LE(sent, 50u);  // but long before 5 s of trickling
}

TEST_F(ServerFixture,
       trickling_head_after_a_keep_alive_response_is_closed_after_the_request_timeout) {
    Limits limits = roomy_limits();
    limits.request_timeout = std::chrono::milliseconds(1000);
    start(limits);
    RawConnection c(m_port);
    ASSERT_EQ(c.request("GET", "/hello").status, 200);
    const std::size_t sent = trickle(c, k_endless_head);
    EXPECT_GE(sent, 3u);
    EXPECT_LE(sent, 50u);
}

// The slowloris of the incident: 300 connections that never send a byte.
TEST_F(ServerFixture, idle_connections_from_one_address_never_keep_probes_out) {
    start(roomy_limits());
    std::deque<RawConnection> idle;
    for (int i = 0; i < 300; ++i) {
        idle.emplace_back(m_port, 10, "127.0.0.2");
    }
    for (int i = 0; i < 60; ++i) {
        EXPECT_EQ(testing::http_request(m_port, "GET", "/hello").status, 200) << "probe " << i;
    }
    EXPECT_TRUE(idle.back().closed_by_peer());  // refused by the per-client cap
}

TEST_F(ServerFixture, idle_connections_from_many_addresses_are_evicted_for_probes) {
    Limits limits = roomy_limits();
    limits.max_connections_per_client = 1000;  // as if each came from its own address
    start(limits);
    std::deque<RawConnection> idle;
    for (int i = 0; i < 300; ++i) {
        idle.emplace_back(m_port, 10, "127.0.0.2");
    }
    for (int i = 0; i < 60; ++i) {
        EXPECT_EQ(testing::http_request(m_port, "GET", "/hello").status, 200) << "probe " << i;
    }
    EXPECT_TRUE(idle.front().closed_by_peer());  // evicted
}

TEST_F(ServerFixture, at_the_total_cap_the_longest_waiting_connection_is_evicted) {
    Limits limits = roomy_limits();
    limits.max_connections = 20;
    limits.max_connections_per_client = 100;
    start(limits);
    std::deque<RawConnection> idle;
    for (int i = 0; i < 30; ++i) {
        idle.emplace_back(m_port, 10, "127.0.0.2");
    }
    EXPECT_EQ(testing::http_request(m_port, "GET", "/hello").status, 200);
    for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(idle[i].closed_by_peer()) << "connection " << i;  // the oldest went first
    }
    EXPECT_EQ(idle.back().request("GET", "/hello").status, 200);  // the newest stayed
    EXPECT_LE(open_connections(), 20u);
    EXPECT_EQ(events(ConnectionEvent::evicted), 11u);  // for connections 20..29 and the probe
}

TEST_F(ServerFixture, when_every_connection_is_busy_a_new_one_is_refused) {
    Limits limits = roomy_limits();
    limits.max_connections = 2;
    start(limits);
    RawConnection a(m_port);
    RawConnection b(m_port);
    ASSERT_TRUE(a.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(b.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(m_gate.entered(2));
    RawConnection refused(m_port);
    EXPECT_TRUE(refused.closed_by_peer());
    EXPECT_EQ(events(ConnectionEvent::refused_all_busy), 1u);
    m_gate.open();
    EXPECT_EQ(a.read_response().status, 200);
    EXPECT_EQ(b.read_response().status, 200);
}

TEST_F(ServerFixture, per_client_cap_refuses_the_65th_connection_of_one_address_only) {
    start(roomy_limits());
    std::deque<RawConnection> same;
    for (int i = 0; i < 64; ++i) {
        same.emplace_back(m_port, 10, "127.0.0.2");
    }
    RawConnection over(m_port, 10, "127.0.0.2");
    EXPECT_TRUE(over.closed_by_peer());
    EXPECT_EQ(events(ConnectionEvent::refused_per_client), 1u);
    RawConnection other(m_port, 10, "127.0.0.3");
    EXPECT_EQ(other.request("GET", "/whoami").body, "127.0.0.3");
    EXPECT_EQ(same.front().request("GET", "/whoami").body, "127.0.0.2");
    EXPECT_EQ(same.back().request("GET", "/whoami").body, "127.0.0.2");
}

}  // namespace
}  // namespace spiegel::http
