#include "daemon/http/session.h"

namespace spiegel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

// After the last response, read and dropped before closing.
constexpr std::size_t k_linger_bytes = 1 << 20;
constexpr std::chrono::seconds k_linger_time{2};
constexpr std::size_t k_first_read_bytes = 4096;
constexpr const char* k_invalid_route = "invalid";
// Browsers that reached the daemon over TLS once keep to TLS for a year.
constexpr std::string_view k_hsts = "max-age=31536000";

}  // namespace

Server::State::State(asio::io_context& context, const Router& r, Limits l, RequestObserver o,
                     asio::any_io_executor h)
    : io(context),
      router(r),
      limits(l),
      observer(std::move(o)),
      handlers(std::move(h)),
      acceptor(context),
      accept_retry(context),
      registry(l.max_connections, l.max_connections_per_client) {}

template <class Stream>
Stream BasicSession<Stream>::make_stream(tcp::socket socket, asio::ssl::context* tls) {
    if constexpr (k_tls) {
        return Stream(beast::tcp_stream(std::move(socket)), *tls);
    } else {
        (void)tls;
        return Stream(std::move(socket));
    }
}

template <class Stream>
BasicSession<Stream>::BasicSession(tcp::socket socket, std::shared_ptr<Server::State> state,
                                   std::string remote_address, std::shared_ptr<asio::ssl::context> tls)
    : m_tls(std::move(tls)),
      m_stream(make_stream(std::move(socket), m_tls.get())),
      m_state(std::move(state)),
      m_remote_address(std::move(remote_address)) {}

// Runs on the io thread: offloaded work hands its reference back there.
template <class Stream>
BasicSession<Stream>::~BasicSession() {
    m_state->registry.remove(*this);
}

template <class Stream>
void BasicSession<Stream>::start() {
    const Clock::time_point deadline = m_started + m_state->limits.request_timeout;
    if constexpr (k_tls) {
        // The handshake counts against the first request's deadline, so a
        // slow or silent TLS client holds its slot no longer than a slow
        // plain one.
        lowest().expires_at(deadline);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 [self = this->shared_from_this(), deadline](beast::error_code ec) {
                                     if (ec || self->m_state->stopped || self->m_closed) {
                                         return self->close();
                                     }
                                     self->read_request(deadline);
                                 });
    } else {
        read_request(deadline);
    }
}

template <class Stream>
void BasicSession<Stream>::close() {
    m_state->registry.remove(*this);
    if (m_closed) {
        return;
    }
    m_closed = true;
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
}

template <class Stream>
void BasicSession<Stream>::wait_for_request() {
    m_state->registry.waiting(*this);
    if (m_buffer.size() > 0) {
        m_started = Clock::now();  // pipelined: the next request has begun
        return read_request(m_started + m_state->limits.request_timeout);
    }
    m_buffer.shrink_to_fit();  // an idle connection keeps no buffer (100k of them may wait)
    lowest().expires_after(m_state->limits.idle_timeout);
    m_stream.async_read_some(
        m_buffer.prepare(k_first_read_bytes),
        [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec || self->m_state->stopped) {
                return self->close();
            }
            self->m_buffer.commit(n);
            self->m_started = Clock::now();
            self->read_request(self->m_started + self->m_state->limits.request_timeout);
        });
}

template <class Stream>
void BasicSession<Stream>::read_request(Clock::time_point deadline) {
    m_parser.emplace();
    configure_parser(*m_parser, m_state->limits);
    lowest().expires_at(deadline);
    bhttp::async_read(
        m_stream, m_buffer, *m_parser,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

template <class Stream>
void BasicSession<Stream>::on_read(const beast::error_code& ec) {
    if (m_state->stopped || m_closed) {
        return close();
    }
    ParsedRequest parsed = ec ? parse_failure(ec) : from_message(m_parser->release());
    m_parser.reset();
    switch (parsed.outcome) {
        case ParsedRequest::Outcome::incomplete:
            return close();
        case ParsedRequest::Outcome::rejected:
            m_state->registry.busy(*this);
            m_head = false;
            return send(json_error(parsed.status, parsed.error), k_invalid_route, false);
        case ParsedRequest::Outcome::complete:
            m_state->registry.busy(*this);
            return answer(std::move(parsed.request), parsed.keep_alive);
    }
}

template <class Stream>
void BasicSession<Stream>::answer(Request request, bool keep_alive) {
    request.remote_address = m_remote_address;
    request.tls = k_tls;
    request.public_origin = m_state->public_origin;
    m_head = request.method == "HEAD";
    Router::Target target = m_state->router.resolve(request);
    if (!target.handler) {
        return send(std::move(target.response), target.route, keep_alive);
    }
    if (target.dispatch == Dispatch::offload) {
        return offload(target, std::move(request), keep_alive);
    }
    send(Router::run(*target.handler, request), target.route, keep_alive);
}

// Runs the handler on the pool; its response comes back to the io thread.
// The pool job moves its Session reference into the posted completion, so
// the last reference is always released, and the Session destroyed, on the
// io thread. An async handler returns at once and answers through its Reply,
// from whichever thread finishes its work; the Reply holds the Session
// reference until then and posts the answer the same way.
template <class Stream>
void BasicSession<Stream>::offload(const Router::Target& target, Request request, bool keep_alive) {
    Server::State& state = *m_state;
    if (state.queued.load() >= state.limits.max_queued) {
        Response busy = json_error(503, "busy");
        busy.headers.emplace_back("Retry-After", "1");
        return send(std::move(busy), target.route, keep_alive);
    }
    ++state.queued;
    if (target.async) {
        asio::post(state.handlers, [self = this->shared_from_this(), &handler = *target.async, route = target.route,
                                    request = std::move(request), keep_alive]() mutable {
            --self->m_state->queued;
            asio::io_context& io = self->m_state->io;
            const bool stopped = self->m_state->stopped;
            Reply reply = reply_once([self = std::move(self), route = std::move(route), keep_alive, &io](Response response) mutable {
                asio::post(io, [self = std::move(self), response = std::move(response), route = std::move(route),
                                keep_alive]() mutable { self->on_offloaded(std::move(response), route, keep_alive); });
            });
            if (stopped) {
                return reply(Response{});
            }
            Router::run_async(handler, request, std::move(reply));
        });
        return;
    }
    asio::post(state.handlers, [self = this->shared_from_this(), &handler = *target.handler, route = target.route,
                                request = std::move(request), keep_alive]() mutable {
        --self->m_state->queued;
        Response response;
        if (!self->m_state->stopped) {
            response = Router::run(handler, request);
        }
        asio::io_context& io = self->m_state->io;
        asio::post(io, [self = std::move(self), response = std::move(response),
                        route = std::move(route), keep_alive]() mutable {
            self->on_offloaded(std::move(response), route, keep_alive);
        });
    });
}

template <class Stream>
void BasicSession<Stream>::on_offloaded(Response response, const std::string& route, bool keep_alive) {
    if (m_state->stopped || m_closed) {
        return;  // the server stopped while the handler ran: drop the answer
    }
    send(std::move(response), route, keep_alive);
}

template <class Stream>
void BasicSession<Stream>::send(Response response, const std::string& route, bool keep_alive) {
    if constexpr (k_tls) {
        response.headers.emplace_back("Strict-Transport-Security", std::string(k_hsts));
    }
    auto out = to_wire(std::move(response), keep_alive);
    if (m_head && out.has_content_length()) {  // the GET answer's head: its Content-Length, no body (a 204 has neither)
        const std::size_t length = out.body().size();
        out.body().clear();
        out.content_length(length);
    }
    if (m_state->observer) {
        m_state->observer(route, static_cast<int>(out.result_int()),
                          std::chrono::duration<double>(Clock::now() - m_started).count());
    }
    // One buffer. (Head and body as two buffers made the browser test's
    // large pages over TLS arrive empty; not taken further.)
    auto wire = std::make_shared<const std::string>(serialize(out));
    lowest().expires_after(m_state->limits.request_timeout);
    asio::async_write(m_stream, asio::buffer(*wire),
                      [self = this->shared_from_this(), wire, keep_alive](beast::error_code ec, std::size_t) {
                          self->on_written(ec, keep_alive);
                      });
}

template <class Stream>
void BasicSession<Stream>::on_written(const beast::error_code& ec, bool keep_alive) {
    if (ec || m_state->stopped || m_closed) {
        return close();
    }
    if (!keep_alive) {
        m_state->registry.waiting(*this);
        m_buffer.consume(m_buffer.size());
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        lowest().expires_after(k_linger_time);
        return linger();
    }
    wait_for_request();
}

// After the last response: half-closed, drop what the client still sends for
// a moment, so it reads the answer instead of a reset.
template <class Stream>
void BasicSession<Stream>::linger() {
    m_stream.async_read_some(m_buffer.prepare(64 * 1024), [self = this->shared_from_this()](
                                                              beast::error_code ec, std::size_t n) {
        self->m_lingered += n;
        if (ec || self->m_lingered > k_linger_bytes || self->m_state->stopped) {
            return self->close();
        }
        self->linger();
    });
}

template class BasicSession<PlainStream>;
template class BasicSession<TlsStream>;

}  // namespace spiegel::http
