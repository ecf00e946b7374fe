#include "daemon/app/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "daemon/model/json.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

std::atomic<bool> g_json{false};

bool parse_level(const std::string& name, spdlog::level::level_enum& out) {
    if (name == "trace") {
        out = spdlog::level::trace;
    } else if (name == "debug") {
        out = spdlog::level::debug;
    } else if (name == "info") {
        out = spdlog::level::info;
    } else if (name == "warn") {
        out = spdlog::level::warn;
    } else if (name == "error") {
        out = spdlog::level::err;
    } else {
        return false;
    }
    return true;
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace: return spdlog::level::trace;
        case LogLevel::debug: return spdlog::level::debug;
        case LogLevel::info: return spdlog::level::info;
        case LogLevel::warn: return spdlog::level::warn;
        case LogLevel::error: return spdlog::level::err;
    }
    return spdlog::level::info;
}

// Text values with spaces, quotes or control characters are quoted and escaped.
void append_text_value(std::string& out, const std::string& value) {
    bool plain = !value.empty();
    for (const unsigned char c : value) {
        if (c <= ' ' || c == '"' || c == '=' || c == 0x7f) {
            plain = false;
        }
    }
    if (plain) {
        out += value;
    } else {
        model::write_json_string(out, value);
    }
}

}  // namespace

std::string format_log_message(bool json, std::string_view message, std::initializer_list<LogField> fields) {
    std::string out;
    if (json) {
        out += "\"msg\":";
        model::write_json_string(out, message);
        for (const auto& f : fields) {
            out += ',';
            model::write_json_string(out, f.key);
            out += ':';
            model::write_json_string(out, f.value);
        }
        return out;
    }
    for (const char c : message) {  // no line breaks or control bytes in a text line
        out += static_cast<unsigned char>(c) < ' ' ? ' ' : c;
    }
    for (const auto& f : fields) {
        out += ' ';
        out += f.key;
        out += '=';
        append_text_value(out, f.value);
    }
    return out;
}

util::Status init_logging(const std::string& level, const std::string& format) {
    spdlog::level::level_enum lvl = spdlog::level::info;
    if (!parse_level(level, lvl)) {
        return util::Error{"log level " + util::quoted(level) + " is not one of trace, debug, info, warn, error"};
    }
    if (format != "text" && format != "json") {
        return util::Error{"log format " + util::quoted(format) + " is not text or json"};
    }
    g_json = format == "json";
    auto logger = std::make_shared<spdlog::logger>("spiegeld", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    // Only time and level come from the pattern; %v is pre-escaped by format_log_message.
    if (g_json) {
        logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    }
    logger->set_level(lvl);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    return {};
}

void set_log_level(const std::string& level) {
    spdlog::level::level_enum lvl = spdlog::level::info;
    if (parse_level(level, lvl)) {
        spdlog::default_logger()->set_level(lvl);
    }
}

void shutdown_logging() {
    spdlog::default_logger()->flush();
    spdlog::shutdown();
}

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
    const auto lvl = to_spdlog(level);
    auto logger = spdlog::default_logger();
    if (!logger->should_log(lvl)) {
        return;
    }
    const std::string line = format_log_message(g_json, message, fields);
    logger->log(lvl, std::string_view(line));
}

}  // namespace spiegel::app
