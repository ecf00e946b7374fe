#pragma once
// Small inline SVG pictures for the cards and list pages (docs/web.md,
// "Pictures"): no script, no external asset, drawn from numbers only (no
// input text enters the markup except through the escaped labels). Each
// is role="img" with an aria-label; the page keeps a text or table
// equivalent next to it for screen readers and print. Pure; thread-safe.

#include <string>
#include <vector>

namespace spiegel::cards {

// A score 0..100 on a bar with the grade bands E <40, D <60, C <75, B <90, A.
std::string score_bar_svg(double score, int width_px = 120);

// The score over past scans as a small line (oldest left); "" for fewer
// than two points.
std::string trend_svg(const std::vector<double>& scores);

// One row of paired bars: the region's and the nation's share (0..100;
// negative: hidden, drawn as nothing).
struct BarPair {
    std::string label;
    double national = -1;
    double regional = -1;
};
// Horizontal paired bars (nation dark, region light) with a legend.
std::string paired_bars_svg(const std::vector<BarPair>& rows, const std::string& region_name,
                            const std::string& title);

}  // namespace spiegel::cards
