// The config keys of the web side (docs/configuration.md): http.tls, whose
// names follow the Prometheus exporter-toolkit web config,
// http.metrics_token_file and http.public_origin.
#include <string_view>

#include "daemon/app/config.h"
#include "daemon/app/config_section.h"
#include "daemon/util/text.h"

namespace spiegel::app {

std::string public_origin_problem(std::string_view origin) {
    constexpr std::string_view k_scheme = "https://";
    const std::string lowered = util::ascii_lower(origin);
    if (lowered.rfind(k_scheme, 0) != 0) {
        return "must start with https:// (the proxy in front serves browsers over TLS; "
               "sign-in is never served in clear text)";
    }
    const std::string_view rest = std::string_view(lowered).substr(k_scheme.size());
    std::string_view host = rest;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return "an IPv6 host needs its closing ']'";
        }
        host = rest.substr(0, close + 1);
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty() && after.front() != ':') {
            return "expected https://HOST[:PORT], without a path";
        }
        port = after.empty() ? after : after.substr(1);
        if (after == ":") {
            return "the port after ':' is missing";
        }
        for (const char ch : host.substr(1, host.size() - 2)) {
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == ':' || ch == '.')) {
                return "not an IPv6 address between '[' and ']'";
            }
        }
    } else {
        const auto colon = rest.find(':');
        host = rest.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = rest.substr(colon + 1);
            if (port.empty()) {
                return "the port after ':' is missing";
            }
        }
        for (const char ch : host) {
            if (ch == '/' || ch == '?' || ch == '#') {
                return "expected https://HOST[:PORT], without a path, query or fragment";
            }
            if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.')) {
                return "the host may hold letters, digits, '-' and '.' (or an IPv6 address in [ ])";
            }
        }
    }
    if (host.empty() || host == "[]") {
        return "the host is missing";
    }
    if (!port.empty()) {
        if (port.size() > 5 || port.front() == '0' ||
            port.find_first_not_of("0123456789") != std::string_view::npos) {
            return "expected https://HOST[:PORT], without a path; the port is a number 1..65535";
        }
        const long n = std::stol(std::string(port));
        if (n < 1 || n > 65535) {
            return "the port is a number 1..65535";
        }
    }
    return "";
}

namespace {

void read_public_origin(ConfigSection& http, Config& c) {
    std::string origin;
    http.checked_string("public_origin", origin, public_origin_problem);
    if (origin.empty()) {
        return;
    }
    origin = util::ascii_lower(origin);
    // Browsers leave the default port out of Origin.
    if (origin.size() > 4 && origin.compare(origin.size() - 4, 4, ":443") == 0) {
        origin.resize(origin.size() - 4);
    }
    c.http.public_origin = std::move(origin);
}

}  // namespace

void read_http_web(ConfigSection& http, Config& c) {
    http.optional_path("metrics_token_file", c.http.metrics_token_file);
    read_public_origin(http, c);
    const auto node = http.node("tls");
    if (!node) {
        return;
    }
    ConfigSection tls(*node, http.sink(), "http.tls", http.positions());
    if (!tls.ok()) {
        return;
    }
    c.http.tls.enabled = true;
    tls.required_path("cert_file", c.http.tls.cert_file);
    tls.required_path("key_file", c.http.tls.key_file);
    tls.one_of("min_version", c.http.tls.min_version, {"TLS12", "TLS13"});
    tls.optional_path("client_ca_file", c.http.tls.client_ca_file);
    tls.finish();
}

}  // namespace spiegel::app
