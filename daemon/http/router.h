#pragma once
// HTTP request/response values and a Router from (method, route pattern) to
// pure handlers (Request -> Response). Patterns are exact ("/metrics") or
// have whole-segment parameters ("/api/v1/cards/cv/{id}"); exact routes win
// over parameter routes. Unknown paths answer 404, known paths with another
// method 405 (with Allow), both as JSON errors {"error":"..."}.
// Add routes before serving; resolve(), run() and dispatch() are then safe
// from any thread, concurrently.
//
// Handlers and threads: a route is registered Dispatch::io (the default) or
// Dispatch::offload. The Server runs io handlers on its io thread, one at a
// time, so they must answer from memory and never block (probes, /metrics).
// It runs offload handlers on its handler pool, several at once and
// concurrently with io handlers: an offloaded handler must be thread-safe
// (lock or copy any shared state it reads, including the route's captures).
// An asynchronous handler (add_async, always offloaded) starts on the pool
// and answers later through its Reply, from any thread, so it need not hold
// a pool thread while it waits for another thread (an audit commit).

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spiegel::http {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;      // percent-decoded path without the query
    std::string raw_path;  // the path as sent (percent-encoded); routing splits it
                           // before decoding, so "%2F" stays inside a {param}
    std::string query;   // raw text after '?', or empty
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::map<std::string, std::string> params;  // {name} segments of the matched pattern
    std::string remote_address;  // the client's IP without port ("127.0.0.1", "::1"); empty without a socket
    bool tls = false;            // it arrived over TLS (https)
    // http.public_origin: where browsers reach this server through a
    // TLS-terminating proxy ("https://spiegel.example.nl"); empty when none.
    std::string public_origin;

    // The first header with this name (case-insensitive), or empty.
    std::string_view header(std::string_view name) const;
    // Whether the browser's connection is https: this one arrived over TLS,
    // or through the proxy of public_origin. Cookies are then Secure.
    bool secure() const { return tls || !public_origin.empty(); }
    // The origin a page of this server has in the browser, as an Origin
    // header sends it: public_origin when set, else this connection's scheme
    // and the Host header, lower-cased.
    std::string origin() const;
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers

    static Response json(int status, std::string body);
    static Response text(int status, std::string body);
    static Response html(int status, std::string body);
};

// {"error":"<message>"} with the message JSON-escaped.
Response json_error(int status, std::string_view message);
// A JSON answer: `body` on one line and a newline. Invalid UTF-8 in a
// string (it may come from input) becomes U+FFFD, never an exception.
Response json_response(int status, const nlohmann::json& body);
// Percent-decodes a path; false on a malformed escape or a NUL byte.
bool percent_decode(std::string_view in, std::string& out);

using Handler = std::function<Response(const Request&)>;
// Answers a request. Callable from any thread; the first call counts, later
// ones are ignored; a request whose every Reply is dropped unanswered gets
// 500 {"error":"internal error"}.
using Reply = std::function<void(Response)>;
using AsyncHandler = std::function<void(const Request&, Reply)>;
// A Reply that answers once through `send`, or 500 when dropped unanswered.
Reply reply_once(std::function<void(Response)> send);

// Where the Server runs a route's handler (see the top of this file).
enum class Dispatch {
    io,       // inline on the io thread: answers from memory, never blocks
    offload,  // on the handler pool, concurrently with other handlers
};

// The route label reported for requests that match no route.
inline constexpr std::string_view k_unmatched_route = "unmatched";

class Router {
public:
    // One line per route: router.add("GET", "/cards/cv/{id}", handler, Dispatch::offload).
    void add(std::string method, std::string pattern, Handler handler, Dispatch dispatch = Dispatch::io);
    // An asynchronous route, run on the handler pool (Dispatch::offload).
    void add_async(std::string method, std::string pattern, AsyncHandler handler);

    // A request's route, found but not yet run.
    struct Target {
        const Handler* handler = nullptr;  // null: `response` is the answer (400, 404, 405)
                                           // (an async route's: it run and waited for)
        const AsyncHandler* async = nullptr;  // set: an async route (add_async)
        Dispatch dispatch = Dispatch::io;
        std::string route;  // the matched pattern, or k_unmatched_route
        Response response;
    };
    // Finds the route and fills request.params; runs nothing.
    Target resolve(Request& request) const;
    // Runs a handler; one that throws answers 500 without the exception text.
    static Response run(const Handler& handler, const Request& request) noexcept;
    // Starts an async handler; one that throws answers 500 through `reply`.
    static void run_async(const AsyncHandler& handler, const Request& request, Reply reply) noexcept;

    struct Result {
        Response response;
        std::string route;  // the matched pattern, or k_unmatched_route
    };
    // resolve() and run() on the calling thread, whatever the route's Dispatch.
    Result dispatch(Request& request) const;

    // The patterns served, in the order added (for the landing page).
    std::vector<std::pair<std::string, std::string>> routes() const;  // (method, pattern)

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        bool has_params = false;
        Dispatch dispatch = Dispatch::io;
        Handler handler;
        AsyncHandler async;  // set: handler runs it and waits
    };
    static bool match(const Route& route, const std::vector<std::string_view>& segments,
                      std::map<std::string, std::string>* params);
    std::vector<Route> m_routes;
};

}  // namespace spiegel::http
