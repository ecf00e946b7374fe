#pragma once
// What the CV card and the vacancy card share (docs/cards.md, "Personal
// cards"): score and grade, dimension scores, the trend over past scans,
// the failing rules with their advice, the choice of peers and small JSON
// helpers. Pure functions; texts are Dutch.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/cards/card_json.h"
#include "daemon/cards/personal_card.h"
#include "daemon/util/json_sink.h"

namespace spiegel::cards {

struct Grade {
    std::string_view letter;  // A .. E
    std::string_view label;   // "uitstekend" .. "onvoldoende"
};

// A >= 90 uitstekend, B >= 75 goed, C >= 60 voldoende, D >= 40 matig,
// else E onvoldoende. `score` is compared as stored (one decimal).
Grade grade_for(double score);

// The summary both cards carry (beside "score", "score_text", "grade" and
// "grade_label"), written into a sink (util/json_sink.h), each one value:
// the dimension scores (an array), the failing rules and the trend.
void write_dimensions(util::JsonSink& out, const engine::ResultRow& result);
// The failing rules of `result`, most valuable fix first (see docs/cards.md).
void write_failing_rules(util::JsonSink& out, const engine::ResultRow& result, const CardCatalog& catalog);
// The trend: points oldest first and one sentence comparing first and last.
// `subject` starts the sentence ("Uw score", "De score van uw vacature").
void write_trend(util::JsonSink& out, const std::vector<TrendPoint>& trend, std::string_view subject);

// The peers a card compares with: the occupation when it has >= k others,
// else the minor group when it has >= k others, else none (group null).
struct PeerChoice {
    std::string basis = "none";  // "occupation" | "minor_group" | "none"
    const PeerGroupCounts* group = nullptr;
    std::int64_t others = 0;  // members minus the record itself when counted
    std::int64_t others_equal = 0;  // of the others, those with the record's score
};
// Share of the others with the record's score: a whole percent, at least 1
// when any peer ties, 0 when none does.
// At most 100 - better_percent: both are rounded, and "beter dan 52%" with
// "49% scoort even hoog" would add up to more than everyone.
int same_percent(std::int64_t equal, std::int64_t others, int better_percent = 0);
// "" when no other peer has the same score, else "; N% scoort even hoog"
// ("; alle anderen scoren even hoog" when all do); N as same_percent.
std::string same_score_text(std::int64_t equal, std::int64_t others, int better_percent = 0);

PeerChoice choose_peers(const std::optional<PeerGroupCounts>& occupation,
                        const std::optional<PeerGroupCounts>& minor_group, bool self_counted,
                        int k);

// Count of (attribute, value); 0 when absent.
std::int64_t attribute_count(const AttributeCounts& counts, std::string_view attribute,
                             std::string_view value);

// A row of a card's column of counts: the attribute value it counts, and
// its label.
struct CountRow {
    std::string key;
    std::string label;
};

// The rank of an education level in education_levels.csv (higher is more
// education); 0 for a level outside it or a rank that is not a number.
int level_rank(const CodeLists& codes, std::string_view level);

// The rows of an education column: every level of education_levels.csv,
// by rank (file order on ties). The occupation card's education columns
// and the vacancy card's pool use these rows, so they hide the same cells.
std::vector<CountRow> education_rows(const CodeLists& codes);

// The counts of `attribute` per row, in row order; a value that is no
// row's key counts in the row whose key is `fallback` (none: not counted).
std::vector<std::int64_t> row_counts(const AttributeCounts& counts, std::string_view attribute,
                                     const std::vector<CountRow>& rows, std::string_view fallback);

// round(100 * part / whole) as a whole percent; 0 when whole <= 0.
int whole_percent(std::int64_t part, std::int64_t whole);

// Whether `code` is a 4-digit ISCO-08 unit group of the code list. Only
// such a code has peers, a minor group and suggestions: a code a record
// made up ("99999", "magazijn", "9999") is nobody's occupation.
bool known_occupation(const CodeLists& codes, const std::string& code);

// The Dutch title of an ISCO code (4- or 3-digit); the code itself when unknown.
std::string occupation_title(const CodeLists& codes, const std::string& code);


// "2026-10-01T..." -> "1 oktober 2026"; the input unchanged when not a date.
std::string dutch_date(std::string_view rfc3339);

// A score or hour figure for a sentence: 80 -> "80,0" (digits decimals).
std::string score_text(double score);

}  // namespace spiegel::cards
