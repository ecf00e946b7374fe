#pragma once
// One function per spiegeld subcommand (docs/cli.md). Each returns the
// process exit status: 0 success, 1 runtime failure, 2 usage or
// configuration error (with a one-line reason on stderr).

#include <cstdint>
#include <optional>
#include <string>

namespace spiegel::app {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 2;

struct ServeOptions {
    std::string config;
    std::string listen;  // empty: from config
};
int cmd_serve(const ServeOptions& options);

struct ScanOptions {
    std::string config;
    std::string as_of;   // RFC 3339; empty: now
    bool full = false;
    std::string report;  // NDJSON report path, "-" for stdout, empty for none
    bool allow_no_rules = false;  // scan although a kind lost all its enabled rules
};
int cmd_scan(const ScanOptions& options);

struct ImportOptions {
    std::string config;
    std::string kind;  // cv, vacancy, employer
    bool strict = false;
    std::string file;  // NDJSON path or "-" for stdin
};
int cmd_import(const ImportOptions& options);

struct CheckOptions {
    std::string config;
    std::string rules;  // overrides rules.directory
    bool connect = false;  // also connect to the source and check its schema and grants
};
int cmd_check(const CheckOptions& options);

struct CardOptions {
    std::string config;
    std::string type;  // cv, vacancy, occupation
    std::string id;
    std::string region;
    std::string format = "json";
};
int cmd_card(const CardOptions& options);

struct DemoOptions {
    std::string config;
    std::int64_t cvs = 20000;
    std::int64_t vacancies = 4000;
    std::int64_t employers = 1000;
    std::uint64_t seed = 1;
    std::string as_of;    // RFC 3339 reference instant; empty: today 00:00 UTC
    std::string defects;  // defect-rates YAML; empty: built-in defaults (config/demo-defects.yaml)
};
int cmd_demo(const DemoOptions& options);

struct TokenOptions {
    std::string config;
    std::string action;  // add, list, revoke
    std::string name;
    std::string role;
    std::string employer;
};
int cmd_token(const TokenOptions& options);

struct RulesOptions {
    std::string config;
    std::string rules;           // preview: candidate rules directory; empty: from config
    std::string format = "text";  // preview: text or json
    std::string kind;             // suggest: cv, vacancy, employer
    std::string out;              // suggest: output file; empty or "-": stdout
};
int cmd_rules_preview(const RulesOptions& options);
int cmd_rules_suggest(const RulesOptions& options);

int cmd_version();

// Prints the source DDL of `engine` (only "postgresql") on stdout.
int cmd_schema(const std::string& engine);

// Prints "spiegeld: <message>" on stderr and returns `status`.
int fail(int status, const std::string& message);

// Flushes stdout (std::cout and the C stream); nothing when all that was
// written arrived, else the errno of the failure (0 when none was set). The
// streams keep their error state.
std::optional<int> stdout_failure();

}  // namespace spiegel::app
