// The config keys of the web side (docs/configuration.md): http.tls, whose
// names follow the Prometheus exporter-toolkit web config, and
// http.metrics_token_file.
#include "daemon/app/config.h"
#include "daemon/app/config_section.h"

namespace spiegel::app {

void read_http_web(ConfigSection& http, Config& c) {
    http.optional_path("metrics_token_file", c.http.metrics_token_file);
    const auto node = http.node("tls");
    if (!node) {
        return;
    }
    ConfigSection tls(*node, http.sink(), "http.tls");
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
