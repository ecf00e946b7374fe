#pragma once
// Small-cell suppression of one table column (docs/cards.md): cells under
// k are hidden; when exactly one is hidden the next smallest is hidden too;
// a total under k hides the whole column. Pure functions.

#include <cstdint>
#include <vector>

#include "daemon/cards/card_model.h"

namespace spiegel::cards {

// Cells of a column from raw counts (percent of `total`), suppressed as above.
// Returns the cells in the order of `counts`; `total_cell` receives the total.
// `outer`: the counts of a column this one is part of, row by row (the
// national column of a regional one). A cell whose rest (outer minus the
// cell) is under k is hidden too, as `secondary` ("x"): else outer minus
// cell would give the rest of the country's small count.
std::vector<Cell> suppress_column(const std::vector<std::int64_t>& counts, std::int64_t total,
                                  int k, Cell& total_cell,
                                  const std::vector<std::int64_t>* outer = nullptr);

// Cells [from, to) of a column from suppress_column are a group whose sum
// another figure tells (the CV card's share of peers scoring lower): while
// exactly one of them is hidden, the smallest shown one of the group is
// hidden too ("x"). A group with no shown cell left stays as it is.
void suppress_group(const std::vector<std::int64_t>& counts, std::vector<Cell>& cells, std::size_t from,
                    std::size_t to);

// A single figure: suppressed when under k.
Cell single_cell(std::int64_t count, int k);

// Rounds to `digits` decimals.
double round_to(double value, int digits);

}  // namespace spiegel::cards
