#pragma once
// The daemon configuration (config/spiegeld.yaml, documented key by key with
// defaults and ranges in docs/configuration.md). Every path is resolved
// relative to the config file's directory. Unknown keys, duplicate keys and
// out-of-range values are errors, so a typo never silently falls back to a
// default and no value wraps around in a narrower type.
//
// Loading is pure apart from reading the one file; a loaded Config is a
// plain value, safe to share read-only between threads.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/util/expected.h"

namespace spiegel::app {

struct Config {
    std::string file;  // the config file, as given
    std::string dir;   // its directory; base of relative paths
    // Where each file path key's value stands ("http.tls.cert_file" ->
    // line, column), for problems found when the file is loaded later.
    std::map<std::string, std::pair<int, int>> key_positions;
    // "FILE:LINE:COLUMN: key 'KEY'" (1:1 when the key has no position): the
    // start of a problem with the file a path key names.
    std::string where(const std::string& key) const;

    struct Source {
        std::string kind = "sqlite";  // sqlite or postgresql
        std::string database;         // sqlite: the source database file; required
        std::string conninfo;         // postgresql: libpq conninfo, never a password; required
        std::string password_file;    // postgresql: optional, resolved, private (0600)
        std::string schema = "public";  // postgresql
        bool postgresql() const { return kind == "postgresql"; }
    } source;
    struct State {
        std::string database;    // scan results and history (SQLite); required
        int retention_days = 90;  // 1..3650
    } state;
    struct Rules {
        std::string directory;  // required
    } rules;
    struct Http {
        std::string listen = "127.0.0.1:9464";     // IP literal or localhost, [v6]:port; port 0..65535
        std::size_t max_header_bytes = 8 * 1024;   // 512..1 MiB
        std::size_t max_body_bytes = 64 * 1024;    // 0..64 MiB
        int request_timeout_seconds = 10;          // 1s..1h
        int idle_timeout_seconds = 60;             // 1s..1h
        bool lifecycle = false;                    // POST /-/reload exists only when true
        int max_connections = 256;                 // 1..100000
        int max_connections_per_client = 64;       // 1..max_connections (default: min(64, max_connections))
        struct Tls {
            bool enabled = false;          // the http.tls section is present
            std::string cert_file;         // required when enabled
            std::string key_file;          // required when enabled
            std::string min_version = "TLS12";  // TLS12 or TLS13
            std::string client_ca_file;    // optional: client certificates required
        } tls;
        // A file holding the bearer token GET /metrics requires (Prometheus'
        // authorization.credentials_file); empty: /metrics is open.
        std::string metrics_token_file;
        // "https://HOST[:PORT]", lower-cased: where browsers reach spiegeld
        // through a TLS-terminating proxy; empty when there is none.
        std::string public_origin;
    } http;
    struct Scan {
        int incremental_interval_seconds = 300;  // 1s..7d
        int full_interval_seconds = 86400;       // 1s..366d
        std::size_t chunk_size = 1000;           // 1..1000000
    } scan;
    struct Log {
        std::string level = "info";   // trace, debug, info, warn, error
        std::string format = "text";  // text or json
    } log;
    struct Privacy {
        int min_cell = 10;                  // 2..1000: k for small-cell suppression and peer groups
        int personal_cards_per_hour = 300;  // 1..1000000000, per token
        int audit_retention_days = 365;     // 1..36500: card_access rows older than this are pruned
    } privacy;
    struct Access {
        std::string database;                          // default: access.db beside state.database
        std::int64_t wal_max_bytes = 16 * 1024 * 1024;  // 1 MiB..1 GiB
        int audit_timeout_ms = 2000;                   // 100ms..60s: wait for the audit row's commit
        int failed_auth_per_minute = 20;               // 1..100000, per client address
        int session_idle_timeout_seconds = 30 * 60;    // 1m..24h: a browser session unused this long ends
        int session_max_age_seconds = 8 * 3600;        // 1m..7d: a browser session ends this long after sign-in
    } access;
};

// Errors read "FILE:LINE:COLUMN: key 'privacy.min_cell': must be between 2
// and 1000", "FILE:LINE:COLUMN: unknown key 'scan.chunk_sise'",
// "FILE:LINE:COLUMN: duplicate key 'scan.full_interval'"; see
// docs/configuration.md. Never throws. Returns the first problem in file
// order (a required key whose whole section is absent comes last).
util::Expected<Config> load_config(const std::string& path);

// Like load_config(), but with every problem found, in file order, each a
// complete "FILE:LINE:COLUMN: message" line (for `spiegeld check`).
struct ConfigLoad {
    std::optional<Config> config;       // empty when problems is not
    std::vector<std::string> problems;
    // What was read despite the problems (paths resolved): `check` still
    // validates the rules directory a config with other errors names.
    std::optional<Config> partial;
};
ConfigLoad load_config_all(const std::string& path);

// Why `host_port` is not a listen address, or "" when it is one: HOST:PORT
// with an IPv4 literal, a bracketed IPv6 literal ([::1]:9464) or
// `localhost`, and a decimal port 0..65535.
std::string listen_address_problem(const std::string& host_port);

// "FILE:LINE:COLUMN: key 'rules.directory': 'DIR': no such directory" when
// the configured rules directory is not a directory, else "".
std::string rules_directory_problem(const Config& config);

// The default config path: config/spiegeld.yaml under the working directory.
inline constexpr const char* k_default_config = "config/spiegeld.yaml";

}  // namespace spiegel::app
