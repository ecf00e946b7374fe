#pragma once
// The wire side of a request and a response, without sockets: bytes (or a
// Beast message) -> http::Request with the limits' 400/413/431 decisions,
// and http::Response -> a Beast response with the security headers every
// answer carries. The Server's sessions and the fuzz harness use the same
// functions. All functions are pure and thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "daemon/http/asio.h"
#include "daemon/http/limits.h"
#include "daemon/http/router.h"

namespace spiegel::http {

struct ParsedRequest {
    enum class Outcome {
        complete,    // `request` holds the request
        incomplete,  // the bytes end before the request does (a server would wait for more)
        rejected,    // answer `status` with json_error(status, error) and close
    };
    Outcome outcome = Outcome::incomplete;
    Request request;
    bool keep_alive = false;   // complete: the connection may serve another request
    int status = 0;            // rejected: 400, 413 or 431
    std::string error;         // rejected: the message of the JSON error
    std::size_t consumed = 0;  // complete: bytes of this request (a pipelined next one follows)
};

// Parses the first request in `bytes` under `limits` (head and body sizes;
// timeouts do not apply). remote_address stays empty.
ParsedRequest parse_request(std::string_view bytes, const Limits& limits);

// The pieces parse_request is made of, for a session reading from a socket.
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
// Sets the header and body limits of a fresh parser.
void configure_parser(RequestParser& parser, const Limits& limits);
// A read that failed: rejected (400/413/431, to be answered) or, for a
// closed, reset or timed-out connection, incomplete (close without answer).
ParsedRequest parse_failure(const boost::beast::error_code& ec);
// A message the parser completed: complete, or rejected 400 for a target
// that is not an origin-form path or does not percent-decode.
ParsedRequest from_message(boost::beast::http::request<boost::beast::http::string_body>&& message);

// Adds the headers every response carries (docs/serving.md): nosniff and
// no-referrer, and on HTML X-Frame-Options: DENY and a default
// Content-Security-Policy. A header the handler set is kept, never doubled.
void add_security_headers(Response& response);

// The Beast message for a response (security headers added, payload prepared).
boost::beast::http::response<boost::beast::http::string_body> to_wire(Response response,
                                                                      bool keep_alive);

// The bytes of `message` as Beast's serializer writes them: status line,
// the fields in their order, an empty line, the body as it is. to_wire
// frames every body by its Content-Length (a handler's Content-Length or
// Transfer-Encoding header is a 500); a chunked message throws
// std::logic_error. A session writes them with one plain async_write,
// which compiles to a fraction of Beast's message-writing operations for
// each stream type (docs/development.md, "Build time").
std::string serialize(const boost::beast::http::response<boost::beast::http::string_body>& message);

inline constexpr std::string_view k_default_csp = "default-src 'none'; frame-ancestors 'none'";

}  // namespace spiegel::http
