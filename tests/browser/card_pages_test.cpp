// The card pages as a real browser renders them: headless Chromium loads the
// CV and vacancy cards the CLI wrote as HTML files, and the occupation card
// from a running daemon over HTTP (so its Content-Security-Policy header is
// enforced). Each page must log nothing to the console (no errors, no CSP
// violations), carry its sections in the rendered DOM, hold no scripts or
// external assets, and give a non-trivial PNG screenshot. The daemon must
// serve the personal cards as the very bytes the CLI wrote, with the CSP.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/app/serve_fixture.h"
#include "tests/browser/browser_fixture.h"
#include "tests/http/raw_client.h"

namespace spiegel::testing::browser {
namespace {

// A blank 800x1400 page compresses to a few KB; a rendered card to 100+ KB.
constexpr std::uintmax_t k_min_screenshot_bytes = 20000;

class CardPages : public BrowserTest {
  protected:
    // Renders url, checks console, sections, markup and screenshot.
    void expect_clean_page(const std::string& name, const std::string& url,
                           const std::vector<std::string>& sections) {
        const std::string png = work_file(name + ".png");
        RenderOptions options;
        options.screenshot = png;
        const ChromiumRun run = render(name, url, options);
        EXPECT_TRUE(console_messages(run.log).empty())
            << name << ": console messages (errors or CSP violations):"
            << joined(console_messages(run.log));
        // The DOM itself is never printed: personal cards hold contact data.
        EXPECT_NE(run.dom.find("<html"), std::string::npos) << name << ": no DOM dumped";
        EXPECT_TRUE(missing_sections(run.dom, sections).empty())
            << name << ": sections missing or without a heading:"
            << joined(missing_sections(run.dom, sections));
        EXPECT_TRUE(active_or_external_markup(run.dom).empty())
            << name
            << ": scripts or external assets:" << joined(active_or_external_markup(run.dom));
        const PngInfo info = read_png_info(png);
        EXPECT_TRUE(info.signature) << name << ": " << png << " is not a PNG";
        EXPECT_EQ(info.width, 800u);
        EXPECT_EQ(info.height, 1400u);
        EXPECT_GT(info.bytes, k_min_screenshot_bytes) << name << ": screenshot looks blank";
        if (info.signature) {
            report_screenshot(png);
        }
    }
};

// The value of header `name` (lower case) in a raw header block, "" when absent.
std::string header_value(const std::string& headers, const std::string& name) {
    const std::string lower = RawConnection::lower(headers);
    const std::size_t at = lower.find("\r\n" + name + ":");
    if (at == std::string::npos) {
        return "";
    }
    const std::size_t start = headers.find_first_not_of(' ', at + name.size() + 3);
    return headers.substr(start, headers.find("\r\n", start) - start);
}

TEST_F(CardPages, cv_card_renders_its_sections_without_console_errors) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    expect_clean_page(
        "cv-card", file_url(w->cv_html),
        {"score", "dimensions", "trend", "advice", "peers", "suggestions", "contact"});
}

TEST_F(CardPages, vacancy_card_renders_its_sections_without_console_errors) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    expect_clean_page("vacancy-card", file_url(w->vacancy_html),
                      {"score", "dimensions", "trend", "advice", "peers", "pool"});
}

TEST_F(CardPages, occupation_card_served_with_its_csp_renders_without_violations) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    DaemonProcess daemon({"serve", "--config", w->world.config, "--listen", "127.0.0.1:0"}, w->world.dir.path(),
                         work_file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << "the daemon did not report its address";
    const std::string target = "/cards/occupation/" + w->occupation + "?region=" + w->region;

    const RawResponse response = http_request(port, "GET", target);
    ASSERT_EQ(response.status, 200) << target;
    EXPECT_EQ(header_value(response.headers, "content-type").rfind("text/html", 0), 0u);
    const std::string csp = header_value(response.headers, "content-security-policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << "CSP: " << csp;
    EXPECT_EQ(csp.find("script-src"), std::string::npos) << "CSP allows scripts: " << csp;

    expect_clean_page("occupation-card", "http://127.0.0.1:" + std::to_string(port) + target,
                      {"markt", "werkzoekenden", "lijst-national", "lijst-regional"});
}

// Chromium renders the personal cards from the CLI's files (it cannot send a
// bearer token); this checks that the daemon serves those very bytes, with
// the CSP header, so the rendered pages are the served pages.
TEST_F(CardPages, personal_card_pages_are_served_as_the_cli_renders_them_with_the_csp) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    const RunResult token =
        run_spiegeld({"token", "--config", w->world.config, "add", "browser-pages", "--role", "adviser"},
                     w->world.dir.path());
    ASSERT_EQ(token.exit_code, 0) << token.err;
    const std::string bearer =
        "Authorization: Bearer " + token.out.substr(0, token.out.find('\n')) + "\r\n";
    DaemonProcess daemon({"serve", "--config", w->world.config, "--listen", "127.0.0.1:0"}, w->world.dir.path(),
                         work_file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << "the daemon did not report its address";
    const std::vector<std::pair<std::string, std::string>> pages = {
        {"/cards/cv/" + w->cv_id, w->cv_html},
        {"/cards/vacancy/" + w->vacancy_id, w->vacancy_html}};
    for (const auto& [target, cli_file] : pages) {
        const RawResponse response = http_request(port, "GET", target, "", bearer);
        ASSERT_EQ(response.status, 200) << target;
        const std::string csp = header_value(response.headers, "content-security-policy");
        EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << target << " CSP: " << csp;
        EXPECT_EQ(csp.find("script-src"), std::string::npos)
            << target << " CSP allows scripts: " << csp;
        // Compared, never printed: the pages hold contact data.
        EXPECT_TRUE(response.body == read_text(cli_file))
            << target << ": the served page differs from `spiegeld card ... --format html`";
    }
}

}  // namespace
}  // namespace spiegel::testing::browser
