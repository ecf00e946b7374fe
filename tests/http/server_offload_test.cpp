// Server, offloaded handlers: a handler in flight on the pool never delays
// the inline routes; a full queue answers 503 busy at once; stop() while a
// handler runs drops its answer and the destructor waits for the handler.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>
#include <stdexcept>

#include "tests/http/server_fixture.h"

namespace spiegel::http {
namespace {

using testing::RawConnection;

Limits offload_limits() {
    Limits limits;
    limits.request_timeout = std::chrono::milliseconds(10'000);
    limits.idle_timeout = std::chrono::milliseconds(10'000);
    return limits;
}

TEST_F(ServerFixture, slow_offloaded_handler_does_not_delay_inline_routes) {
    start(offload_limits());
    RawConnection slow(m_port);
    ASSERT_TRUE(slow.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(m_gate.entered(1));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(testing::http_request(m_port, "GET", "/hello").status,
                  200);  // while /slow waits at the gate
    }
    EXPECT_FALSE(slow.readable(0));
    m_gate.open();
    const auto r = slow.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "slow");
}

TEST_F(ServerFixture, offloaded_handlers_run_concurrently_on_the_pool) {
    Limits limits = offload_limits();
    limits.handler_threads = 2;
    start(limits);
    RawConnection a(m_port);
    RawConnection b(m_port);
    ASSERT_TRUE(a.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(b.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(m_gate.entered(2));
    m_gate.open();
    EXPECT_EQ(a.read_response().status, 200);
    EXPECT_EQ(b.read_response().status, 200);
}

// The handlers run on an io_context nobody runs yet, so the first offloaded
// request stays queued; with max_queued 1 the other is answered 503 at once.
TEST_F(ServerFixture, full_queue_answers_503_busy_with_retry_after) {
    boost::asio::io_context pool;
    Limits limits = offload_limits();
    limits.max_queued = 1;
    start(limits, pool.get_executor());
    RawConnection a(m_port);
    RawConnection b(m_port);
    ASSERT_TRUE(a.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(b.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    pollfd fds[2] = {{a.fd(), POLLIN, 0}, {b.fd(), POLLIN, 0}};
    ASSERT_EQ(::poll(fds, 2, 10'000), 1);  // exactly one answer comes at once
    RawConnection& busy = (fds[0].revents & POLLIN) ? a : b;
    RawConnection& queued = (fds[0].revents & POLLIN) ? b : a;
    const auto r = busy.read_response();
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.body, "{\"error\":\"busy\"}\n");
    EXPECT_NE(RawConnection::lower(r.headers).find("\r\nretry-after: 1\r\n"), std::string::npos);
    EXPECT_EQ(busy.request("GET", "/hello").status, 200);  // the connection stays usable
    m_gate.open();
    std::thread runner([&] { pool.run(); });
    EXPECT_EQ(queued.read_response().status, 200);
    stop_server();
    runner.join();
    m_server.reset();
}

TEST_F(ServerFixture, stop_while_a_handler_runs_drops_its_answer) {
    start(offload_limits());
    auto keep_running = boost::asio::make_work_guard(m_io);  // the io thread outlives the stop
    RawConnection c(m_port);
    ASSERT_TRUE(c.send_raw("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(m_gate.entered(1));
    run_on_io([&] { m_server->stop(); });
    EXPECT_EQ(c.read_response().status, 0);  // closed without an answer
    m_gate.open();
    m_server->join_handlers();  // the handler has returned and posted its answer to the io thread
    run_on_io([] {});           // which has dropped it by now
    EXPECT_TRUE(seen().empty());
    keep_running.reset();
}

TEST_F(ServerFixture, offloaded_handler_that_throws_answers_500) {
    m_router.add(
        "GET", "/throws", [](const Request&) -> Response { throw std::runtime_error("secret"); },
        Dispatch::offload);
    start(offload_limits());
    const auto r = testing::http_request(m_port, "GET", "/throws");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

// An async handler returns at once, freeing its pool thread; another thread
// answers later, and the answer still reaches the connection.
TEST_F(ServerFixture, async_handler_answers_from_another_thread_without_holding_the_pool) {
    std::mutex mutex;
    std::vector<Reply> replies;
    m_router.add_async("GET", "/later", [&](const Request&, Reply reply) {
        std::lock_guard lock(mutex);
        replies.push_back(std::move(reply));
    });
    Limits limits = offload_limits();
    limits.handler_threads = 1;
    start(limits);
    const auto wait_for_replies = [&](std::size_t count) {
        for (int i = 0; i < 1000; ++i) {
            {
                std::lock_guard lock(mutex);
                if (replies.size() >= count) {
                    return;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    };
    // b is sent only once a's handler has run, so replies[0] is a's: the
    // server may parse two requests sent together in either order.
    RawConnection a(m_port);
    RawConnection b(m_port);
    ASSERT_TRUE(a.send_raw("GET /later HTTP/1.1\r\nHost: x\r\n\r\n"));
    wait_for_replies(1);
    ASSERT_TRUE(b.send_raw("GET /later HTTP/1.1\r\nHost: x\r\n\r\n"));
    wait_for_replies(2);  // both started on the one pool thread
    std::thread answerer([&] {
        std::lock_guard lock(mutex);
        ASSERT_EQ(replies.size(), 2U);
        replies[0](Response::text(200, "first"));
        replies[0](Response::text(200, "ignored"));  // only the first answer counts
        replies[1](Response::text(201, "second"));
    });
    answerer.join();
    const auto ra = a.read_response();
    const auto rb = b.read_response();
    EXPECT_EQ(ra.status, 200);
    EXPECT_EQ(ra.body, "first");
    EXPECT_EQ(rb.status, 201);
    EXPECT_EQ(a.request("GET", "/hello").status, 200);  // keep-alive goes on
}

TEST_F(ServerFixture, async_handler_that_drops_its_reply_answers_500) {
    m_router.add_async("GET", "/dropped", [](const Request&, Reply) {});
    m_router.add_async("GET", "/throws", [](const Request&, Reply) { throw std::runtime_error("secret"); });
    start(offload_limits());
    EXPECT_EQ(testing::http_request(m_port, "GET", "/dropped").status, 500);
    const auto r = testing::http_request(m_port, "GET", "/throws");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::http
