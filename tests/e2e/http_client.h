#pragma once
// A minimal blocking HTTP/1.1 client for the end-to-end tests: one request
// per connection to 127.0.0.1 (over RawConnection: 10 s socket timeouts),
// chunked bodies decoded.
// Header-only (the e2e binary globs only *_test.cpp).

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tests/http/raw_client.h"

namespace spiegel::testing::e2e {

struct HttpResponse {
    int status = 0;  // 0: no connection or no valid response
    std::string headers;
    std::string body;
};

inline std::string url_encode(const std::string& s) {
    static const char* k_hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

inline std::string decode_chunked(const std::string& body) {
    std::string out;
    std::size_t pos = 0;
    while (pos < body.size()) {
        const std::size_t eol = body.find("\r\n", pos);
        if (eol == std::string::npos) {
            break;
        }
        const std::size_t size = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
        if (size == 0) {
            break;
        }
        out += body.substr(eol + 2, size);
        pos = eol + 2 + size + 2;
    }
    return out;
}

inline HttpResponse parse_response(const std::string& raw) {
    HttpResponse response;
    const std::size_t head_end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos || raw.size() < 12) {
        return response;
    }
    response.status = std::atoi(raw.substr(9, 3).c_str());
    response.headers = raw.substr(0, head_end);
    response.body = raw.substr(head_end + 4);
    std::string lower = response.headers;
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower.find("transfer-encoding: chunked") != std::string::npos) {
        response.body = decode_chunked(response.body);
    }
    return response;
}

// True when raw holds a whole response with a Content-Length (so a server
// that keeps the connection open does not cost a timeout).
inline bool response_complete(const std::string& raw) {
    const std::size_t head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos) {
        return false;
    }
    std::string head = raw.substr(0, head_end);
    for (auto& c : head) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const std::size_t at = head.find("\r\ncontent-length:");
    if (at == std::string::npos) {
        return false;
    }
    const std::size_t length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
    return raw.size() >= head_end + 4 + length;
}

// method "GET" or "POST"; a POST body is sent as a form.
inline HttpResponse http_request(int port, const std::string& method, const std::string& target,
                                 const std::string& form = "") {
    RawConnection connection(port);
    if (!connection.connected()) {
        return {};
    }
    std::string request = method + " " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                          "\r\nConnection: close\r\n";
    if (method == "POST") {
        request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                   std::to_string(form.size()) + "\r\n";
    }
    request += "\r\n" + form;
    std::string raw;
    if (connection.send_raw(request)) {
        while (connection.receive(raw) && !response_complete(raw)) {
        }
    }
    return parse_response(raw);
}

// POST with a JSON body and a bearer token (the lifecycle endpoints).
inline HttpResponse http_post_json(int port, const std::string& target, const std::string& body,
                                   const std::string& token) {
    RawConnection connection(port);
    if (!connection.connected()) {
        return {};
    }
    const std::string request = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nConnection: close\r\nAuthorization: Bearer " + token +
                                "\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    std::string raw;
    if (connection.send_raw(request)) {
        while (connection.receive(raw) && !response_complete(raw)) {
        }
    }
    return parse_response(raw);
}

inline HttpResponse http_get(int port, const std::string& target) {
    return http_request(port, "GET", target);
}

}  // namespace spiegel::testing::e2e
