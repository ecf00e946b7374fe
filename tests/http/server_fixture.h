#pragma once
// A real Beast server on 127.0.0.1 port 0, its io_context run by a
// background thread, for the server tests; and a Gate that holds offloaded
// handlers until the test lets them go. Header-only (test binaries glob
// only *_test.cpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/http/server.h"
#include "daemon/http/tls.h"
#include "tests/http/raw_client.h"

namespace spiegel::http {

// Handlers call pass(): they wait until open() (or 10 s, so a broken test
// cannot hang). Tests wait for entered(n) before relying on n handlers
// being in flight.
class Gate {
public:
    void pass() {
        std::unique_lock lock(m_mutex);
        ++m_entered;
        m_changed.notify_all();
        m_changed.wait_for(lock, std::chrono::seconds(10), [this] { return m_open; });
    }
    bool entered(int n) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_entered >= n; });
    }
    void open() {
        std::lock_guard lock(m_mutex);
        m_open = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_entered = 0;
    bool m_open = false;
};

struct Seen {
    std::string route;
    int status;
};

class ServerFixture : public ::testing::Test {
protected:
    // Routes: GET /hello, POST /echo, GET /item/{id} inline; GET /slow
    // offloaded (waits at the gate); GET /whoami (the remote address); GET
    // /origin (Request::origin() and whether it is secure).
    void start(Limits limits = small_limits(),
               std::optional<boost::asio::any_io_executor> handlers = {}) {
        m_router.add("GET", "/hello", [](const Request&) { return Response::text(200, "hi"); });
        m_router.add("POST", "/echo", [](const Request& r) { return Response::text(200, r.body); });
        m_router.add("GET", "/item/{id}",
                     [](const Request& r) { return Response::text(200, r.params.at("id")); });
        m_router.add("GET", "/whoami",
                     [](const Request& r) { return Response::text(200, r.remote_address); });
        m_router.add("GET", "/origin", [](const Request& r) {
            return Response::text(200, r.origin() + (r.secure() ? " secure" : " plain"));
        });
        m_router.add(
            "GET", "/slow",
            [this](const Request&) {
                m_gate.pass();
                return Response::text(200, "slow");
            },
            Dispatch::offload);
        const RequestObserver observer = [this](std::string_view route, int status, double) {
            std::lock_guard lock(m_mutex);
            m_seen.push_back({std::string(route), status});
        };
        m_server = handlers ? std::make_unique<Server>(m_io, m_router, limits, observer, *handlers)
                            : std::make_unique<Server>(m_io, m_router, limits, observer);
        if (m_tls) {
            m_server->set_tls(m_tls);
        }
        if (!m_public_origin.empty()) {
            m_server->set_public_origin(m_public_origin);
        }
        m_server->set_connection_observer([this](ConnectionEvent event) {
            std::lock_guard lock(m_mutex);
            m_events.push_back(event);
        });
        auto bound = m_server->listen("127.0.0.1:0");
        ASSERT_TRUE(bound) << bound.error().message;
        m_port = std::stoi(bound->substr(bound->rfind(':') + 1));
        m_thread = std::thread([this] { m_io.run(); });
    }
    void TearDown() override {
        m_gate.open();
        stop_server();
        m_server.reset();  // joins the handler pool
    }
    void stop_server() {
        if (m_server) {
            boost::asio::post(m_io, [this] { m_server->stop(); });
        }
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    // Runs f on the io thread and waits for it (the io thread must be running).
    template <class F>
    void run_on_io(F f) {
        std::promise<void> done;
        boost::asio::post(m_io, [&] {
            f();
            done.set_value();
        });
        done.get_future().get();
    }
    // Open connections as the io thread sees them.
    std::size_t open_connections() {
        std::size_t count = 0;
        run_on_io([&] { count = m_server->open_connections(); });
        return count;
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
    std::size_t events(ConnectionEvent event) {
        std::lock_guard lock(m_mutex);
        return static_cast<std::size_t>(std::count(m_events.begin(), m_events.end(), event));
    }

    boost::asio::io_context m_io;
    std::shared_ptr<TlsContexts> m_tls;  // set before start(): serve HTTPS
    std::string m_public_origin;  // set_public_origin() when not empty
    Router m_router;
    Gate m_gate;
    std::unique_ptr<Server> m_server;
    std::thread m_thread;
    int m_port = 0;
    std::mutex m_mutex;
    std::vector<Seen> m_seen;
    std::vector<ConnectionEvent> m_events;
};

}  // namespace spiegel::http
