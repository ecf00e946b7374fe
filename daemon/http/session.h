#pragma once
// Internals of http::Server: the state its sessions share and one
// connection's session. Everything here runs on the io thread, except the
// offloaded handler job, which touches only the request, the handler and
// State::queued.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "daemon/http/asio.h"
#include "daemon/http/connection_registry.h"
#include "daemon/http/message.h"
#include "daemon/http/server.h"

namespace spiegel::http {

struct Server::State {
    boost::asio::io_context& io;
    const Router& router;
    const Limits limits;
    const RequestObserver observer;
    const boost::asio::any_io_executor handlers;  // where offloaded handlers run
    ConnectionObserver connection_observer;       // may be empty
    boost::asio::ip::tcp::acceptor acceptor;
    boost::asio::steady_timer accept_retry;  // after an accept error (e.g. out of file descriptors)
    ConnectionRegistry registry;
    std::atomic<std::size_t> queued{0};  // offloaded requests not yet started
    std::atomic<bool> stopped{
        false};  // set once by Server::stop(); queued handlers are then skipped

    State(boost::asio::io_context& context, const Router& r, Limits l, RequestObserver o,
          boost::asio::any_io_executor h);
};

// One connection: read a request, answer it, repeat while keep-alive.
class Session final : public std::enable_shared_from_this<Session>,
                      public ConnectionRegistry::Entry {
public:
    using Clock = std::chrono::steady_clock;

    Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<Server::State> state,
            std::string remote_address);
    ~Session() override;

    // Reads the first request; it must arrive within request_timeout of accept.
    void start();
    // Closes the socket now; pending operations end with an error.
    void close();

private:
    void evict() override { close(); }
    // Keep-alive: waits idle_timeout for a first byte, then reads the request.
    void wait_for_request();
    void read_request(Clock::time_point deadline);
    void on_read(const boost::beast::error_code& ec);
    void answer(Request request, bool keep_alive);
    void offload(const Handler& handler, std::string route, Request request, bool keep_alive);
    void on_offloaded(Response response, const std::string& route, bool keep_alive);
    void send(Response response, const std::string& route, bool keep_alive);
    void on_written(const boost::beast::error_code& ec, bool keep_alive);
    void linger();

    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<RequestParser> m_parser;
    std::shared_ptr<Server::State> m_state;
    std::string m_remote_address;
    Clock::time_point m_started = Clock::now();
    std::size_t m_lingered = 0;
    bool m_closed = false;
};

}  // namespace spiegel::http
