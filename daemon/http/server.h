#pragma once
// A small HTTP/1.1 server (Boost.Beast) in front of a Router
// (docs/serving.md): keep-alive, header and body size limits (431, 413), a
// deadline for each request (from accept for the first one), an idle
// timeout between requests, caps on connections in total and per client
// with eviction of the longest-waiting connection, security headers on
// every response, and a bounded handler pool for Dispatch::offload routes.
//
// Threads: the io_context must be run by exactly one thread (the io
// thread); Dispatch::io handlers run there. Call listen, stop and
// open_connections from that thread, or before it runs / after it has
// stopped. Offloaded handlers run on the handler pool and their responses
// are posted back to the io thread (dropped after stop()). The io_context
// and the router must outlive the server.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/http/asio.h"
#include "daemon/http/limits.h"
#include "daemon/http/router.h"
#include "daemon/util/expected.h"

namespace spiegel::http {

class TlsContexts;

// Called on the io thread once per answered request with the route pattern
// (or k_unmatched_route / "invalid"), the status sent and the seconds spent.
using RequestObserver = std::function<void(std::string_view route, int status, double seconds)>;

// A connection closed by the caps (docs/serving.md), for metrics.
enum class ConnectionEvent {
    evicted,             // waiting without a complete request; closed to admit a new one
    refused_per_client,  // new, beyond max_connections_per_client
    refused_all_busy,    // new, at max_connections with every connection busy
};
// Called on the io thread once per event.
using ConnectionObserver = std::function<void(ConnectionEvent)>;

class Server {
public:
    // Offloaded handlers run on a pool of limits.handler_threads (at least
    // one) owned by the server.
    Server(boost::asio::io_context& io, const Router& router, Limits limits,
           RequestObserver observer);
    // Offloaded handlers run on `handlers` (limits.handler_threads unused).
    // The executor must run every job posted to it, and the caller must keep
    // it running until the server is destroyed.
    Server(boost::asio::io_context& io, const Router& router, Limits limits,
           RequestObserver observer, boost::asio::any_io_executor handlers);
    // stop(), then join_handlers(); like stop(), on the io thread or when it no longer runs.
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds "HOST:PORT" (port 0: any free port) and starts accepting; returns
    // the bound address as "HOST:PORT". Errors name the address.
    util::Expected<std::string> listen(const std::string& host_port);
    // Call before listen().
    void set_connection_observer(ConnectionObserver observer);
    // Serves HTTPS with these contexts (reloaded by their owner); call
    // before listen(). Every response then carries Strict-Transport-Security.
    void set_tls(std::shared_ptr<TlsContexts> tls);
    // The https origin browsers use through a TLS-terminating proxy (the
    // config checked it); every request then carries it (Request::
    // public_origin). Call before listen().
    void set_public_origin(std::string origin);
    // Stops accepting and closes every open connection. Handlers running on
    // the pool finish; their responses are dropped.
    void stop();
    // Waits for the offloaded handlers on the server's own pool to finish
    // (no-op with an executor given). Call after stop(), never from a handler.
    void join_handlers();

    std::size_t open_connections() const;

    struct State;

private:
    std::unique_ptr<boost::asio::thread_pool> m_pool;  // null with an executor given
    std::shared_ptr<State> m_state;
};

// Splits "HOST:PORT" ("[::1]:9464" for IPv6); false when malformed.
bool split_host_port(const std::string& host_port, std::string& host, unsigned short& port);

}  // namespace spiegel::http
