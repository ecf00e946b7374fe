// Log line bodies: JSON mode escapes messages and values; text mode keeps
// one line per event.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon/app/logging.h"

namespace spiegel::app {
namespace {

TEST(Logging, json_body_escapes_quotes_backslashes_and_newlines) {
    const std::string body = format_log_message(true, "rules \"x\\y\"\nrefused", {{"file", "a\"b\n"}});
    const auto parsed = nlohmann::json::parse("{" + body + "}");
    EXPECT_EQ(parsed.at("msg"), "rules \"x\\y\"\nrefused");
    EXPECT_EQ(parsed.at("file"), "a\"b\n");
}

TEST(Logging, text_body_has_no_line_break_and_quotes_values_with_spaces) {
    const std::string body = format_log_message(false, "scan\nfinished", {{"records", "12"}, {"error", "disk full"}});
    EXPECT_EQ(body, "scan finished records=12 error=\"disk full\"");
}

TEST(Logging, unknown_level_or_format_is_refused) {
    EXPECT_FALSE(init_logging("loud", "text"));
    EXPECT_FALSE(init_logging("info", "xml"));
}

}  // namespace
}  // namespace spiegel::app
