#pragma once
// A blocking HTTP/1.1 test client for 127.0.0.1 that sends raw bytes, so
// tests can send oversized or malformed requests and reuse a connection.
// A connection may come from another loopback address (all of 127/8 is
// loopback on Linux) to act as another client.
// Header-only (test binaries glob only *_test.cpp).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace spiegel::testing {

struct RawResponse {
    int status = 0;  // 0: no response (connection closed or timed out)
    std::string headers;
    std::string body;
};

class RawConnection {
public:
    // source: the local address to connect from ("127.0.0.2"), or empty.
    explicit RawConnection(int port, int timeout_seconds = 10, const std::string& source = "") {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{timeout_seconds, 0};
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        if (!source.empty()) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            inet_pton(AF_INET, source.c_str(), &local.sin_addr);
            if (bind(m_fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
                ::close(m_fd);
                m_fd = -1;
                return;
            }
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        if (connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~RawConnection() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    bool connected() const { return m_fd >= 0; }
    int fd() const { return m_fd; }

    bool send_raw(const std::string& data) {
        std::size_t sent = 0;
        while (m_fd >= 0 && sent < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            sent += static_cast<std::size_t>(n);
        }
        return m_fd >= 0;
    }

    // Reads one response (Content-Length bodies only); the answer to a HEAD
    // request (head_only) has none, whatever its Content-Length says.
    RawResponse read_response(bool head_only = false) {
        RawResponse response;
        std::size_t head_end;
        while ((head_end = m_pending.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) {
                return response;
            }
        }
        response.headers = m_pending.substr(0, head_end + 2);
        std::size_t length = 0;
        const std::size_t cl = lower(response.headers).find("content-length:");
        if (cl != std::string::npos && !head_only) {
            length = std::strtoul(response.headers.c_str() + cl + 15, nullptr, 10);
        }
        while (m_pending.size() < head_end + 4 + length) {
            if (!fill()) {
                return response;
            }
        }
        if (response.headers.rfind("HTTP/1.", 0) == 0 && response.headers.size() > 12) {
            response.status = std::atoi(response.headers.c_str() + 9);
        }
        response.body = m_pending.substr(head_end + 4, length);
        m_pending.erase(0, head_end + 4 + length);
        return response;
    }

    RawResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                        const std::string& extra_headers = "") {
        std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
        raw += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (!send_raw(raw)) {
            return {};
        }
        return read_response(method == "HEAD");
    }

    // Appends the next bytes the server sends (and whatever a read_response()
    // left unread) to out; false on EOF, timeout or error.
    bool receive(std::string& out) {
        if (m_pending.empty() && !fill()) {
            return false;
        }
        out += m_pending;
        m_pending.clear();
        return true;
    }

    // True when the server closed the connection (EOF) before the receive timeout.
    bool closed_by_peer() {
        char c;
        return ::recv(m_fd, &c, 1, 0) == 0;
    }

    // True when the server has closed or reset the connection by now (does not wait).
    bool closed_now() {
        char c;
        const ssize_t n = ::recv(m_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

    // True when a response (or EOF) can be read within timeout_ms.
    bool readable(int timeout_ms) {
        if (!m_pending.empty()) {
            return true;
        }
        pollfd p{m_fd, POLLIN, 0};
        return ::poll(&p, 1, timeout_ms) == 1;
    }

    static std::string lower(std::string s) {
        for (auto& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    }

private:
    bool fill() {
        char buf[16384];
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) {
            return false;
        }
        m_pending.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int m_fd = -1;
    std::string m_pending;
};

// One request on a fresh connection.
inline RawResponse http_request(int port, const std::string& method, const std::string& target,
                                const std::string& body = "", const std::string& extra_headers = "") {
    RawConnection connection(port);
    return connection.request(method, target, body, extra_headers);
}

}  // namespace spiegel::testing
