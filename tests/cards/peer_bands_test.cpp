// Where a CV stands among its peers (daemon/cards/peer_bands.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "daemon/cards/peer_bands.h"

namespace spiegel::cards {
namespace {

TEST(PeerBands, marks_the_own_band_and_hides_bands_under_k) {
    const auto j = peer_bands_json({0, 0, 0, 3, 0, 12, 40, 25, 9, 11}, 67.5, 10);
    ASSERT_EQ(j["bands"].size(), 10u);
    EXPECT_EQ(j["bands"][6]["you"], true);
    EXPECT_EQ(j["bands"][5]["you"], false);
    EXPECT_EQ(j["bands"][3]["count"], nullptr);  // 3 < 10
    EXPECT_EQ(j["bands"][3]["text"], "<10");
    EXPECT_EQ(j["bands"][0]["count"], nullptr);  // 0 < 10 too (docs/cards.md)
    EXPECT_EQ(j["bands"][0]["text"], "<10");
    EXPECT_EQ(j["bands"][8]["count"], nullptr);  // 9
    EXPECT_EQ(j["bands"][6]["count"], 40);
    EXPECT_EQ(j["bands"][5]["count"], 12);
    EXPECT_EQ(j["bands"][9]["to"], 100);
    EXPECT_NE(j["text"].get<std::string>().find("groep 60 tot 70"), std::string::npos);
}

// The card states the peer count, so one hidden band, or hidden bands that
// are all empty, would be that count minus the shown ones: the smallest
// shown band is hidden too (docs/cards.md, secondary suppression).
TEST(PeerBands, a_hidden_band_cannot_be_worked_out_from_the_others) {
    const auto one = peer_bands_json({0, 0, 0, 0, 0, 0, 0, 0, 1, 24}, 95, 10);
    std::int64_t shown = 0;
    int hidden = 0;
    for (const auto& band : one["bands"]) {
        if (band["count"].is_null()) {
            ++hidden;
        } else {
            shown += band["count"].get<std::int64_t>();
        }
    }
    // The one other peer is in one of nine hidden bands: which one, the
    // card does not tell (before, the eight empty bands were shown as 0).
    EXPECT_EQ(hidden, 9) << one.dump();
    EXPECT_EQ(shown, 24);
    EXPECT_EQ(one["bands"][8]["count"], nullptr);
    const auto zeros = peer_bands_json({0, 0, 0, 0, 0, 0, 0, 15, 20, 30}, 95, 10);
    EXPECT_EQ(zeros["bands"][7]["count"], nullptr) << "the empty bands alone would give their sum, 0, away";
    EXPECT_EQ(zeros["bands"][8]["count"], 20);
    EXPECT_EQ(zeros["bands"][9]["count"], 30);
    const auto few = peer_bands_json({0, 0, 0, 0, 0, 0, 0, 0, 4, 5}, 95, 10);
    for (const auto& band : few["bands"]) {
        EXPECT_TRUE(band["count"].is_null()) << "9 peers in all: under k";
    }
}

// "Beter dan N% van M" tells how many peers score lower: with one hidden
// band below the own band (and one above), that count minus the shown
// bands below would give it away. Each side hides none or two or more.
TEST(PeerBands, the_share_scoring_lower_cannot_single_out_a_hidden_band) {
    const auto hidden_in = [](const nlohmann::json& j, int from, int to) {
        int n = 0;
        for (int b = from; b < to; ++b) {
            n += j["bands"][b]["count"].is_null() ? 1 : 0;
        }
        return n;
    };
    // 5 (band 3) and 6 (band 8) are two hidden bands, enough for the
    // column; the score 60.0 starts band 6, so "lower" is bands 0 to 5.
    const auto j = peer_bands_json({12, 12, 12, 5, 12, 12, 40, 25, 6, 25}, 60.0, 10);
    EXPECT_EQ(hidden_in(j, 0, 6), 2) << j.dump();
    EXPECT_EQ(hidden_in(j, 7, 10), 2) << j.dump();
    EXPECT_EQ(j["bands"][0]["text"], "x");
    EXPECT_EQ(j["bands"][6]["count"], 40) << "the own band stays";
    // Below band 1 there is only band 0: nothing else to hide there (the
    // sentence itself says how many score lower), and the own band stays.
    const auto low = peer_bands_json({5, 30, 12, 12, 12, 12, 12, 12, 12, 3}, 10.0, 10);
    EXPECT_TRUE(low["bands"][0]["count"].is_null());
    EXPECT_EQ(low["bands"][1]["count"], 30) << low.dump();
    const auto shown_in = [](const nlohmann::json& bands, int from, int to) {
        int n = 0;
        for (int b = from; b < to; ++b) {
            n += bands["bands"][b]["count"].is_null() ? 0 : 1;
        }
        return n;
    };
    for (double score = 0; score <= 100; score += 2.5) {
        for (const auto& counts : std::vector<std::array<std::int64_t, 10>>{
                 {12, 12, 12, 5, 12, 12, 40, 25, 6, 25}, {0, 3, 0, 30, 40, 2, 11, 0, 50, 9}, {9, 9, 9, 9, 9, 9, 9, 9, 9, 90}}) {
            const auto bands = peer_bands_json(counts, score, 10);
            const int own = std::min(9, static_cast<int>(score / 10));
            EXPECT_TRUE(hidden_in(bands, 0, own) != 1 || shown_in(bands, 0, own) == 0) << score << " " << bands.dump();
            EXPECT_TRUE(hidden_in(bands, own + 1, 10) != 1 || shown_in(bands, own + 1, 10) == 0)
                << score << " " << bands.dump();
        }
    }
}

TEST(PeerBands, a_perfect_score_is_in_the_top_band) {
    EXPECT_EQ(peer_bands_json({}, 100, 10)["bands"][9]["you"], true);
}

TEST(PeerBands, the_picture_has_a_label_no_script_and_marks_you) {
    const std::string svg = peer_bands_svg(peer_bands_json({0, 0, 0, 3, 0, 12, 40, 25, 9, 11}, 67.5, 10));
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("u bent hier"), std::string::npos);
    EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // the hidden band
    EXPECT_EQ(svg.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::cards
