#include "daemon/http/server.h"

#include <algorithm>

#include "daemon/http/session.h"

namespace spiegel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// After an accept error (out of file descriptors, a connection aborted in
// the backlog), wait this long before accepting again instead of spinning.
constexpr std::chrono::milliseconds k_accept_retry{50};

// Admits the connection, evicting the longest-waiting one at the total cap,
// or closes it (beyond the per-client cap, or every connection busy).
template <class SessionType>
void admit_as(const std::shared_ptr<Server::State>& state, tcp::socket socket, const tcp::endpoint& peer) {
    auto session = std::make_shared<SessionType>(std::move(socket), state, address_text(peer.address()),
                                                 state->tls ? state->tls->current() : nullptr);
    const auto notify = [&](ConnectionEvent event) {
        if (state->connection_observer) {
            state->connection_observer(event);
        }
    };
    switch (state->registry.admit(*session, client_key(peer.address()))) {
        case ConnectionRegistry::Admission::admitted_by_eviction:
            notify(ConnectionEvent::evicted);
            [[fallthrough]];
        case ConnectionRegistry::Admission::admitted:
            return session->start();
        case ConnectionRegistry::Admission::client_at_cap:
            notify(ConnectionEvent::refused_per_client);
            break;
        case ConnectionRegistry::Admission::all_busy:
            notify(ConnectionEvent::refused_all_busy);
            break;
    }
    session->close();
}

void admit(const std::shared_ptr<Server::State>& state, tcp::socket socket) {
    beast::error_code ec;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    if (ec) {
        return;  // already reset by the client; the socket closes here
    }
    if (state->tls) {
        return admit_as<TlsSession>(state, std::move(socket), peer);
    }
    admit_as<Session>(state, std::move(socket), peer);
}

void accept_next(const std::shared_ptr<Server::State>& state) {
    state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
        if (state->stopped || ec == asio::error::operation_aborted) {
            return;
        }
        if (!ec) {
            admit(state, std::move(socket));
            return accept_next(state);
        }
        state->accept_retry.expires_after(k_accept_retry);
        state->accept_retry.async_wait([state](beast::error_code wait_ec) {
            if (!wait_ec && !state->stopped) {
                accept_next(state);
            }
        });
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
    : m_pool(std::make_unique<asio::thread_pool>(std::max<std::size_t>(limits.handler_threads, 1))),
      m_state(std::make_shared<State>(io, router, limits, std::move(observer), m_pool->get_executor())) {}

Server::Server(asio::io_context& io, const Router& router, Limits limits, RequestObserver observer,
               asio::any_io_executor handlers)
    : m_state(std::make_shared<State>(io, router, limits, std::move(observer), std::move(handlers))) {}

Server::~Server() {
    stop();
    join_handlers();
}

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

void Server::set_tls(std::shared_ptr<TlsContexts> tls) { m_state->tls = std::move(tls); }

void Server::set_public_origin(std::string origin) {
    m_state->public_origin = std::move(origin);
}

void Server::set_connection_observer(ConnectionObserver observer) {
    m_state->connection_observer = std::move(observer);
}

void Server::stop() {
    m_state->stopped = true;
    beast::error_code ec;
    m_state->acceptor.close(ec);
    m_state->accept_retry.cancel();
    m_state->registry.evict_all();
}

void Server::join_handlers() {
    if (m_pool) {
        m_pool->join();
    }
}

std::size_t Server::open_connections() const { return m_state->registry.open(); }

}  // namespace spiegel::http
