// Where a CV stands among its peers (daemon/cards/peer_bands.cpp).
#include <gtest/gtest.h>

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
    EXPECT_EQ(j["bands"][0]["count"], 0);          // an empty band is no secret
    EXPECT_EQ(j["bands"][6]["count"], 40);
    EXPECT_EQ(j["bands"][9]["to"], 100);
    EXPECT_NE(j["text"].get<std::string>().find("groep 60 tot 70"), std::string::npos);
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
