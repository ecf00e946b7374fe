#pragma once
// HTTP request/response values and a Router from (method, route pattern) to
// pure handlers (Request -> Response). Patterns are exact ("/metrics") or
// have whole-segment parameters ("/api/v1/cards/cv/{id}"); exact routes win
// over parameter routes. Unknown paths answer 404, known paths with another
// method 405 (with Allow), both as JSON errors {"error":"..."}.
// Add routes before serving; dispatch() is then safe from any thread.

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
    std::string remote_address;  // the client's IP address, without the port ("" when unknown)
    std::map<std::string, std::string> params;  // {name} segments of the matched pattern

    // The first header with this name (case-insensitive), or empty.
    std::string_view header(std::string_view name) const;
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
// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view text);
// Percent-decodes a path; false on a malformed escape or a NUL byte.
bool percent_decode(std::string_view in, std::string& out);

using Handler = std::function<Response(const Request&)>;

// Where a handler runs: inline on the io thread (answers from memory), or
// offloaded to the server's handler pool (reads a database, may block).
enum class Dispatch { inline_, offload };

// The route label reported for requests that match no route.
inline constexpr std::string_view k_unmatched_route = "unmatched";

class Router {
public:
    // One line per route: router.add("GET", "/cards/cv/{id}", handler).
    void add(std::string method, std::string pattern, Handler handler, Dispatch dispatch = Dispatch::inline_);

    struct Result {
        Response response;
        std::string route;  // the matched pattern, or k_unmatched_route
    };
    // Finds the route, fills request.params and runs the handler. A handler
    // that throws answers 500 without the exception text.
    Result dispatch(Request& request) const;

    // The patterns served, in the order added (for the landing page).
    std::vector<std::pair<std::string, std::string>> routes() const;  // (method, pattern)

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        bool has_params = false;
        Handler handler;
        Dispatch dispatch = Dispatch::inline_;
    };
    static bool match(const Route& route, const std::vector<std::string_view>& segments,
                      std::map<std::string, std::string>* params);
    std::vector<Route> m_routes;
};

}  // namespace spiegel::http
