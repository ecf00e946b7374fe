// Router: exact and {param} routes, 404/405 as JSON errors, escaping helpers.
#include <gtest/gtest.h>

#include <thread>

#include <stdexcept>

#include "daemon/http/router.h"

namespace spiegel::http {
namespace {

Response echo(const Request& r) {
    std::string body = r.method + " " + r.path;
    for (const auto& [k, v] : r.params) {
        body += " " + k + "=" + v;
    }
    return Response::text(200, body);
}

Router sample_router() {
    Router router;
    router.add("GET", "/metrics", echo);
    router.add("GET", "/api/v1/cards/cv/{id}", echo);
    router.add("GET", "/api/v1/cards/cv/summary", [](const Request&) { return Response::text(200, "exact"); });
    router.add("POST", "/-/reload", echo);
    router.add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
    return router;
}

Router::Result call(const Router& router, const std::string& method, const std::string& path) {
    Request request;
    request.method = method;
    request.path = path;
    return router.dispatch(request);
}

TEST(Request, origin_is_the_scheme_and_lower_cased_host_or_the_public_origin) {
    Request r;
    r.headers = {{"host", "Spiegel.Example.NL:9464"}};
    EXPECT_EQ(r.origin(), "http://spiegel.example.nl:9464");
    EXPECT_FALSE(r.secure());
    r.tls = true;
    EXPECT_EQ(r.origin(), "https://spiegel.example.nl:9464");
    EXPECT_TRUE(r.secure());
    r.tls = false;
    r.public_origin = "https://spiegel.example.nl";
    EXPECT_EQ(r.origin(), "https://spiegel.example.nl");
    EXPECT_TRUE(r.secure());
}

TEST(Router, exact_route_answers_with_its_pattern) {
    const auto result = call(sample_router(), "GET", "/metrics");
    EXPECT_EQ(result.response.status, 200);
    EXPECT_EQ(result.response.body, "GET /metrics");
    EXPECT_EQ(result.route, "/metrics");
}

TEST(Router, param_route_binds_the_segment_and_reports_the_pattern_not_the_path) {
    const auto result = call(sample_router(), "GET", "/api/v1/cards/cv/CV-123");
    EXPECT_EQ(result.response.body, "GET /api/v1/cards/cv/CV-123 id=CV-123");
    EXPECT_EQ(result.route, "/api/v1/cards/cv/{id}");
}

TEST(Router, encoded_slash_stays_inside_a_param) {
    Request request;
    request.method = "GET";
    request.raw_path = "/api/v1/cards/cv/a%2Fb";
    request.path = "/api/v1/cards/cv/a/b";
    const auto result = sample_router().dispatch(request);
    EXPECT_EQ(result.route, "/api/v1/cards/cv/{id}");
    EXPECT_EQ(request.params.at("id"), "a/b");
}

TEST(Router, exact_route_wins_over_param_route_added_before_it) {
    EXPECT_EQ(call(sample_router(), "GET", "/api/v1/cards/cv/summary").response.body, "exact");
}

TEST(Router, unknown_path_is_404_json_error) {
    const auto result = call(sample_router(), "GET", "/nope");
    EXPECT_EQ(result.response.status, 404);
    EXPECT_EQ(result.response.content_type, "application/json");
    EXPECT_EQ(result.response.body, "{\"error\":\"not found\"}\n");
    EXPECT_EQ(result.route, k_unmatched_route);
}

TEST(Router, param_segment_does_not_match_extra_or_missing_segments) {
    EXPECT_EQ(call(sample_router(), "GET", "/api/v1/cards/cv").response.status, 404);
    EXPECT_EQ(call(sample_router(), "GET", "/api/v1/cards/cv/a/b").response.status, 404);
}

TEST(Router, known_path_with_other_method_is_405_with_allow) {
    const auto result = call(sample_router(), "GET", "/-/reload");
    EXPECT_EQ(result.response.status, 405);
    ASSERT_EQ(result.response.headers.size(), 1u);
    EXPECT_EQ(result.response.headers[0].first, "Allow");
    EXPECT_EQ(result.response.headers[0].second, "POST");
}

// HEAD is GET without the body (RFC 9110): a GET route answers it (the
// session sends only the head); a known path with another method is a 405
// counted under its route, whose Allow names HEAD beside GET.
TEST(Router, head_is_answered_by_the_get_route_and_allow_names_it) {
    const auto head = call(sample_router(), "HEAD", "/metrics");
    EXPECT_EQ(head.response.status, 200);
    EXPECT_EQ(head.route, "/metrics");
    const auto del = call(sample_router(), "DELETE", "/metrics");
    EXPECT_EQ(del.response.status, 405);
    EXPECT_EQ(del.route, "/metrics");
    ASSERT_EQ(del.response.headers.size(), 1u);
    EXPECT_EQ(del.response.headers[0].second, "GET, HEAD");
    EXPECT_EQ(call(sample_router(), "HEAD", "/-/reload").response.status, 405) << "a POST route does not answer HEAD";
}

TEST(Router, throwing_handler_is_500_without_the_exception_text) {
    const auto result = call(sample_router(), "GET", "/boom");
    EXPECT_EQ(result.response.status, 500);
    EXPECT_EQ(result.response.body.find("secret"), std::string::npos);
    EXPECT_EQ(result.route, "/boom");
}

TEST(Router, an_async_route_is_offloaded_and_dispatch_waits_for_its_reply) {
    Router router;
    router.add_async("GET", "/cards/cv/{id}", [](const Request& r, Reply reply) {
        std::thread([id = r.params.at("id"), reply] { reply(Response::text(200, "card " + id)); }).detach();
    });
    Request request;
    request.method = "GET";
    request.path = "/cards/cv/7";
    const auto target = router.resolve(request);
    ASSERT_NE(target.async, nullptr);
    EXPECT_EQ(target.dispatch, Dispatch::offload);
    EXPECT_EQ(router.dispatch(request).response.body, "card 7");
}

TEST(Router, resolve_finds_the_route_and_its_dispatch_without_running_it) {
    Router router;
    int runs = 0;
    const Handler card = [&](const Request& r) {
        return Response::text(200, std::to_string(++runs) + r.params.at("id"));
    };
    router.add("GET", "/cards/cv/{id}", card, Dispatch::offload);
    router.add("GET", "/healthz", echo);
    Request request;
    request.method = "GET";
    request.path = "/cards/cv/7";
    const auto target = router.resolve(request);
    ASSERT_NE(target.handler, nullptr);
    EXPECT_EQ(target.dispatch, Dispatch::offload);
    EXPECT_EQ(target.route, "/cards/cv/{id}");
    EXPECT_EQ(runs, 0);
    EXPECT_EQ(Router::run(*target.handler, request).body, "17");
    request.path = "/healthz";
    EXPECT_EQ(router.resolve(request).dispatch, Dispatch::io);
}

TEST(Router, resolve_of_an_unknown_path_has_no_handler_and_the_404) {
    Request request;
    request.method = "GET";
    request.path = "/nope";
    const auto target = sample_router().resolve(request);
    EXPECT_EQ(target.handler, nullptr);
    EXPECT_EQ(target.response.status, 404);
}

TEST(Router, json_error_escapes_quotes_and_control_characters) {
    EXPECT_EQ(json_error(400, "bad \"x\"\n").body, "{\"error\":\"bad \\\"x\\\"\\n\"}\n");
}

TEST(Router, percent_decode_rejects_truncated_escape_and_nul) {
    std::string out;
    EXPECT_TRUE(percent_decode("/a%20b", out));
    EXPECT_EQ(out, "/a b");
    EXPECT_FALSE(percent_decode("/a%2", out));
    EXPECT_FALSE(percent_decode("/a%00", out));
    EXPECT_FALSE(percent_decode("/a%zz", out));
}

TEST(Router, header_lookup_ignores_case) {
    Request r;
    r.headers = {{"Content-Type", "text/plain"}};
    EXPECT_EQ(r.header("content-type"), "text/plain");
    EXPECT_EQ(r.header("accept"), "");
}

}  // namespace
}  // namespace spiegel::http
