#pragma once
// The daemon configuration (config/spiegeld.yaml, documented in
// docs/configuration.md). Every path is resolved relative to the config
// file's directory. Unknown keys are errors, so a typo never silently falls
// back to a default.

#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/util/expected.h"

namespace spiegel::app {

struct Config {
    std::string file;  // the config file, as given
    std::string dir;   // its directory; base of relative paths

    struct Source {
        std::string database;  // source records (SQLite)
    } source;
    struct State {
        std::string database;  // scan results and history (SQLite)
        int retention_days = 90;
    } state;
    struct Rules {
        std::string directory;
    } rules;
    struct Http {
        std::string listen = "127.0.0.1:9464";
        std::size_t max_header_bytes = 8 * 1024;
        std::size_t max_body_bytes = 64 * 1024;
        int request_timeout_seconds = 10;
        int idle_timeout_seconds = 60;
        bool lifecycle = false;  // POST /-/reload exists only when true
        std::size_t max_connections = 256;
        std::size_t max_connections_per_client = 64;
    } http;
    struct Scan {
        int incremental_interval_seconds = 300;
        int full_interval_seconds = 86400;
        std::size_t chunk_size = 2000;
    } scan;
    struct Access {
        std::string database;  // tokens and audit log; default access.db beside state.database
        std::int64_t wal_max_bytes = 16 * 1024 * 1024;
        int audit_timeout_ms = 2000;
        int failed_auth_per_minute = 20;  // per client address
    } access;
    struct Log {
        std::string level = "info";   // trace, debug, info, warn, error
        std::string format = "text";  // text or json
    } log;
    struct Privacy {
        int min_cell = 10;                  // k for small-cell suppression and peer groups
        int personal_cards_per_hour = 300;  // per token
        int audit_retention_days = 365;     // card_access rows older than this are pruned
    } privacy;
};

// Errors read "FILE:LINE:COLUMN: key 'scan.chunk_size': expected a positive integer".
util::Expected<Config> load_config(const std::string& path);

// The default config path: config/spiegeld.yaml under the working directory.
inline constexpr const char* k_default_config = "config/spiegeld.yaml";

}  // namespace spiegel::app
