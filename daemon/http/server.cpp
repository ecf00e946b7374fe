#include "daemon/http/server.h"

#include <list>
#include <optional>

namespace spiegel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t k_linger_bytes = 1 << 20;  // read and dropped before closing after an error
constexpr std::chrono::seconds k_linger_time{2};

}  // namespace

class Session;

struct Server::State {
    asio::io_context& io;
    const Router& router;
    Limits limits;
    RequestObserver observer;
    tcp::acceptor acceptor;
    std::list<std::weak_ptr<Session>> sessions;
    std::size_t open = 0;
    bool stopped = false;

    State(asio::io_context& context, const Router& r, Limits l, RequestObserver o)
        : io(context), router(r), limits(l), observer(std::move(o)), acceptor(context) {}
};

// One connection: read a request, answer it, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<Server::State> state)
        : m_stream(std::move(socket)), m_state(std::move(state)) {
        ++m_state->open;
    }
    ~Session() { --m_state->open; }

    void start() { wait_for_request(); }
    void close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.close();
    }

private:
    // Idle: wait for the first byte of the next request under the idle timeout.
    void wait_for_request() {
        if (m_buffer.size() > 0) {
            read_request();
            return;
        }
        m_stream.expires_after(m_state->limits.idle_timeout);
        m_stream.async_read_some(m_buffer.prepare(4096),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                     if (ec || self->m_state->stopped) {
                                         return self->close();
                                     }
                                     self->m_buffer.commit(n);
                                     self->read_request();
                                 });
    }

    void read_request() {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_state->limits.max_header_bytes));
        m_parser->body_limit(m_state->limits.max_body_bytes);
        m_stream.expires_after(m_state->limits.request_timeout);
        m_started = Clock::now();
        bhttp::async_read(m_stream, m_buffer, *m_parser,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
            ec == asio::error::operation_aborted || m_state->stopped) {
            return close();
        }
        if (ec == bhttp::error::header_limit) {
            return fail(431, "request header too large");
        }
        if (ec == bhttp::error::body_limit) {
            return fail(413, "request body too large");
        }
        if (ec) {
            return fail(400, "malformed request");
        }
        answer(m_parser->release());
    }

    void answer(bhttp::request<bhttp::string_body> message) {
        Request request;
        request.method = std::string(message.method_string());
        const std::string_view target(message.target().data(), message.target().size());
        const std::size_t q = target.find('?');
        if (q != std::string_view::npos) {
            request.query = std::string(target.substr(q + 1));
        }
        request.raw_path = std::string(target.substr(0, q));
        if (!percent_decode(request.raw_path, request.path) || request.path.empty() ||
            request.path.front() != '/') {
            return fail(400, "malformed request target");
        }
        for (const auto& field : message) {
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        request.body = std::move(message.body());
        auto result = m_state->router.dispatch(request);
        send(std::move(result.response), result.route, message.keep_alive());
    }

    void fail(int status, std::string_view message) { send(json_error(status, message), "invalid", false); }

    void send(Response response, const std::string& route, bool keep_alive) {
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        out->version(11);
        out->result(static_cast<unsigned>(response.status));
        out->set(bhttp::field::content_type, response.content_type);
        out->set("X-Content-Type-Options", "nosniff");
        for (const auto& [name, value] : response.headers) {
            out->set(name, value);
        }
        out->body() = std::move(response.body);
        out->keep_alive(keep_alive);
        out->prepare_payload();
        if (m_state->observer) {
            m_state->observer(route, response.status,
                              std::chrono::duration<double>(Clock::now() - m_started).count());
        }
        m_stream.expires_after(m_state->limits.request_timeout);
        bhttp::async_write(m_stream, *out,
                           [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
                               if (ec || self->m_state->stopped) {
                                   return self->close();
                               }
                               if (!keep_alive) {
                                   return self->linger();
                               }
                               self->wait_for_request();
                           });
    }

    // After the last response: half-close, then drop what the client still
    // sends for a moment, so it reads the answer instead of a reset.
    void linger() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.expires_after(k_linger_time);
        m_buffer.consume(m_buffer.size());
        m_stream.async_read_some(m_buffer.prepare(64 * 1024),
                                 [self = shared_from_this()](beast::error_code e, std::size_t n) {
                                     self->m_lingered += n;
                                     if (e || self->m_lingered > k_linger_bytes) {
                                         return self->close();
                                     }
                                     self->linger();
                                 });
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    std::shared_ptr<Server::State> m_state;
    Clock::time_point m_started = Clock::now();
    std::size_t m_lingered = 0;
};

namespace {

void accept_next(const std::shared_ptr<Server::State>& state) {
    state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
        if (ec || state->stopped) {
            return;
        }
        if (state->open >= state->limits.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);
        } else {
            auto session = std::make_shared<Session>(std::move(socket), state);
            state->sessions.remove_if([](const auto& w) { return w.expired(); });
            state->sessions.push_back(session);
            session->start();
        }
        accept_next(state);
    });
}

}  // namespace

bool split_host_port(const std::string& host_port, std::string& host, unsigned short& port) {
    const std::size_t colon = host_port.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == host_port.size()) {
        return false;
    }
    host = host_port.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string digits = host_port.substr(colon + 1);
    if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    const long value = std::stol(digits);
    if (value > 65535) {
        return false;
    }
    port = static_cast<unsigned short>(value);
    return true;
}

Server::Server(asio::io_context& io, const Router& router, Limits limits, RequestObserver observer)
    : m_state(std::make_shared<State>(io, router, limits, std::move(observer))) {}

Server::~Server() { stop(); }

util::Expected<std::string> Server::listen(const std::string& host_port) {
    std::string host;
    unsigned short port = 0;
    if (!split_host_port(host_port, host, port)) {
        return util::Error{"listen address '" + host_port + "' is not HOST:PORT"};
    }
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        return util::Error{"listen address '" + host_port + "': '" + host + "' is not an IP address"};
    }
    const tcp::endpoint endpoint(address, port);
    auto& acceptor = m_state->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return util::Error{"cannot listen on " + host_port + ": " + ec.message()};
    }
    const auto bound = acceptor.local_endpoint();
    accept_next(m_state);
    const std::string shown = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                                      : bound.address().to_string();
    return shown + ":" + std::to_string(bound.port());
}

void Server::stop() {
    m_state->stopped = true;
    beast::error_code ec;
    m_state->acceptor.close(ec);
    for (auto& weak : m_state->sessions) {
        if (auto session = weak.lock()) {
            session->close();
        }
    }
    m_state->sessions.clear();
}

std::size_t Server::open_connections() const { return m_state->open; }

}  // namespace spiegel::http
