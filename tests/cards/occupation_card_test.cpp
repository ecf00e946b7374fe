#include "daemon/cards/occupation_card.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "daemon/cards/record_summary.h"
#include "daemon/cards/suppression.h"
#include "tests/cards/card_fixture.h"

namespace spiegel::testing {
namespace {

using cards::Cell;

const cards::Table& table(const cards::OccupationCard& card, const std::string& id) {
    const auto it = std::find_if(card.tables.begin(), card.tables.end(),
                                 [&](const auto& t) { return t.id == id; });
    EXPECT_NE(it, card.tables.end()) << id;
    return *it;
}

const cards::Row& row(const cards::Table& t, const std::string& key) {
    const auto it =
        std::find_if(t.rows.begin(), t.rows.end(), [&](const auto& r) { return r.key == key; });
    EXPECT_NE(it, t.rows.end()) << key;
    return *it;
}

// The education rows both cards count in: every level by rank, ties in
// file order; a level no row has counts as onbekend.
TEST(CountRows, education_rows_follow_the_rank_and_unknown_levels_count_as_onbekend) {
    const auto codes = shipped_codes();
    const std::vector<cards::CountRow> rows = cards::education_rows(codes);
    std::vector<std::string> keys;
    for (const auto& r : rows) {
        keys.push_back(r.key);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"onbekend", "basis", "vmbo", "mbo1", "mbo", "mbo2", "havo_vwo",
                                              "mbo3", "mbo4", "hbo", "wo"}));
    EXPECT_EQ(rows[9].label, "HBO/bachelor");
    cards::AttributeCounts counts;
    counts["education"] = {{"hbo", 4}, {"phd", 2}, {"", 1}, {"onbekend", 3}, {"wo", 5}};
    const auto n = cards::row_counts(counts, "education", rows, "onbekend");
    EXPECT_EQ(n, (std::vector<std::int64_t>{6, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5}));
    EXPECT_EQ(cards::row_counts(counts, "birth", rows, "onbekend"), std::vector<std::int64_t>(rows.size(), 0));
    // Without a fallback row, values outside the rows are not counted.
    EXPECT_EQ(cards::row_counts(counts, "education", rows, "nvt")[0], 3);
}

cards::OccupationCard welder_card(const std::string& region = "AM21", int k = 10) {
    static const cards::CodeLists codes = shipped_codes();
    cards::PeerData data = welder_peers();
    if (region.empty()) {
        data.regional.reset();
    }
    return cards::build_occupation_card(data, codes, {"7212", region, k});
}

void expect_shown(const Cell& c, std::int64_t count, double percent) {
    EXPECT_FALSE(c.suppressed);
    EXPECT_EQ(c.count, count);
    ASSERT_TRUE(c.percent.has_value());
    EXPECT_DOUBLE_EQ(*c.percent, percent);
}

void expect_hidden(const Cell& c) {
    EXPECT_TRUE(c.suppressed);
    EXPECT_FALSE(c.count.has_value());
    EXPECT_FALSE(c.percent.has_value());
}

TEST(OccupationCard, birth_counts_and_percentages_match_hand_computed_values) {
    const auto card = welder_card();
    EXPECT_EQ(card.title, "Lassers en snijders");
    const auto& birth = table(card, "birth");
    expect_shown(row(birth, "1961-1970").national, 20, 10.0);
    expect_shown(row(birth, "1971-1980").national, 40, 20.0);
    expect_shown(row(birth, "1981-1990").national, 53, 26.5);
    expect_shown(row(birth, "1991-").national, 75, 37.5);
    expect_shown(birth.national_total, 200, 100.0);
}

TEST(OccupationCard, one_small_cell_also_hides_the_next_smallest) {
    // Only 'onbekend' (0) is under k, so 1948-1960 (12, the smallest shown) goes too.
    const auto card = welder_card();
    const auto& birth = table(card, "birth");
    expect_hidden(row(birth, "onbekend").national);
    expect_hidden(row(birth, "1948-1960").national);
}

TEST(OccupationCard, two_small_cells_need_no_secondary_suppression) {
    const auto card = welder_card();
    const auto& hours = table(card, "hours_per_day");
    expect_hidden(row(hours, "<2").national);
    expect_hidden(row(hours, "2 tot 4").national);
    expect_shown(row(hours, "4 tot 6").national, 30, 15.0);
    expect_shown(row(hours, "nvt").national, 50, 25.0);
}

TEST(OccupationCard, hidden_cells_that_are_all_zero_also_hide_the_next_smallest) {
    // Every hidden education level is 0, so their sum (0) would give them
    // away: the smallest shown cell goes too ('' counts as onbekend: 10).
    const auto card = welder_card();
    const auto& education = table(card, "education");
    EXPECT_EQ(education.rows.front().key, "onbekend");
    EXPECT_EQ(education.rows.front().label, "Niet/onbekend");
    expect_hidden(row(education, "onbekend").national);
    expect_shown(row(education, "basis").national, 10, 5.0);
    expect_shown(row(education, "mbo2").national, 50, 25.0);
    expect_hidden(row(education, "wo").national);
}

TEST(OccupationCard, region_is_shown_beside_the_national_figure) {
    const auto card = welder_card();
    const auto& birth = table(card, "birth");
    ASSERT_TRUE(row(birth, "1991-").regional.has_value());
    expect_shown(*row(birth, "1991-").regional, 25, 62.5);
    expect_hidden(*row(birth, "1981-1990").regional);  // the other hidden cells are all 0
    expect_hidden(*row(birth, "1971-1980").regional);
    ASSERT_TRUE(birth.regional_total.has_value());
    expect_shown(*birth.regional_total, 40, 100.0);
    ASSERT_TRUE(card.regional.has_value());
    EXPECT_EQ(card.regional->name, std::string(shipped_codes().regions.get("AM21", "name")));
}

TEST(OccupationCard, no_region_means_no_regional_cells) {
    const auto card = welder_card("");
    EXPECT_FALSE(card.regional.has_value());
    for (const auto& t : card.tables) {
        EXPECT_FALSE(t.regional_total.has_value());
        for (const auto& r : t.rows) {
            EXPECT_FALSE(r.regional.has_value());
        }
    }
}

TEST(OccupationCard, regional_total_under_k_hides_the_whole_regional_column) {
    const auto card = welder_card("AM21", 41);
    for (const auto& t : card.tables) {
        expect_hidden(*t.regional_total);
        for (const auto& r : t.rows) {
            expect_hidden(*r.regional);
        }
    }
}

TEST(OccupationCard, tension_is_open_vacancies_per_visible_job_seeker) {
    const auto card = welder_card();
    EXPECT_EQ(card.national.tension.job_seekers.count, 200);
    EXPECT_EQ(card.national.tension.vacancies.count, 50);
    ASSERT_TRUE(card.national.tension.per_job_seeker.has_value());
    EXPECT_DOUBLE_EQ(*card.national.tension.per_job_seeker, 0.25);
    // Region: 6 open vacancies is under k, so no ratio either.
    EXPECT_TRUE(card.regional->tension.vacancies.suppressed);
    EXPECT_FALSE(card.regional->tension.per_job_seeker.has_value());
}

TEST(OccupationCard, average_scores_are_shown_only_over_k_records) {
    const auto card = welder_card();
    EXPECT_EQ(card.national.scores.cv_average, 80.0);
    EXPECT_EQ(card.national.scores.vacancy_average, 75.0);
    EXPECT_FALSE(card.regional->scores.cv_average.has_value());
    EXPECT_TRUE(card.regional->scores.cvs.suppressed);
}

// Scores count every CV and the tension only visible ones; shown together,
// they would give away a small number of unpublished CVs.
TEST(OccupationCard, the_score_count_is_hidden_when_it_would_give_away_fewer_than_k_unpublished_cvs) {
    static const cards::CodeLists codes = shipped_codes();
    for (const auto& [records, hidden] :
         {std::pair<std::int64_t, bool>{205, true}, {209, true}, {210, false}, {200, false}, {220, false}}) {
        cards::PeerData data = welder_peers();
        data.national.cv_scores = {records, 80.0 * static_cast<double>(records)};
        const auto card = cards::build_occupation_card(data, codes, {"7212", "", 10});
        SCOPED_TRACE(records);
        EXPECT_EQ(card.national.tension.job_seekers.count, 200);
        EXPECT_EQ(card.national.scores.cvs.suppressed, hidden);
        EXPECT_EQ(card.national.scores.cvs.secondary, hidden);
        EXPECT_EQ(card.national.scores.cvs.count.has_value(), !hidden);
        EXPECT_EQ(card.national.scores.cv_average, 80.0);  // an average gives no count away
    }
    // With the job seekers hidden, the difference is not known: the count stays.
    cards::PeerData data = welder_peers();
    data.national.cv["visible"][""] = 8;
    data.national.cv_scores = {12, 960.0};
    const auto card = cards::build_occupation_card(data, codes, {"7212", "", 10});
    EXPECT_TRUE(card.national.tension.job_seekers.suppressed);
    EXPECT_EQ(card.national.scores.cvs.count, 12);
}

// Found by a privacy review: the national card minus a regional one gives
// the unpublished CVs of the rest of the country, so a region's count is held
// to that difference too.
TEST(OccupationCard, a_regional_score_count_is_hidden_when_the_rest_of_the_country_has_few_unpublished) {
    static const cards::CodeLists codes = shipped_codes();
    cards::PeerData data = welder_peers();
    data.regional->cv["visible"][""] = 40;
    data.regional->cv_scores = {50, 4000.0};  // 10 unpublished in the region
    for (const auto& [national_records, hidden] :
         {std::pair<std::int64_t, bool>{220, false}, {215, true}, {211, true}, {210, false}}) {
        data.national.cv_scores = {national_records, 80.0 * static_cast<double>(national_records)};
        const auto card = cards::build_occupation_card(data, codes, {"7212", "AM21", 10});
        SCOPED_TRACE(national_records);  // national: 200 visible
        ASSERT_TRUE(card.regional);
        EXPECT_EQ(card.regional->scores.cvs.suppressed, hidden);
        EXPECT_EQ(card.regional->scores.cvs.count.has_value(), !hidden);
        EXPECT_EQ(card.national.scores.cvs.count, national_records);
    }
}

TEST(OccupationCard, lists_only_skills_and_alternatives_with_at_least_k_cvs) {
    const auto card = welder_card();
    ASSERT_EQ(card.national.top_skills.size(), 2u);
    EXPECT_EQ(card.national.top_skills[0].key, "lassen");
    EXPECT_DOUBLE_EQ(card.national.top_skills[0].percent, 15.0);
    EXPECT_EQ(card.national.top_skills[1].key, "plannen");
    ASSERT_EQ(card.national.alternatives.size(), 1u);
    EXPECT_EQ(card.national.alternatives[0].key, "7213");
    EXPECT_EQ(card.national.alternatives[0].label, "Plaatwerkers");
    ASSERT_EQ(card.regional->top_skills.size(), 1u);
    EXPECT_DOUBLE_EQ(card.regional->top_skills[0].percent, 25.0);
}

// A regional list item beside its national count: their difference is the
// rest of the country, so the item needs k there too. Made-up codes are
// no occupation to suggest.
TEST(OccupationCard, regional_lists_leave_out_items_whose_rest_of_the_country_is_under_k) {
    const auto codes = shipped_codes();
    cards::PeerData data = welder_peers();
    data.national.cv["skill"] = {{"lassen", 30}, {"plannen", 12}};
    data.national.cv["co_occupation"] = {{"7213", 11}, {"magazijn", 40}, {"9999", 40}};
    data.regional->cv["skill"] = {{"lassen", 20}, {"plannen", 10}};
    data.regional->cv["co_occupation"] = {{"7213", 10}};
    const auto card = cards::build_occupation_card(data, codes, {"7212", "AM21", 10});
    ASSERT_EQ(card.regional->top_skills.size(), 1u);
    EXPECT_EQ(card.regional->top_skills[0].key, "lassen") << "30 - 20 = 10 may be shown; 12 - 10 = 2 not";
    EXPECT_TRUE(card.regional->alternatives.empty());
    ASSERT_EQ(card.national.alternatives.size(), 1u);
    EXPECT_EQ(card.national.alternatives[0].key, "7213");
}

TEST(OccupationCard, unknown_isco_code_is_not_found) {
    const auto codes = shipped_codes();
    EXPECT_EQ(cards::validate_occupation(codes, {"9999", "", 10})->kind,
              cards::CardErrorKind::not_found);
    EXPECT_EQ(cards::validate_occupation(codes, {"721", "", 10})->kind,
              cards::CardErrorKind::not_found);
    EXPECT_EQ(cards::validate_occupation(codes, {"", "", 10})->kind,
              cards::CardErrorKind::not_found);
    EXPECT_FALSE(cards::validate_occupation(codes, {"7212", "AM21", 10}).has_value());
}

TEST(OccupationCard, unknown_region_is_a_bad_request) {
    const auto codes = shipped_codes();
    EXPECT_EQ(cards::validate_occupation(codes, {"7212", "AM99", 10})->kind,
              cards::CardErrorKind::bad_request);
    EXPECT_EQ(cards::validate_occupation(codes, {"7212", "am21", 10})->kind,
              cards::CardErrorKind::bad_request);
}

// How many values of cell `i` agree with the shown cells and total, given
// that hidden cells are >= 0 and primary-hidden ones are < k.
std::set<std::int64_t> consistent_values(const std::vector<Cell>& cells, std::int64_t total,
                                         std::size_t i) {
    std::int64_t hidden_sum = total;
    for (const auto& c : cells) {
        hidden_sum -= c.count.value_or(0);
    }
    std::set<std::int64_t> values;
    std::size_t others = 0;
    for (std::size_t j = 0; j < cells.size(); ++j) {
        others += (j != i && cells[j].suppressed) ? 1 : 0;
    }
    for (std::int64_t v = 0; v <= hidden_sum; ++v) {
        // With another hidden cell the rest (hidden_sum - v) can go there.
        if (others > 0 || v == hidden_sum) {
            values.insert(v);
        }
    }
    return values;
}

TEST(Suppression, hidden_cells_cannot_be_recovered_by_subtraction_from_the_total) {
    std::uint64_t seed = 12345;
    auto next = [&seed](int mod) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((seed >> 33) % static_cast<std::uint64_t>(mod));
    };
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::int64_t> counts(static_cast<std::size_t>(3 + next(5)));
        std::int64_t total = 0;
        for (auto& n : counts) {
            n = next(4) == 0 ? next(10) : next(200);
            total += n;
        }
        Cell total_cell;
        const auto cells = cards::suppress_column(counts, total, 10, total_cell);
        std::size_t hidden = 0;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            hidden += cells[i].suppressed ? 1 : 0;
            if (!cells[i].suppressed) {
                ASSERT_GE(*cells[i].count, 10);
            } else if (!total_cell.suppressed) {
                ASSERT_GE(consistent_values(cells, total, i).size(), 2u) << "round " << round;
            }
            if (counts[i] < 10) {
                ASSERT_TRUE(cells[i].suppressed);
            }
        }
        ASSERT_NE(hidden, 1u) << "round " << round;
    }
}

// A regional column is part of the national one: national minus regional
// is the rest of the country, and under k that is a small count too.
TEST(Suppression, a_regional_cell_whose_rest_of_the_country_is_under_k_is_hidden_as_x) {
    const std::vector<std::int64_t> national{50, 12, 200, 40};
    const std::vector<std::int64_t> regional{45, 12, 100, 30};  // rests 5, 0, 100, 10
    Cell total;
    const auto cells = cards::suppress_column(regional, 187, 10, total, &national);
    EXPECT_TRUE(cells[0].suppressed);
    EXPECT_TRUE(cells[0].secondary) << "45 is not under 10: x, not <10";
    EXPECT_TRUE(cells[1].suppressed);
    // 45 and 12 hidden alone: their sum (187 - 100 - 30 = 57) against
    // their national 62 leaves a rest of 5, under k, so the next smallest
    // (30, rest 10) is hidden too.
    EXPECT_TRUE(cells[3].suppressed && cells[3].secondary);
    EXPECT_FALSE(cells[2].suppressed);
    EXPECT_EQ(cells[2].count, 100);
    // One cell hidden for its rest alone is still recovered from the
    // total: the next smallest goes too.
    const std::vector<std::int64_t> outer{50, 200, 40};
    const auto one = cards::suppress_column({45, 100, 30}, 175, 10, total, &outer);
    EXPECT_TRUE(one[0].suppressed);
    EXPECT_TRUE(one[2].suppressed && one[2].secondary);
    EXPECT_FALSE(one[1].suppressed);
}

// Whatever the counts: the hidden cells of a regional column never leave a
// rest of the country under k that the shown figures give away.
TEST(Suppression, hidden_regional_cells_never_leave_a_small_rest_to_subtract) {
    std::uint64_t seed = 777;
    auto next = [&seed](int mod) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::int64_t>((seed >> 33) % static_cast<std::uint64_t>(mod));
    };
    for (int round = 0; round < 2000; ++round) {
        const std::size_t n = static_cast<std::size_t>(3 + next(5));
        std::vector<std::int64_t> national(n), regional(n);
        std::int64_t total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            regional[i] = next(3) == 0 ? next(12) : next(120);
            national[i] = regional[i] + (next(2) == 0 ? next(12) : next(300));
            total += regional[i];
        }
        Cell total_cell;
        const auto cells = cards::suppress_column(regional, total, 10, total_cell, &national);
        if (total_cell.suppressed) {
            continue;
        }
        std::size_t hidden = 0;
        std::int64_t rest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (cells[i].suppressed) {
                ++hidden;
                rest += national[i] - regional[i];
            } else {
                ASSERT_GE(national[i] - regional[i], 10) << "round " << round;
            }
        }
        ASSERT_NE(hidden, 1u) << "round " << round;
        if (hidden > 0 && hidden < n) {
            ASSERT_GE(rest, 10) << "round " << round;
        }
    }
}

TEST(Suppression, total_under_k_hides_every_cell) {
    Cell total;
    const auto cells = cards::suppress_column({5, 4}, 9, 10, total);
    EXPECT_TRUE(total.suppressed);
    EXPECT_TRUE(cells[0].suppressed && cells[1].suppressed);
}

}  // namespace
}  // namespace spiegel::testing
