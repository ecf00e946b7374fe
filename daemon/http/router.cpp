#include "daemon/http/router.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <memory>

#include <nlohmann/json.hpp>

#include "daemon/util/json_text.h"
#include "daemon/util/text.h"

namespace spiegel::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        const std::size_t end = std::min(path.find('/', pos), path.size());
        out.push_back(path.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (util::ascii_iequals(k, name)) {
            return v;
        }
    }
    return {};
}

std::string Request::origin() const {
    if (!public_origin.empty()) {
        return public_origin;
    }
    return (tls ? "https://" : "http://") + util::ascii_lower(header("Host"));
}

Response Response::json(int status, std::string body) {
    return Response{status, "application/json", std::move(body), {}};
}

Response Response::text(int status, std::string body) {
    return Response{status, "text/plain; charset=utf-8", std::move(body), {}};
}

Response Response::html(int status, std::string body) {
    return Response{status, "text/html; charset=utf-8", std::move(body), {}};
}

Response json_response(int status, const nlohmann::json& body) {
    return Response::json(status, util::json_text(body) + "\n");
}

Response json_error(int status, std::string_view message) {
    return json_response(status, {{"error", std::string(message)}});
}

bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) {
            return false;
        }
        const int hi = hex_digit(in[i + 1]);
        const int lo = hex_digit(in[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            return false;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

void Router::add(std::string method, std::string pattern, Handler handler, Dispatch dispatch) {
    Route route;
    route.method = std::move(method);
    route.dispatch = dispatch;
    for (const auto segment : split_path(pattern)) {
        route.segments.emplace_back(segment);
        if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
            route.has_params = true;
        }
    }
    route.pattern = std::move(pattern);
    route.handler = std::move(handler);
    m_routes.push_back(std::move(route));
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler) {
    // The synchronous form (dispatch(), tests) runs it and waits for its reply.
    auto shared = std::make_shared<AsyncHandler>(std::move(handler));
    add(std::move(method), std::move(pattern),
        [shared](const Request& request) {
            auto answer = std::make_shared<std::promise<Response>>();
            auto future = answer->get_future();
            run_async(*shared, request, reply_once([answer](Response r) { answer->set_value(std::move(r)); }));
            return future.get();
        },
        Dispatch::offload);
    m_routes.back().async = *shared;
}

Reply reply_once(std::function<void(Response)> send) {
    // Shared by the Reply's copies; answers 500 when the last one goes unanswered.
    struct Once {
        std::function<void(Response)> send;
        std::atomic<bool> done{false};
        void answer(Response r) {
            if (!done.exchange(true)) {
                send(std::move(r));
            }
        }
        ~Once() { answer(json_error(500, "internal error")); }
    };
    auto once = std::make_shared<Once>();
    once->send = std::move(send);
    return [once](Response r) { once->answer(std::move(r)); };
}

bool Router::match(const Route& route, const std::vector<std::string_view>& segments,
                   std::map<std::string, std::string>* params) {
    if (route.segments.size() != segments.size()) {
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& want = route.segments[i];
        const bool param = want.size() > 2 && want.front() == '{' && want.back() == '}';
        if (param) {
            if (params) {
                (*params)[want.substr(1, want.size() - 2)] = std::string(segments[i]);
            }
        } else if (want != segments[i]) {
            return false;
        }
    }
    return true;
}

Router::Target Router::resolve(Request& request) const {
    std::vector<std::string> decoded;
    for (const auto raw : split_path(request.raw_path.empty() ? request.path : request.raw_path)) {
        std::string segment;
        if (request.raw_path.empty()) {
            segment = std::string(raw);
        } else if (!percent_decode(raw, segment)) {
            return {nullptr, nullptr, Dispatch::io, std::string(k_unmatched_route),
                    json_error(400, "malformed request target")};
        }
        decoded.push_back(std::move(segment));
    }
    const std::vector<std::string_view> segments(decoded.begin(), decoded.end());
    const Route* found = nullptr;
    const Route* path_found = nullptr;  // the first route of the path, whatever its method
    std::string allow;
    const auto add_allowed = [&allow](const std::string& method) {
        if (allow.find(method) == std::string::npos) {
            allow += (allow.empty() ? "" : ", ") + method;
        }
    };
    // HEAD is GET without the body (RFC 9110 section 9.3.2): a GET route
    // answers it, and the session sends only the head.
    const bool head = request.method == "HEAD";
    // Exact routes first, then parameter routes, each in the order added.
    for (const bool with_params : {false, true}) {
        for (const auto& route : m_routes) {
            if (route.has_params != with_params || !match(route, segments, nullptr)) {
                continue;
            }
            path_found = path_found ? path_found : &route;
            if ((route.method == request.method || (head && route.method == "GET")) && !found) {
                found = &route;
            } else {
                add_allowed(route.method);
                if (route.method == "GET") {
                    add_allowed("HEAD");
                }
            }
        }
    }
    if (!found) {
        Target target{nullptr, nullptr, Dispatch::io, std::string(k_unmatched_route), json_error(404, "not found")};
        if (path_found) {
            target.route = path_found->pattern;  // a known path: counted under its route
            target.response = json_error(405, "method " + request.method + " not allowed here");
            target.response.headers.emplace_back("Allow", allow);
        }
        return target;
    }
    request.params.clear();
    match(*found, segments, &request.params);
    return {&found->handler, found->async ? &found->async : nullptr, found->dispatch, found->pattern, {}};
}

Response Router::run(const Handler& handler, const Request& request) noexcept {
    try {
        return handler(request);
    } catch (...) {
        return json_error(500, "internal error");
    }
}

void Router::run_async(const AsyncHandler& handler, const Request& request, Reply reply) noexcept {
    try {
        handler(request, reply);
    } catch (...) {
        reply(json_error(500, "internal error"));  // ignored when it had answered
    }
}

Router::Result Router::dispatch(Request& request) const {
    Target target = resolve(request);
    if (!target.handler) {
        return {std::move(target.response), std::move(target.route)};
    }
    return {run(*target.handler, request), std::move(target.route)};
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : m_routes) {
        out.emplace_back(r.method, r.pattern);
    }
    return out;
}

}  // namespace spiegel::http
