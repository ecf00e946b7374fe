// The cards' print layout (docs/cards.md: "one A4 page in print"):
// headless Chromium prints each card to PDF as the card asks (`@page` size,
// else US Letter) and the PDF must be one A4 page. All three cards share
// the stylesheet daemon/cards/personal_style.inc; the occupation card is
// printed with a region (national and regional columns), its widest form.

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/browser/browser_fixture.h"

namespace spiegel::testing::browser {
namespace {

class PrintLayout : public BrowserTest {
  protected:
    // Prints the card at html_path to PDF; expects A4 paper and returns the
    // PDF's page count.
    int a4_pages(const std::string& name, const std::string& html_path) {
        const std::string pdf = work_file(name + ".pdf");
        RenderOptions options;
        options.pdf = pdf;
        render(name, file_url(html_path), options);
        const std::string data = read_text(pdf);
        EXPECT_EQ(data.rfind("%PDF-", 0), 0u) << name << ": " << pdf << " is not a PDF";
        // A4 is 595.3 x 841.9 pt; Letter (without an @page size) 612 x 792.
        static const std::regex k_a4(R"(/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\])");
        EXPECT_TRUE(std::regex_search(data, k_a4))
            << name << ": not printed on A4 (the card needs @page{size:A4} in its print styles)";
        return pdf_page_count(pdf);
    }
};

TEST_F(PrintLayout, cv_card_prints_on_one_a4_page) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(a4_pages("cv-card", w->cv_html), 1);
}

TEST_F(PrintLayout, vacancy_card_prints_on_one_a4_page) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(a4_pages("vacancy-card", w->vacancy_html), 1);
}

TEST_F(PrintLayout, occupation_card_with_a_region_prints_on_one_a4_page) {
    const CardWorld* w = world();
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(a4_pages("occupation-card", w->occupation_html), 1);
}

}  // namespace
}  // namespace spiegel::testing::browser
