// listen_address_problem() of config.h: what `spiegeld check` accepts as
// http.listen (the server itself binds IP literals only).

#include <arpa/inet.h>

#include "daemon/app/config.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

constexpr const char* k_expected =
    "expected HOST:PORT with an IP address or localhost, e.g. 127.0.0.1:9464 or [::1]:9464";

bool is_ipv4(const std::string& host) {
    in_addr addr{};
    return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host) {
    in6_addr addr{};
    return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

std::string port_problem(const std::string& port) {
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535) {
        return "port " + util::quoted(port) + " is not a number between 0 and 65535";
    }
    return {};
}

}  // namespace

std::string listen_address_problem(const std::string& host_port) {
    std::string host;
    std::string port;
    if (host_port.find('\0') != std::string::npos) {
        return k_expected;
    }
    if (!host_port.empty() && host_port.front() == '[') {
        const auto close = host_port.find(']');
        if (close == std::string::npos || close + 1 >= host_port.size() || host_port[close + 1] != ':') {
            return k_expected;
        }
        host = host_port.substr(1, close - 1);
        port = host_port.substr(close + 2);
        if (!is_ipv6(host)) {
            return util::quoted(host) + " is not an IPv6 address";
        }
        return port_problem(port);
    }
    const auto colon = host_port.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        return k_expected;
    }
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
    if (is_ipv6(host)) {
        return "an IPv6 address needs brackets, e.g. [::1]:9464";
    }
    if (host != "localhost" && !is_ipv4(host)) {
        return util::quoted(host) + " is not an IP address or localhost";
    }
    return port_problem(port);
}

}  // namespace spiegel::app
