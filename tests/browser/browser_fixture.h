#pragma once
// The fixture of the browser tests: the Chromium executable (a test fails,
// never skips, when it is missing) and one demo world per test process,
// built on first use and removed at exit. Header-only.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "tests/browser/card_world.h"
#include "tests/browser/chromium.h"

namespace spiegel::testing::browser {

struct SharedWorld {
    std::unique_ptr<CardWorld> world;
    std::string error;
    bool tried = false;
};

inline SharedWorld& shared_world() {
    static SharedWorld shared;
    if (!shared.tried) {
        shared.tried = true;
        shared.world = make_card_world(shared.error);
    }
    return shared;
}

class BrowserTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_chromium = chromium_binary();
        ASSERT_FALSE(m_chromium.empty()) << k_no_chromium;
        m_work = std::make_unique<TempDir>();
    }

    // The shared demo world; fails the test when it could not be built.
    const CardWorld* world() {
        const SharedWorld& shared = shared_world();
        EXPECT_NE(shared.world, nullptr) << "demo world: " << shared.error;
        return shared.world.get();
    }

    // A per-test directory (profiles, logs, screenshots, PDFs).
    std::string work_file(const std::string& name) const { return m_work->file(name); }

    ChromiumRun render(const std::string& name, const std::string& url,
                       const RenderOptions& options) {
        ChromiumRun run = run_chromium(m_chromium, m_work->path(), name, url, options);
        EXPECT_FALSE(run.timed_out)
            << "Chromium did not finish " << name << " within " << k_chromium_limit.count() << " s";
        EXPECT_EQ(run.exit_code, 0) << "Chromium exit status for " << name;
        return run;
    }

    // Prints where a screenshot is; copies it to $SPIEGEL_SCREENSHOT_DIR when
    // set (the test's temp dir is removed when the test ends).
    static void report_screenshot(const std::string& path) {
        const char* keep = std::getenv("SPIEGEL_SCREENSHOT_DIR");
        std::string shown = path;
        if (keep != nullptr && *keep != '\0') {
            std::filesystem::create_directories(keep);
            shown = std::string(keep) + "/" + std::filesystem::path(path).filename().string();
            std::filesystem::copy_file(path, shown,
                                       std::filesystem::copy_options::overwrite_existing);
        }
        std::cout << "[ screenshot ] " << shown
                  << (shown == path ? " (removed with the test's temp dir; set "
                                      "SPIEGEL_SCREENSHOT_DIR to keep it)"
                                    : "")
                  << "\n";
    }

  private:
    std::string m_chromium;
    std::unique_ptr<TempDir> m_work;
};

inline std::string file_url(const std::string& path) {
    return "file://" + path;
}

// The DOM of the <section> whose id or aria-labelledby is `name`, "" when
// absent: up to the first </section> after it. Plain string search (a
// regular expression over a whole section recurses per character in
// libstdc++ and overflows the stack on a large page).
inline std::string section_named(const std::string& dom, const std::string& name) {
    for (std::size_t at = dom.find("<section"); at != std::string::npos; at = dom.find("<section", at + 1)) {
        const char after = at + 8 < dom.size() ? dom[at + 8] : '\0';
        if (after != '>' && after != ' ' && after != '\n' && after != '\t') {
            continue;  // <sectionfoo
        }
        const std::size_t tag_end = dom.find('>', at);
        if (tag_end == std::string::npos) {
            return "";
        }
        const std::string tag = dom.substr(at, tag_end - at);
        if (tag.find(" id=\"" + name + "\"") == std::string::npos &&
            tag.find(" aria-labelledby=\"" + name + "\"") == std::string::npos) {
            continue;
        }
        const std::size_t close = dom.find("</section>", tag_end);
        return close == std::string::npos ? std::string() : dom.substr(tag_end + 1, close - tag_end - 1);
    }
    return "";
}

// Sections of `names` that are missing or carry no non-empty h2 heading.
inline std::vector<std::string> missing_sections(const std::string& dom,
                                                 const std::vector<std::string>& names) {
    static const std::regex heading(R"(<h2\b[^>]*>\s*[^<\s][^<]*</h2>)");
    std::vector<std::string> missing;
    for (const auto& name : names) {
        if (!std::regex_search(section_named(dom, name), heading)) {
            missing.push_back(name);
        }
    }
    return missing;
}

// Markup that runs code or loads something: none may be in a card page.
inline std::vector<std::string> active_or_external_markup(const std::string& dom) {
    std::vector<std::string> found;
    for (const char* token :
         {"<script", "<link", "<iframe", "<object", "<embed", " src=", "url(", "@import"}) {
        if (dom.find(token) != std::string::npos) {
            found.push_back(token);
        }
    }
    return found;
}

}  // namespace spiegel::testing::browser
