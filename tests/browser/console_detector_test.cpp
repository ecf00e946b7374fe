// Negative controls for the browser tests' console detector: pages that do
// log to the console, or break the cards' Content-Security-Policy, must be
// reported. Without these a detector that never fires would pass every card.

#include <gtest/gtest.h>

#include <string>

#include "daemon/app/card_routes.h"
#include "tests/browser/browser_fixture.h"

namespace spiegel::testing::browser {
namespace {

class ConsoleDetector : public BrowserTest {
  protected:
    std::string page(const std::string& name, const std::string& head, const std::string& body) {
        const std::string path = work_file(name + ".html");
        write_file(path,
                   "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">" + head +
                       "<title>control</title></head><body><section id=\"score\"><h2>Score</h2>" +
                       body + "</section></body></html>\n");
        return file_url(path);
    }

    static bool any_contains(const std::vector<std::string>& messages, const std::string& text) {
        for (const auto& m : messages) {
            if (m.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

TEST_F(ConsoleDetector, console_error_of_an_inline_script_is_reported) {
    const std::string url =
        page("console-error", "", "<script>console.error('spiegel-control-error')</script>");
    const ChromiumRun run = render("console-error", url, {});
    const auto messages = console_messages(run.log);
    EXPECT_TRUE(any_contains(messages, "spiegel-control-error"))
        << "the detector missed a console.error; console lines:" << joined(messages);
}

TEST_F(ConsoleDetector, inline_script_and_external_image_blocked_by_the_card_csp_are_reported) {
    // The policy the daemon sends with every card page, as a meta tag.
    const std::string csp = std::string("<meta http-equiv=\"Content-Security-Policy\" content=\"") +
                            app::k_card_csp + "\">";
    const std::string url = page("csp-violation", csp,
                                 "<script>console.error('spiegel-control-ran')</script>"
                                 "<img alt=\"\" src=\"http://192.0.2.1/pixel.png\">");
    const ChromiumRun run = render("csp-violation", url, {});
    const auto messages = console_messages(run.log);
    EXPECT_TRUE(any_contains(messages, "Content Security Policy"))
        << "the detector missed a CSP violation; console lines:" << joined(messages);
    EXPECT_FALSE(any_contains(messages, "spiegel-control-ran"))
        << "the card CSP let an inline script run";
    EXPECT_GE(messages.size(), 2u)
        << "expected one violation for the script and one for the image:" << joined(messages);
}

}  // namespace
}  // namespace spiegel::testing::browser
