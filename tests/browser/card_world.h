#pragma once
// The browser tests' view of the card fixture (tests/support/card_world.h):
// its scanned world, and the personal cards written as HTML files by the
// CLI (Chromium cannot send a bearer token from its command line).
// Header-only (test binaries glob only *_test.cpp).

#include <memory>
#include <string>

#include "tests/support/card_world.h"

namespace spiegel::testing::browser {

struct CardWorld {
    testing::CardWorld world;
    std::string occupation = "2512";  // every record's occupation
    std::string region = "AM21";      // and region
    std::string cv_id = "cv-target";  // failing rules, with peers and suggestions
    std::string vacancy_id = "vac-own";
    std::string cv_html;              // `spiegeld card cv ... --format html`, saved
    std::string vacancy_html;
    std::string occupation_html;      // `spiegeld card occupation ... --region ... --format html`
};

// Builds the world; on failure returns nullptr and sets error.
inline std::unique_ptr<CardWorld> make_card_world(std::string& error) {
    auto pages = std::make_unique<CardWorld>();
    pages->cv_html = pages->world.cli_card_html({"cv", pages->cv_id}, "cv-card.html");
    pages->vacancy_html = pages->world.cli_card_html({"vacancy", pages->vacancy_id}, "vacancy-card.html");
    pages->occupation_html = pages->world.cli_card_html({"occupation", pages->occupation, "--region", pages->region},
                                                        "occupation-card.html");
    if (pages->cv_html.empty() || pages->vacancy_html.empty() || pages->occupation_html.empty()) {
        error = "spiegeld card failed for the fixture's cards";
        return nullptr;
    }
    return pages;
}

}  // namespace spiegel::testing::browser
