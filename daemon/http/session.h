#pragma once
// Internals of http::Server: the state its sessions share and one
// connection's session. Everything here runs on the io thread, except the
// offloaded handler job, which touches only the request, the handler and
// State::queued, and an async handler's Reply, which posts to the io thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "daemon/http/asio.h"
#include "daemon/http/connection_registry.h"
#include "daemon/http/message.h"
#include "daemon/http/server.h"
#include "daemon/http/tls.h"

#include <boost/beast/ssl.hpp>

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
    std::shared_ptr<TlsContexts> tls;  // null: plain HTTP
    std::string public_origin;         // Request::public_origin of every request

    State(boost::asio::io_context& context, const Router& r, Limits l, RequestObserver o,
          boost::asio::any_io_executor h);
};

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// One connection: read a request, answer it, repeat while keep-alive.
// Stream is PlainStream or TlsStream (explicitly instantiated in session.cpp).
template <class Stream>
class BasicSession final : public std::enable_shared_from_this<BasicSession<Stream>>,
                           public ConnectionRegistry::Entry {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr bool k_tls = std::is_same_v<Stream, TlsStream>;

    // `tls` is the context of a TlsStream session (held for its lifetime),
    // null for a plain one.
    BasicSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<Server::State> state,
                 std::string remote_address, std::shared_ptr<boost::asio::ssl::context> tls);
    ~BasicSession() override;

    // Reads the first request (under TLS after the handshake); handshake and
    // request must arrive within request_timeout of accept.
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
    void offload(const Router::Target& target, Request request, bool keep_alive);
    void on_offloaded(Response response, const std::string& route, bool keep_alive);
    void send(Response response, const std::string& route, bool keep_alive);
    void on_written(const boost::beast::error_code& ec, bool keep_alive);
    void linger();
    boost::beast::tcp_stream& lowest() { return boost::beast::get_lowest_layer(m_stream); }
    static Stream make_stream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls);

    std::shared_ptr<boost::asio::ssl::context> m_tls;  // before m_stream, which refers to it
    Stream m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<RequestParser> m_parser;
    std::shared_ptr<Server::State> m_state;
    std::string m_remote_address;
    Clock::time_point m_started = Clock::now();
    std::size_t m_lingered = 0;
    bool m_closed = false;
    bool m_head = false;  // the request being answered is a HEAD: send the head only
};

using Session = BasicSession<PlainStream>;
using TlsSession = BasicSession<TlsStream>;

}  // namespace spiegel::http
