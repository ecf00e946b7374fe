#pragma once
// Daemon logging (docs/daemon.md): one line per event on stderr, as text
// ("2026-11-23T03:00:00.123Z info scan finished records=20000") or as one
// JSON object per line ({"time":..,"level":..,"msg":..,"records":"20000"}).
// Messages and field values are JSON-escaped here, never by the pattern.
// Callers never pass personal data. Thread-safe after init_logging; writes
// are synchronous (no reordering, nothing lost at exit).

#include <initializer_list>
#include <string>
#include <string_view>

#include "daemon/util/expected.h"

namespace spiegel::app {

enum class LogLevel { trace, debug, info, warn, error };

struct LogField {
    std::string_view key;  // a fixed identifier such as "records"
    std::string value;
};

// level: trace, debug, info, warn, error; format: text or json.
util::Status init_logging(const std::string& level, const std::string& format);
// Changes the level (on reload); unknown names are ignored.
void set_log_level(const std::string& level);
// Flushes and stops spdlog (at exit).
void shutdown_logging();

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
inline void log_info(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::info, message, fields);
}
inline void log_warn(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::warn, message, fields);
}
inline void log_error(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::error, message, fields);
}

// The line as logged in the given format, without time and level (tests).
std::string format_log_message(bool json, std::string_view message, std::initializer_list<LogField> fields);

}  // namespace spiegel::app
