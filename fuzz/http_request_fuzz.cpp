// libFuzzer harness: the input as HTTP/1.1 requests (pipelined ones too,
// up to 8) through http::parse_request, the daemon's real route table
// (app::add_routes) and http::to_wire, exactly what a connection does minus
// the socket. Stand-ins: an Exporter without a scan, a ready flag, a reload
// that answers 200; no card source, so card routes answer 503 without
// touching a disk.
//
// Invariants (abort on violation): a rejected request is 400, 413 or 431;
// every status is in 100..599; every 4xx/5xx is a JSON {"error": "..."}
// body; the wire response carries the security headers and parses back to
// the same status and body (no header can split the response).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "daemon/app/routes.h"
#include "daemon/http/message.h"
#include "daemon/metrics/exporter.h"

namespace {

using namespace spiegel;
namespace bhttp = boost::beast::http;

constexpr int k_max_requests = 8;

struct World {
    metrics::Exporter exporter{"fuzz"};
    std::atomic<bool> ready{true};
    http::Router router;
    http::Limits limits;

    World() {
        app::RouteContext context;
        context.exporter = &exporter;
        context.ready = &ready;
        context.reload = [] { return http::Response::json(200, "{\"status\":\"reloaded\"}\n"); };
        app::add_routes(router, context);
        // Small enough that the fuzzer reaches 431 and 413 within its input length.
        limits.max_header_bytes = 2048;
        limits.max_body_bytes = 1024;
    }
};

void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "http_request_fuzz: invariant violated: %s\n", what);
        std::abort();
    }
}

void check_response(const http::Response& response) {
    require(response.status >= 100 && response.status <= 599, "status in 100..599");
    if (response.status < 400) {
        return;
    }
    require(response.content_type == "application/json", "an error is JSON");
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    require(body.is_object() && body.contains("error") && body["error"].is_string(),
            "an error body is {\"error\": \"...\"}");
}

void check_wire(const bhttp::response<bhttp::string_body>& wire, int status) {
    require(wire.result_int() == static_cast<unsigned>(status), "the wire status is the handler's");
    require(wire.count("X-Content-Type-Options") == 1 && wire.count("Referrer-Policy") == 1,
            "security headers, once each");
    const std::string bytes = http::serialize(wire);  // what a session writes
    std::ostringstream beast_bytes;
    beast_bytes << wire;
    require(bytes == beast_bytes.str(), "the session's bytes are those of Beast's serializer");
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
    require(!ec && parser.is_done() && used == bytes.size(), "the wire response parses back whole");
    require(parser.get().result_int() == wire.result_int(), "the parsed status is the sent one");
    require(parser.get().body() == wire.body(), "the parsed body is the sent one");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (int i = 0; i < k_max_requests; ++i) {
        http::ParsedRequest parsed = http::parse_request(bytes, world.limits);
        if (parsed.outcome == http::ParsedRequest::Outcome::incomplete) {
            break;
        }
        http::Response response;
        const bool complete = parsed.outcome == http::ParsedRequest::Outcome::complete;
        if (complete) {
            parsed.request.remote_address = "127.0.0.1";
            response = world.router.dispatch(parsed.request).response;
        } else {
            require(parsed.status == 400 || parsed.status == 413 || parsed.status == 431,
                    "a rejected request is 400, 413 or 431");
            response = http::json_error(parsed.status, parsed.error);
        }
        check_response(response);
        const int status = response.status;
        check_wire(http::to_wire(std::move(response), complete && parsed.keep_alive), status);
        if (!complete || !parsed.keep_alive) {
            break;
        }
        require(parsed.consumed > 0 && parsed.consumed <= bytes.size(), "a request consumes its bytes");
        bytes.remove_prefix(parsed.consumed);
    }
    return 0;
}
