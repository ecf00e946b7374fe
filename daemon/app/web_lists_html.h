#pragma once
// HTML of the list pages (docs/web.md): the worklist with its filter form
// and paging, the employer's vacancies, the officer's overview; each
// picture an inline SVG with a text equivalent. Pure; thread-safe.
// Everything from input or data is escaped here.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "daemon/app/sessions.h"
#include "daemon/cards/personal_card.h"

namespace spiegel::app {

// The body of /werklijst: `page` is worklist_json(); without a region
// (page null) only the form.
std::string worklist_body(const nlohmann::json& page, const cards::CardCatalog& catalog);
// The body of /mijn-vacatures: {"employer", "items": [{"id", "title", "score", "score_text", "grade",
// "grade_label", "fix": {...} | null}]}.
std::string employer_body(const nlohmann::json& list);
// The body of /overzicht from overview JSON (web_routes.cpp).
std::string overview_body(const nlohmann::json& overview);
// A horizontal bar of a score 0..100 with the grade bands, as inline SVG
// (role img, the score in its title); the text stands beside it.
std::string score_bar_svg(double score);

}  // namespace spiegel::app
