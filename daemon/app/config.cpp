#include "daemon/app/config.h"

#include <algorithm>
#include <filesystem>
#include <new>

#include "daemon/app/config_section.h"
#include "daemon/app/config_source.h"
#include "daemon/rules/yaml_load.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;

// The ranges of docs/configuration.md, each in the type of its field.
constexpr Range<int> k_retention_days{1, 3650};
constexpr Range<int> k_audit_retention_days{1, 36500};
constexpr Range<std::size_t> k_header_bytes{512, 1024 * 1024};
constexpr Range<std::size_t> k_body_bytes{0, 64 * 1024 * 1024};
constexpr Range<int> k_http_timeout_seconds{1, 3600};
constexpr Range<int> k_connections{1, 100000};
// One second at least: tests and demos scan every second; 0 (or a value
// that wrapped to 0) would scan back to back.
constexpr Range<int> k_incremental_seconds{1, 7 * 86400};
constexpr Range<int> k_full_seconds{1, 366 * 86400};
constexpr Range<std::size_t> k_chunk_size{1, 1000000};
constexpr Range<int> k_min_cell{2, 1000};
// Up to 10^9: bench/card_latency.sh sets that so the limiter never answers 429.
constexpr Range<int> k_cards_per_hour{1, 1'000'000'000};
constexpr Range<std::int64_t> k_wal_bytes{1024 * 1024, 1024 * 1024 * 1024};
constexpr Range<int> k_audit_timeout_ms{100, 60000};
constexpr Range<int> k_failed_auth{1, 100000};
constexpr Range<int> k_session_idle_seconds{60, 86400};
constexpr Range<int> k_session_max_age_seconds{60, 7 * 86400};

void read_source(ConfigSection& s, Config& c) { read_source_section(s, c); }

void read_state(ConfigSection& s, Config& c) {
    s.required_path("database", c.state.database);
    s.integer("retention_days", c.state.retention_days, k_retention_days);
}

void read_rules(ConfigSection& s, Config& c) { s.required_path("directory", c.rules.directory); }

// max_connections_per_client defaults to at most max_connections and may
// not exceed it.
void read_connections(ConfigSection& s, Config& c) {
    s.integer("max_connections", c.http.max_connections, k_connections);
    const auto per_client = s.node("max_connections_per_client");
    if (!per_client) {
        c.http.max_connections_per_client = std::min(c.http.max_connections_per_client, c.http.max_connections);
        return;
    }
    const auto before = s.sink().count();
    s.integer("max_connections_per_client", c.http.max_connections_per_client, k_connections);
    if (s.sink().count() == before && c.http.max_connections_per_client > c.http.max_connections) {
        s.sink().add(per_client->Mark(), s.name_of("max_connections_per_client") +
                                             ": must not exceed http.max_connections (" +
                                             std::to_string(c.http.max_connections) + ")");
    }
}

void read_http(ConfigSection& s, Config& c) {
    s.checked_string("listen", c.http.listen, listen_address_problem);
    s.integer("max_header_bytes", c.http.max_header_bytes, k_header_bytes);
    s.integer("max_body_bytes", c.http.max_body_bytes, k_body_bytes);
    s.seconds("request_timeout", c.http.request_timeout_seconds, k_http_timeout_seconds);
    s.seconds("idle_timeout", c.http.idle_timeout_seconds, k_http_timeout_seconds);
    s.boolean("lifecycle", c.http.lifecycle);
    read_connections(s, c);
    read_http_web(s, c);
}

void read_scan(ConfigSection& s, Config& c) {
    s.seconds("incremental_interval", c.scan.incremental_interval_seconds, k_incremental_seconds);
    s.seconds("full_interval", c.scan.full_interval_seconds, k_full_seconds);
    s.integer("chunk_size", c.scan.chunk_size, k_chunk_size);
}

void read_log(ConfigSection& s, Config& c) {
    s.one_of("level", c.log.level, {"trace", "debug", "info", "warn", "error"});
    s.one_of("format", c.log.format, {"text", "json"});
}

void read_privacy(ConfigSection& s, Config& c) {
    s.integer("min_cell", c.privacy.min_cell, k_min_cell);
    s.integer("personal_cards_per_hour", c.privacy.personal_cards_per_hour, k_cards_per_hour);
    s.integer("audit_retention_days", c.privacy.audit_retention_days, k_audit_retention_days);
}

void read_access(ConfigSection& s, Config& c) {
    s.optional_path("database", c.access.database);
    s.integer("wal_max_bytes", c.access.wal_max_bytes, k_wal_bytes);
    s.milliseconds("audit_timeout", c.access.audit_timeout_ms, k_audit_timeout_ms);
    s.integer("failed_auth_per_minute", c.access.failed_auth_per_minute, k_failed_auth);
    s.seconds("session_idle_timeout", c.access.session_idle_timeout_seconds, k_session_idle_seconds);
    s.seconds("session_max_age", c.access.session_max_age_seconds, k_session_max_age_seconds);
}

struct SectionReader {
    const char* name;
    bool required;  // a section holding a required key
    void (*read)(ConfigSection&, Config&);
    const char* required_key;  // reported when a required section is absent
};

// The top-level sections in file order; a new section is one line here.
constexpr SectionReader k_sections[] = {
    {"source", true, read_source, "source.database"},
    {"state", true, read_state, "state.database"},
    {"rules", true, read_rules, "rules.directory"},
    {"http", false, read_http, ""},
    {"scan", false, read_scan, ""},
    {"log", false, read_log, ""},
    {"privacy", false, read_privacy, ""},
    {"access", false, read_access, ""},
};

// Reads every section; returns the required keys whose section is absent.
std::vector<std::string> read_top(const YAML::Node& root, rules::Sink& sink, Config& c) {
    std::vector<std::string> missing;
    ConfigSection top(root, sink, "");
    if (!top.ok()) {
        return missing;
    }
    for (const SectionReader& reader : k_sections) {
        const auto node = top.node(reader.name);
        if (!node) {
            if (reader.required && !top.has(reader.name)) {  // an empty section was reported at its key
                missing.emplace_back(reader.required_key);
            }
            continue;
        }
        ConfigSection section(*node, sink, reader.name, &c.key_positions);
        if (section.ok()) {
            reader.read(section, c);
            section.finish();
        }
    }
    top.finish();
    return missing;
}

// The config path as messages show it.
std::string shown(const std::string& path) { return util::printable(path, util::k_printable_path_bytes); }

}  // namespace

std::string rules_directory_problem(const Config& config) {
    std::error_code ec;
    if (fs::is_directory(config.rules.directory, ec)) {
        return "";
    }
    return config.where("rules.directory") + ": " +
           util::quoted(config.rules.directory, util::k_printable_path_bytes) + ": no such directory";
}

std::string Config::where(const std::string& key) const {
    const auto it = key_positions.find(key);
    const auto [line, column] = it == key_positions.end() ? std::pair<int, int>{1, 1} : it->second;
    return shown(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": key " + util::quoted(key);
}

namespace {

std::string resolve(const Config& c, const std::string& p) {
    if (p.empty() || fs::path(p).is_absolute()) {
        return p;
    }
    return (fs::path(c.dir) / p).lexically_normal().string();
}

void resolve_paths(Config& c) {
    c.source.database = resolve(c, c.source.database);
    c.state.database = resolve(c, c.state.database);
    c.rules.directory = resolve(c, c.rules.directory);
    c.http.tls.cert_file = resolve(c, c.http.tls.cert_file);
    c.http.tls.key_file = resolve(c, c.http.tls.key_file);
    c.http.tls.client_ca_file = resolve(c, c.http.tls.client_ca_file);
    c.http.metrics_token_file = resolve(c, c.http.metrics_token_file);
    c.access.database = c.access.database.empty()
                            ? (fs::path(c.state.database).parent_path() / "access.db").string()
                            : resolve(c, c.access.database);
}

ConfigLoad load(const std::string& path) {
    ConfigLoad out;
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec) {  // otherwise reading it names the reason
        out.problems.push_back(shown(path) + ":1:1: config file not found");  // FILE:LINE:COLUMN, as every problem
        return out;
    }
    Config c;
    c.file = path;
    c.dir = fs::absolute(fs::path(path), ec).parent_path().string();
    std::vector<rules::Diagnostic> diagnostics;
    rules::Sink sink(path, diagnostics);
    std::vector<std::string> missing;
    if (const auto root = rules::load_yaml_file(path, sink)) {
        if (root->IsNull()) {
            sink.add_at(1, 1, "empty config file");
        } else {
            missing = read_top(*root, sink, c);
        }
    }
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    for (const auto& d : diagnostics) {
        out.problems.push_back(d.to_string());
    }
    // Absent sections have no position; they come after the problems that do.
    for (const auto& key : missing) {
        out.problems.push_back(shown(path) + ":1:1: key " + util::quoted(key) + ": missing required key");
    }
    resolve_paths(c);
    // A database path naming a directory would only fail later, as SQLite's
    // "disk I/O error" without a key; a file that does not exist yet is fine
    // (demo and the first scan create it).
    for (const auto& [key, file] : {std::pair<std::string, const std::string*>{"source.database", &c.source.database},
                                    {"state.database", &c.state.database},
                                    {"access.database", &c.access.database}}) {
        std::error_code dir_ec;
        if (!file->empty() && fs::is_directory(*file, dir_ec)) {
            // The access database left out of the file lives beside the state database.
            const bool derived = c.key_positions.count(key) == 0 && key == "access.database";
            out.problems.push_back(c.where(derived ? "state.database" : key) + ": " +
                                   util::quoted(*file, util::k_printable_path_bytes) +
                                   (derived ? " (the access database beside it)" : "") +
                                   " is a directory, not a database file");
        }
    }
    if (out.problems.empty()) {
        out.config = std::move(c);
    } else {
        out.partial = std::move(c);
    }
    return out;
}

}  // namespace

ConfigLoad load_config_all(const std::string& path) {
    try {
        return load(path);
    } catch (const std::bad_alloc&) {
        return ConfigLoad{std::nullopt, {shown(path) + ":1:1: out of memory reading the config file"}, std::nullopt};
    } catch (const std::exception& e) {
        return ConfigLoad{std::nullopt,
                          {shown(path) + ":1:1: cannot read the config file: " + util::printable(e.what(), 200)},
                          std::nullopt};
    }
}

util::Expected<Config> load_config(const std::string& path) {
    ConfigLoad loaded = load_config_all(path);
    if (!loaded.config) {
        return util::Error{loaded.problems.empty() ? shown(path) + ": config file does not load"
                                                   : loaded.problems.front()};
    }
    return std::move(*loaded.config);
}

}  // namespace spiegel::app
