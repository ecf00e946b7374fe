#pragma once
// A small HTTP/1.1 server (Boost.Beast) in front of a Router: keep-alive,
// header and body size limits (431, 413), a read timeout per request and an
// idle timeout between requests, and a cap on concurrent connections.
// Runs on the io_context it is given; call listen/stop from that context's
// thread (or before it runs). The router must outlive the server.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/http/asio.h"
#include "daemon/http/router.h"
#include "daemon/util/expected.h"

namespace spiegel::http {

struct Limits {
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::milliseconds request_timeout{10'000};  // from the first byte to the whole request
    std::chrono::milliseconds idle_timeout{60'000};     // waiting for the next request
    std::size_t max_connections = 256;                  // more are closed at once
};

// Called once per answered request with the route pattern (or
// k_unmatched_route / "invalid"), the status and the seconds spent.
using RequestObserver = std::function<void(std::string_view route, int status, double seconds)>;

class Server {
public:
    Server(boost::asio::io_context& io, const Router& router, Limits limits, RequestObserver observer);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds "HOST:PORT" (port 0: any free port) and starts accepting; returns
    // the bound address as "HOST:PORT". Errors name the address.
    util::Expected<std::string> listen(const std::string& host_port);
    // Stops accepting and closes every open connection.
    void stop();

    std::size_t open_connections() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

// Splits "HOST:PORT" ("[::1]:9464" for IPv6); false when malformed.
bool split_host_port(const std::string& host_port, std::string& host, unsigned short& port);

}  // namespace spiegel::http
