#include <gtest/gtest.h>

#include <cmath>

#include "daemon/cards/card_html.h"
#include "daemon/cards/card_json.h"
#include "daemon/cards/mustache_data.h"
#include "tests/cards/card_fixture.h"

namespace spiegel::testing {
namespace {

using nlohmann::json;

json welder_json(cards::PeerData data = welder_peers()) {
    static const cards::CodeLists codes = shipped_codes();
    return cards::card_json(cards::build_occupation_card(data, codes, {"7212", "AM21", 10}));
}

TEST(CardJson, has_the_documented_top_level_fields) {
    const json j = welder_json();
    for (const char* key :
         {"type", "isco", "title", "min_cell", "region", "tables", "national", "regional"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["type"], "occupation");
    EXPECT_EQ(j["region"], "AM21");
    for (const char* key :
         {"code", "name", "tension", "scores", "top_skills", "alternative_occupations"}) {
        EXPECT_TRUE(j["national"].contains(key)) << key;
    }
    ASSERT_EQ(j["tables"].size(), 3u);
    EXPECT_EQ(j["tables"][0]["id"], "birth");
    EXPECT_EQ(j["tables"][1]["id"], "education");
    EXPECT_EQ(j["tables"][2]["id"], "hours_per_day");
}

TEST(CardJson, suppressed_cell_has_null_count_and_display_text_under_k) {
    const json j = welder_json();
    const json& cell = j["tables"][0]["rows"][0]["national"];  // 1948-1960: secondary
    EXPECT_TRUE(cell["count"].is_null());
    EXPECT_TRUE(cell["percent"].is_null());
    EXPECT_EQ(cell["suppressed"], true);
    EXPECT_EQ(cell["text"], "x") << "hidden so another cannot be worked out, not because it is under 10";
    EXPECT_EQ(cell["percent_text"], "\u2013");  // never "<10", which reads as under ten percent
    const json& shown = j["tables"][0]["rows"][3]["national"];  // 1981-1990: 53
    EXPECT_EQ(shown["count"], 53);
    EXPECT_EQ(shown["suppressed"], false);
    EXPECT_EQ(shown["percent_text"], "26,5%");
}

// Seed 002's regional tables give the region's share of the national
// figure per row; a share of a hidden count would give the count away.
TEST(CardJson, rows_give_the_regions_share_of_the_national_figure_unless_a_count_is_hidden) {
    const json j = welder_json();
    for (const json& table : j["tables"]) {
        for (const json& row : table["rows"]) {
            const json& n = row["national"];
            const json& r = row["regional"];
            if (n["count"].is_number() && r["count"].is_number()) {
                const double expected =
                    std::round(1000.0 * r["count"].get<double>() / n["count"].get<double>()) / 10.0;
                EXPECT_DOUBLE_EQ(row["regional_share"].get<double>(), expected) << row;
                EXPECT_NE(row["regional_share_text"].get<std::string>().find('%'), std::string::npos) << row;
            } else {
                EXPECT_TRUE(row["regional_share"].is_null()) << row;
                EXPECT_EQ(row["regional_share_text"], "\u2013") << row;
            }
        }
    }
    const json& total = j["tables"][0]["total"];
    ASSERT_TRUE(total["national"]["count"].is_number());
    ASSERT_TRUE(total["regional"]["count"].is_number());
    EXPECT_TRUE(total["regional_share"].is_number());
    const std::string html = cards::occupation_card_html(j);
    EXPECT_NE(html.find("<th scope=\"col\">% van Nederland</th>"), std::string::npos);
    EXPECT_NE(html.find("<td>" + total["regional_share_text"].get<std::string>() + "</td></tr>"), std::string::npos);
    // Without a region: no share and no column.
    cards::PeerData peers = welder_peers();
    peers.regional.reset();
    const json national = welder_json(peers);
    EXPECT_TRUE(national["tables"][0]["rows"][3]["regional_share"].is_null());
    EXPECT_EQ(national["tables"][0]["rows"][3]["regional_share_text"], "");
    EXPECT_EQ(cards::occupation_card_html(national).find("% van Nederland"), std::string::npos);
}

// An occupation title may end with a full stop ("Bouwelektriciens e.d."):
// the sentence then gets no second one.
TEST(CardJson, a_sentence_ending_in_an_abbreviation_gets_one_full_stop) {
    EXPECT_EQ(cards::full_stop("werk als Bouwelektriciens e.d."), "werk als Bouwelektriciens e.d.");
    EXPECT_EQ(cards::full_stop("werk als Lassers"), "werk als Lassers.");
    EXPECT_EQ(cards::full_stop(""), ".");
}

TEST(CardJson, labels_inside_a_sentence_are_lower_case_unless_they_start_with_an_abbreviation) {
    EXPECT_EQ(cards::in_sentence("Basisonderwijs"), "basisonderwijs");
    EXPECT_EQ(cards::in_sentence("Softwareontwikkelaars"), "softwareontwikkelaars");
    EXPECT_EQ(cards::in_sentence("Havo/VWO"), "havo/vwo");
    EXPECT_EQ(cards::in_sentence("Niet/onbekend"), "niet/onbekend");
    EXPECT_EQ(cards::in_sentence("Havo/VWO/MBO-4"), "havo/vwo/MBO-4");  // only whole abbreviations
    EXPECT_EQ(cards::in_sentence("Havo/"), "havo/");
    EXPECT_EQ(cards::in_sentence("Havo/V"), "havo/V");
    for (const char* kept : {"MBO-4", "HBO/bachelor", "WO/master", "WW-uitkering", "VMBO", "", "ëlite"}) {
        EXPECT_EQ(cards::in_sentence(kept), kept);
    }
}

TEST(CardJson, region_phrases_never_say_regio_twice) {
    EXPECT_EQ(cards::in_region("Haaglanden"), "in de regio Haaglanden");
    EXPECT_EQ(cards::in_region("Regio Zwolle"), "in Regio Zwolle");
}

TEST(CardJson, dutch_number_texts) {
    EXPECT_EQ(cards::dutch_count(44769), "44.769");
    EXPECT_EQ(cards::dutch_count(186), "186");
    EXPECT_EQ(cards::dutch_count(1000000), "1.000.000");
    EXPECT_EQ(cards::dutch_decimal(41.5, 1), "41,5");
    EXPECT_EQ(cards::dutch_decimal(0.25, 2), "0,25");
}

// Nested objects and lists (moved into place, not copied) render as the
// JSON says, at every depth; null and false are false sections.
TEST(MustacheData, nested_objects_and_lists_render_at_every_depth) {
    const json j = json::parse(R"({"a":{"b":{"c":[{"d":"x<"},{"d":"y"}],"n":3}},"l":[[1,2],[3]],)"
                               R"("t":true,"f":false,"z":null,"s":"top"})");
    kainjow::mustache::mustache tpl{
        "{{s}}|{{#a}}{{#b}}{{#c}}[{{d}}]{{/c}}{{n}}{{/b}}{{/a}}|{{#l}}({{#.}}{{.}}{{/.}}){{/l}}|"
        "{{#t}}T{{/t}}{{#f}}F{{/f}}{{^f}}!F{{/f}}{{#z}}Z{{/z}}{{^z}}!Z{{/z}}"};
    EXPECT_EQ(tpl.render(cards::to_mustache_data(j)), "top|[x&lt;][y]3|(12)(3)|T!F!Z");
}

TEST(MustacheData, the_stylesheet_replaces_every_style_tag) {
    const std::string page = cards::with_stylesheet("<style>{{>style}}</style>{{x}}{{>style}}");
    EXPECT_EQ(page.find("{{>style}}"), std::string::npos);
    EXPECT_NE(page.find("<style>body{"), std::string::npos);
    EXPECT_NE(page.find("{{x}}"), std::string::npos);
    EXPECT_EQ(cards::with_stylesheet("no tags"), "no tags");
}

TEST(CardHtml, has_headings_captions_and_the_regional_column) {
    const std::string html = cards::occupation_card_html(welder_json());
    EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
    EXPECT_NE(html.find("<h1>Beroepenkaart: Lassers en snijders</h1>"), std::string::npos);
    for (const char* caption :
         {"<caption>Geboren</caption>", "<caption>Opleidingsniveau</caption>",
          "<caption>Uren per dag</caption>", "<caption>Meest genoemde vaardigheden</caption>",
          "<caption>Werkzoekenden en open vacatures</caption>"}) {
        EXPECT_NE(html.find(caption), std::string::npos) << caption;
    }
    EXPECT_NE(html.find("Plaatwerkers (7213)"), std::string::npos);
    EXPECT_NE(html.find("&lt;10"), std::string::npos);
    EXPECT_NE(html.find("26,5%"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http"), std::string::npos);  // no external assets
}

// The stylesheet is the partial shared with the CV and vacancy cards: A4 in
// print; with a region the five-column tables scroll in a labelled box.
TEST(CardHtml, shares_the_card_stylesheet_and_boxes_the_regional_tables) {
    const std::string html = cards::occupation_card_html(welder_json());
    EXPECT_NE(html.find("@media print{@page{size:A4;"), std::string::npos);
    EXPECT_NE(html.find(".scroll{overflow-x:auto}"), std::string::npos);
    EXPECT_EQ(html.find("{{"), std::string::npos);  // the partial was expanded
    EXPECT_NE(html.find("<div class=\"scroll\" role=\"region\" aria-label=\"Tabel Geboren\" "
                        "tabindex=\"0\"><table>\n<caption>Geboren</caption>"),
              std::string::npos);
    std::size_t styles = 0;
    for (std::size_t at = html.find("<style"); at != std::string::npos;
         at = html.find("<style", at + 1)) {
        ++styles;
    }
    EXPECT_EQ(styles, 1u);
}

TEST(CardHtml, without_a_region_the_tables_need_no_scroll_box) {
    static const cards::CodeLists codes = shipped_codes();
    cards::PeerData data = welder_peers();
    data.regional.reset();
    const std::string html = cards::occupation_card_html(
        cards::card_json(cards::build_occupation_card(data, codes, {"7212", "", 10})));
    EXPECT_EQ(html.find("Regio:"), std::string::npos);
    EXPECT_NE(html.find("<caption>Geboren</caption>"), std::string::npos);
    EXPECT_EQ(html.find("class=\"scroll\""), std::string::npos);
}

TEST(CardHtml, list_counts_are_in_dutch_notation) {
    cards::PeerData data = welder_peers();
    data.national.cv["count"][""] = 2200;
    data.national.cv["visible"][""] = 2000;
    data.national.cv["skill"]["lassen"] = 1500;
    const std::string html = cards::occupation_card_html(welder_json(data));
    EXPECT_NE(html.find("<td>1.500</td>"), std::string::npos);
    EXPECT_EQ(html.find("<td>1500</td>"), std::string::npos);
}

TEST(CardHtml, skill_text_is_escaped) {
    cards::PeerData data = welder_peers();
    data.national.cv["skill"]["<script>alert(\"x\")</script> & co"] = 40;
    const std::string html = cards::occupation_card_html(welder_json(data));
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"),
              std::string::npos);
}

}  // namespace
}  // namespace spiegel::testing
