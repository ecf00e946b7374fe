#include "daemon/cards/suppression.h"

#include <algorithm>
#include <cmath>

namespace spiegel::cards {

double round_to(double value, int digits) {
    const double f = std::pow(10.0, digits);
    return std::round(value * f) / f;
}

namespace {

std::int64_t hidden_sum(const std::vector<std::int64_t>& counts, const std::vector<Cell>& cells) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        sum += cells[i].suppressed ? counts[i] : 0;
    }
    return sum;
}

// The rest of the country behind the hidden cells: their outer counts
// minus theirs. The hidden cells' sum follows from the total, the outer
// cells are shown, so this sum is known; under k it says that every
// hidden cell's rest is small (and bounds each hidden cell to within it).
std::int64_t hidden_rest(const std::vector<std::int64_t>& counts, const std::vector<Cell>& cells,
                         const std::vector<std::int64_t>* outer) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < counts.size() && i < outer->size(); ++i) {
        sum += cells[i].suppressed ? (*outer)[i] - counts[i] : 0;
    }
    return sum;
}

// Index of the smallest cell of [from, to) still shown (first on ties), or to.
std::size_t smallest_shown(const std::vector<std::int64_t>& counts, const std::vector<Cell>& cells,
                           std::size_t from, std::size_t to) {
    std::size_t pick = to;
    for (std::size_t i = from; i < to; ++i) {
        if (!cells[i].suppressed && (pick == to || counts[i] < counts[pick])) {
            pick = i;
        }
    }
    return pick;
}

// Hides a shown cell so that another cannot be worked out ("x").
void hide_secondary(Cell& cell) {
    cell.suppressed = true;
    cell.secondary = true;
    cell.count.reset();
    cell.percent.reset();
}

}  // namespace

Cell single_cell(std::int64_t count, int k) {
    Cell c;
    if (count < k) {
        c.suppressed = true;
    } else {
        c.count = count;
    }
    return c;
}

std::vector<Cell> suppress_column(const std::vector<std::int64_t>& counts, std::int64_t total,
                                  int k, Cell& total_cell, const std::vector<std::int64_t>* outer) {
    std::vector<Cell> cells(counts.size());
    total_cell = single_cell(total, k);
    if (total_cell.suppressed) {
        for (auto& c : cells) {
            c.suppressed = true;
        }
        return cells;
    }
    total_cell.percent = 100.0;
    std::size_t hidden = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        cells[i].suppressed = counts[i] < k;
        if (!cells[i].suppressed && outer != nullptr && i < outer->size() && (*outer)[i] - counts[i] < k) {
            cells[i].suppressed = true;
            cells[i].secondary = true;  // not under k itself: its rest is
        }
        hidden += cells[i].suppressed ? 1 : 0;
    }
    // Secondary suppression: one hidden cell, or hidden cells that are all
    // zero, could be recovered from the total; hide the next smallest too.
    // Within an outer column, also while the hidden cells' rests add up to
    // under k: a shown cell's rest is at least k, so one more suffices.
    while (hidden > 0 && (hidden == 1 || hidden_sum(counts, cells) == 0 ||
                          (outer != nullptr && hidden_rest(counts, cells, outer) < k))) {
        const std::size_t pick = smallest_shown(counts, cells, 0, counts.size());
        if (pick == counts.size()) {
            break;
        }
        hide_secondary(cells[pick]);
        ++hidden;
    }
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (!cells[i].suppressed) {
            cells[i].count = counts[i];
            cells[i].percent =
                round_to(100.0 * static_cast<double>(counts[i]) / static_cast<double>(total), 1);
        }
    }
    return cells;
}

void suppress_group(const std::vector<std::int64_t>& counts, std::vector<Cell>& cells, std::size_t from,
                    std::size_t to) {
    const auto hidden = [&] {
        return std::count_if(cells.begin() + static_cast<std::ptrdiff_t>(from),
                             cells.begin() + static_cast<std::ptrdiff_t>(to), [](const Cell& c) { return c.suppressed; });
    };
    while (hidden() == 1) {
        const std::size_t pick = smallest_shown(counts, cells, from, to);
        if (pick == to) {
            return;
        }
        hide_secondary(cells[pick]);
    }
}

}  // namespace spiegel::cards
