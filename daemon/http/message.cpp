#include "daemon/http/message.h"

#include <algorithm>
#include <stdexcept>

#include "daemon/util/text.h"

namespace spiegel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

ParsedRequest rejected(int status, std::string message) {
    ParsedRequest parsed;
    parsed.outcome = ParsedRequest::Outcome::rejected;
    parsed.status = status;
    parsed.error = std::move(message);
    return parsed;
}

bool has_header(const Response& response, std::string_view name) {
    return std::any_of(response.headers.begin(), response.headers.end(),
                       [&](const auto& header) { return util::ascii_iequals(header.first, name); });
}

// The content type on the wire: a Content-Type header of the handler wins.
std::string_view content_type(const Response& response) {
    for (const auto& [name, value] : response.headers) {
        if (util::ascii_iequals(name, "Content-Type")) {
            return value;
        }
    }
    return response.content_type;
}

bool is_html(std::string_view type) {
    constexpr std::string_view k_html = "text/html";
    return type.size() >= k_html.size() && util::ascii_iequals(type.substr(0, k_html.size()), k_html);
}

// A name or value that would end the header line (response splitting).
bool unsafe_header(std::string_view name, std::string_view value) {
    const auto breaks = [](std::string_view s) {
        return s.find_first_of(std::string_view("\r\n\0", 3)) != s.npos;
    };
    // The framing is to_wire's alone: a body is always sent with its
    // Content-Length (never chunked, so serialize's bytes are Beast's).
    const bool framing = util::ascii_iequals(name, "Content-Length") || util::ascii_iequals(name, "Transfer-Encoding");
    return name.empty() || name.find_first_of(": \t") != std::string_view::npos || breaks(name) ||
           breaks(value) || framing;
}

}  // namespace

void configure_parser(RequestParser& parser, const Limits& limits) {
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header_bytes, UINT32_MAX)));
    parser.body_limit(limits.max_body_bytes);
}

ParsedRequest parse_failure(const beast::error_code& ec) {
    if (ec == bhttp::error::header_limit) {
        return rejected(431, "request header too large");
    }
    if (ec == bhttp::error::body_limit) {
        return rejected(413, "request body too large");
    }
    const bool parse_error =
        ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
    if (!parse_error || ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == bhttp::error::need_more) {
        return {};  // the connection ended, failed or timed out: nothing to answer
    }
    return rejected(400, "malformed request");
}

ParsedRequest from_message(bhttp::request<bhttp::string_body>&& message) {
    ParsedRequest parsed;
    Request& request = parsed.request;
    request.method = std::string(message.method_string());
    const std::string_view target(message.target().data(), message.target().size());
    const std::size_t q = target.find('?');
    if (q != std::string_view::npos) {
        request.query = std::string(target.substr(q + 1));
    }
    request.raw_path = std::string(target.substr(0, q));
    std::string query_bytes;  // the query's escapes are checked as the path's are: no %00, no bad escape
    if (!percent_decode(request.raw_path, request.path) || request.path.empty() ||
        request.path.front() != '/' || !percent_decode(request.query, query_bytes)) {
        return rejected(400, "malformed request target");
    }
    std::size_t hosts = 0;
    for (const auto& field : message) {
        hosts += field.name() == bhttp::field::host ? 1 : 0;
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    // RFC 9112, 3.2: an HTTP/1.1 request names its host once (the origin
    // checks compare with it); HTTP/1.0 may leave it out.
    if (hosts > 1 || (hosts == 0 && message.version() >= 11)) {
        return rejected(400, hosts > 1 ? "more than one Host header" : "an HTTP/1.1 request needs a Host header");
    }
    parsed.keep_alive = message.keep_alive();
    request.body = std::move(message.body());
    parsed.outcome = ParsedRequest::Outcome::complete;
    return parsed;
}

ParsedRequest parse_request(std::string_view bytes, const Limits& limits) {
    RequestParser parser;
    configure_parser(parser, limits);
    parser.eager(true);
    std::size_t used = 0;
    while (!parser.is_done()) {
        beast::error_code ec;
        const std::size_t n =
            parser.put(asio::const_buffer(bytes.data() + used, bytes.size() - used), ec);
        used += n;
        if (ec == bhttp::error::need_more || (!ec && n == 0)) {
            if (n == 0) {
                return {};  // every byte is in: the request is not
            }
            continue;
        }
        if (ec) {
            return parse_failure(ec);
        }
    }
    ParsedRequest parsed = from_message(parser.release());
    parsed.consumed = used;
    return parsed;
}

void add_security_headers(Response& response) {
    const auto add = [&](std::string_view name, std::string_view value) {
        if (!has_header(response, name)) {
            response.headers.emplace_back(std::string(name), std::string(value));
        }
    };
    add("X-Content-Type-Options", "nosniff");
    add("Referrer-Policy", "no-referrer");
    if (is_html(content_type(response))) {
        add("X-Frame-Options", "DENY");
        add("Content-Security-Policy", k_default_csp);
    }
}

bhttp::response<bhttp::string_body> to_wire(Response response, bool keep_alive) {
    const bool unsafe = unsafe_header("Content-Type", response.content_type) ||
                        std::any_of(response.headers.begin(), response.headers.end(),
                                    [](const auto& h) { return unsafe_header(h.first, h.second); });
    if (unsafe || response.status < 100 || response.status > 599) {
        response = json_error(500, "internal error");  // a handler bug, not the client's
    }
    add_security_headers(response);
    bhttp::response<bhttp::string_body> out;
    out.version(11);
    out.result(static_cast<unsigned>(response.status));
    // RFC 9110, 8.6 and 15.4.5: a 204 or 304 has no content and a 204 no
    // Content-Length; neither gets a Content-Type of a body it lacks.
    const bool no_content = response.status == 204 || response.status == 304;
    if (!no_content && !has_header(response, "Content-Type")) {
        out.set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
        out.insert(name, value);  // insert, not set: several Set-Cookie lines stay
    }
    out.keep_alive(keep_alive);
    if (no_content) {
        out.erase(bhttp::field::content_length);
        return out;
    }
    out.body() = std::move(response.body);
    out.prepare_payload();
    return out;
}

std::string serialize(const bhttp::response<bhttp::string_body>& message) {
    if (message.chunked()) {
        throw std::logic_error("serialize: a chunked message (to_wire never makes one)");
    }
    const beast::string_view reason = message.reason();
    // "HTTP/1.1 " 200 " " reason CRLF, the fields, CRLF, the body
    std::size_t size = 17 + reason.size() + message.body().size();
    for (const auto& field : message) {
        size += field.name_string().size() + field.value().size() + 4;
    }
    std::string wire;
    wire.reserve(size);
    const auto add = [&wire](beast::string_view text) { wire.append(text.data(), text.size()); };
    const unsigned version = message.version();
    wire += "HTTP/";
    wire += static_cast<char>('0' + version / 10 % 10);
    wire += '.';
    wire += static_cast<char>('0' + version % 10);
    wire += ' ';
    wire += std::to_string(message.result_int());
    wire += ' ';
    add(reason);
    wire += "\r\n";
    for (const auto& field : message) {
        add(field.name_string());
        wire += ": ";
        add(field.value());
        wire += "\r\n";
    }
    wire += "\r\n";
    wire += message.body();
    return wire;
}

}  // namespace spiegel::http
