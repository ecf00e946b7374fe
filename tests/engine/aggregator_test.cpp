#include "daemon/engine/aggregator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "daemon/engine/result.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::engine {
namespace {

using model::Kind;

ResultRow cv_row(const std::string& id, double score, std::vector<std::string> failed, const std::string& region,
                 std::vector<std::string> groups, const std::string& occupation) {
    ResultRow r;
    r.clear();
    r.kind = Kind::cv;
    r.id = id;
    r.score = score;
    r.failed = std::move(failed);
    r.region = region;
    r.target_groups = std::move(groups);
    r.occupation = occupation;
    return r;
}

TEST(Aggregator, histogram_bucket_edges_follow_upper_bounds) {
    EXPECT_EQ(histogram_bucket(0.0), 0u);
    EXPECT_EQ(histogram_bucket(10.0), 0u);
    EXPECT_EQ(histogram_bucket(10.1), 1u);
    EXPECT_EQ(histogram_bucket(66.7), 6u);
    EXPECT_EQ(histogram_bucket(90.0), 8u);
    EXPECT_EQ(histogram_bucket(99.9), 9u);
    EXPECT_EQ(histogram_bucket(100.0), 9u);
}

TEST(Aggregator, small_fixture_matches_hand_computed_groups) {
    ScanAggregates agg;
    agg.add(cv_row("cv-1", 100.0, {}, "AM01", {"ww"}, "2512"));
    agg.add(cv_row("cv-2", 50.0, {"cv.email.valid", "cv.skills.min"}, "AM01", {}, "2511"));
    agg.add(cv_row("cv-3", 75.5, {"cv.skills.min"}, "AM02", {"ww", "wajong"}, "5223"));

    const GroupStats all = agg.total(Kind::cv);
    EXPECT_EQ(all.records, 3);
    EXPECT_EQ(all.score_tenths, 2255);  // 100 + 50 + 75.5
    EXPECT_EQ(all.buckets[4], 1);       // 50 in (40, 50]
    EXPECT_EQ(all.buckets[7], 1);       // 75.5 in (70, 80]
    EXPECT_EQ(all.buckets[9], 1);
    EXPECT_EQ(all.failing.at("cv.skills.min"), 2);
    EXPECT_EQ(all.failing.at("cv.email.valid"), 1);

    const auto& g = agg.groups();
    const GroupStats& am01 = g.at(ScanAggregates::group_key(Kind::cv, k_split_region, "AM01"));
    EXPECT_EQ(am01.records, 2);
    EXPECT_EQ(am01.failing.at("cv.skills.min"), 1);
    EXPECT_EQ(g.at(ScanAggregates::group_key(Kind::cv, k_split_target_group, "ww")).records, 2);
    EXPECT_EQ(g.at(ScanAggregates::group_key(Kind::cv, k_split_target_group, "")).records, 1);
    const GroupStats& major2 = g.at(ScanAggregates::group_key(Kind::cv, k_split_isco_major, "2"));
    EXPECT_EQ(major2.records, 2);
    EXPECT_EQ(major2.score_tenths, 1500);
    EXPECT_EQ(g.count(ScanAggregates::group_key(Kind::cv, k_split_isco_major, "9")), 0u);
}

TEST(Aggregator, peer_statistics_count_visible_cvs_per_occupation_and_region) {
    ScanAggregates agg;
    ResultRow a = cv_row("cv-1", 100, {}, "AM01", {}, "2512");
    a.peer.visible = true;
    a.peer.skills = {"c++", "sql"};
    a.peer.education = "hbo";
    a.peer.birth_bucket = "1981-1990";
    a.peer.hours_bucket = "8";
    a.peer.co_occupations = {"2511"};
    ResultRow b = a;
    b.id = "cv-2";
    b.region = "AM02";
    b.peer.skills = {"sql"};
    ResultRow hidden = a;
    hidden.id = "cv-3";
    hidden.peer.visible = false;
    for (const auto* r : {&a, &b, &hidden}) {
        agg.add(*r);
    }
    const PeerCell& all = agg.peers().at(ScanAggregates::peer_key(Kind::cv, "2512", ""));
    EXPECT_EQ(all.at("count\x1f"), 3);
    EXPECT_EQ(all.at("visible\x1f"), 2);
    EXPECT_EQ(all.at("skill\x1fsql"), 2);
    EXPECT_EQ(all.at("skill\x1f" "c++"), 1);
    EXPECT_EQ(all.at("co_occupation\x1f" "2511"), 2);
    const PeerCell& am01 = agg.peers().at(ScanAggregates::peer_key(Kind::cv, "2512", "AM01"));
    EXPECT_EQ(am01.at("count\x1f"), 2);
    EXPECT_EQ(am01.at("skill\x1fsql"), 1);
}

TEST(Aggregator, target_group_peers_count_each_code_of_visible_cvs_only) {
    ScanAggregates agg;
    ResultRow two = cv_row("cv-1", 100, {}, "AM21", {"banenafspraak", "ww"}, "2512");
    two.peer.visible = true;
    ResultRow one = cv_row("cv-2", 80, {}, "AM01", {"banenafspraak"}, "2512");
    one.peer.visible = true;
    ResultRow none = cv_row("cv-3", 60, {}, "AM21", {}, "2512");
    none.peer.visible = true;
    ResultRow hidden = cv_row("cv-4", 40, {}, "AM21", {"banenafspraak"}, "2512");
    ResultRow vacancy = cv_row("v-1", 90, {}, "AM21", {"banenafspraak"}, "2512");
    vacancy.kind = Kind::vacancy;
    for (const auto* r : {&two, &one, &none, &hidden, &vacancy}) {
        agg.add(*r);
    }
    const PeerCell& all = agg.peers().at(ScanAggregates::peer_key(Kind::cv, "2512", ""));
    EXPECT_EQ(all.at("target_group\x1f" "banenafspraak"), 2);
    EXPECT_EQ(all.at("target_group\x1fww"), 1);
    EXPECT_EQ(all.count("target_group\x1f"), 0u);  // a CV with none adds nothing
    const PeerCell& am21 = agg.peers().at(ScanAggregates::peer_key(Kind::cv, "2512", "AM21"));
    EXPECT_EQ(am21.at("target_group\x1f" "banenafspraak"), 1);  // not the hidden CV
    EXPECT_EQ(am21.at("target_group\x1fww"), 1);
    const PeerCell& vacancies = agg.peers().at(ScanAggregates::peer_key(Kind::vacancy, "2512", ""));
    EXPECT_EQ(vacancies.count("target_group\x1f" "banenafspraak"), 0u);

    // Taking a CV out and putting it back with other groups patches the counts.
    ScanAggregates patched = agg;
    patched.add(two, -1);
    ResultRow changed = two;
    changed.target_groups = {"ww"};
    patched.add(changed, +1);
    ScanAggregates expected;
    for (const auto* r : {&changed, &one, &none, &hidden, &vacancy}) {
        expected.add(*r);
    }
    const auto nonzero = [](const ScanAggregates& a) {
        StringMap<PeerCell> out;
        for (const auto& [cell, counts] : a.peers()) {
            for (const auto& [key, n] : counts) {
                if (n != 0) {
                    out[cell][key] = n;
                }
            }
        }
        return out;
    };
    EXPECT_EQ(nonzero(patched), nonzero(expected));
    EXPECT_EQ(nonzero(patched).at(ScanAggregates::peer_key(Kind::cv, "2512", "")).at("target_group\x1f"
                                                                                        "banenafspraak"),
              1);
}

// What a writer merges with peer_stat's rows: every count once, summed,
// in the byte order of (occupation, region, attribute, value), whether the
// counts are still pending (a scan's) or folded into maps.
TEST(Aggregator, peer_counts_in_key_order_are_sorted_summed_and_the_same_pending_or_folded) {
    auto fill = [](ScanAggregates& agg) {
        int n = 0;
        for (const char* occupation : {"2512", "2511", "7512"}) {
            for (const char* region : {"AM21", "AM01", ""}) {
                ++n;
                ResultRow r = cv_row("cv-" + std::to_string(n), 60.0 + n, {}, region, {"ww"}, occupation);
                r.peer.visible = true;
                r.peer.skills = {"sql", "java", "\xc3\xa9tude", "Zoo"};  // non-ASCII sorts after ASCII bytes
                agg.add(r);
                agg.add(r);  // counts sum
            }
        }
        ResultRow v = cv_row("v-1", 50, {}, "AM01", {}, "2512");
        v.kind = Kind::vacancy;
        agg.add(v);
    };
    using Row = std::tuple<std::string, std::string, std::string, std::string, std::int64_t>;
    auto ordered = [](const ScanAggregates& agg, Kind kind) {
        std::vector<Row> rows;
        agg.for_each_peer_in_key_order(kind, [&](std::string_view o, std::string_view r, std::string_view a,
                                                 std::string_view v, std::int64_t n) {
            rows.emplace_back(std::string(o), std::string(r), std::string(a), std::string(v), n);
        });
        return rows;
    };
    ScanAggregates pending;
    fill(pending);
    const std::vector<Row> rows = ordered(pending, Kind::cv);
    ASSERT_GT(rows.size(), 50u);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
               std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
    }));
    EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end(),
                                 [](const Row& a, const Row& b) {
                                     return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) ==
                                            std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
                                 }),
              rows.end())
        << "each key once";
    EXPECT_EQ(rows.front(), (Row{"2511", "", "birth", "", 6})) << "3 regions x 2 adds in the national cell";
    const auto find = [&](const Row& key) {
        return std::find_if(rows.begin(), rows.end(), [&](const Row& r) {
            return std::get<0>(r) == std::get<0>(key) && std::get<1>(r) == std::get<1>(key) &&
                   std::get<2>(r) == std::get<2>(key) && std::get<3>(r) == std::get<3>(key);
        });
    };
    ASSERT_NE(find({"2512", "", "skill", "sql", 0}), rows.end());
    EXPECT_EQ(std::get<4>(*find({"2512", "", "skill", "sql", 0})), 6) << "3 regions x 2 adds, national cell";
    const auto histogram = std::find_if(rows.begin(), rows.end(), [](const Row& r) {
        return std::get<0>(r) == "2512" && std::get<1>(r).empty() && std::get<2>(r) == "score";
    });
    ASSERT_NE(histogram, rows.end());
    ASSERT_NE(find({"2512", "", "score_tenths", "", 0}), rows.end());
    EXPECT_LT(histogram - rows.begin(), find({"2512", "", "score_tenths", "", 0}) - rows.begin())
        << "'score' before 'score_tenths'";
    EXPECT_LT(find({"2512", "", "skill", "sql", 0}) - rows.begin(),
              find({"2512", "", "skill", "\xc3\xa9tude", 0}) - rows.begin());
    EXPECT_LT(find({"2512", "", "skill", "Zoo", 0}) - rows.begin(), find({"2512", "", "skill", "java", 0}) - rows.begin())
        << "byte order, as SQLite compares";
    ScanAggregates folded;
    fill(folded);
    (void)folded.peers();  // folds the pending counts into maps
    EXPECT_EQ(ordered(folded, Kind::cv), rows);
    const std::vector<Row> vacancies = ordered(pending, Kind::vacancy);
    ASSERT_FALSE(vacancies.empty());
    EXPECT_EQ(ordered(folded, Kind::vacancy), vacancies);
    EXPECT_EQ(std::count_if(vacancies.begin(), vacancies.end(), [](const Row& r) { return std::get<2>(r) == "skill"; }),
              0);
}

TEST(Aggregator, merging_two_halves_equals_adding_everything) {
    ScanAggregates whole, left, right;
    std::vector<ResultRow> rows;
    for (int i = 0; i < 20; ++i) {
        rows.push_back(cv_row("cv-" + std::to_string(i), i * 5.0, i % 3 ? std::vector<std::string>{"r1"}
                                                                        : std::vector<std::string>{},
                              i % 2 ? "AM01" : "AM02", {}, i % 4 ? "2512" : ""));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        whole.add(rows[i]);
        (i < 7 ? left : right).add(rows[i]);
    }
    left.merge(right);
    EXPECT_TRUE(left == whole);
}

TEST(Aggregator, dimension_sums_count_only_records_where_the_dimension_applies) {
    ScanAggregates agg;
    ResultRow a = cv_row("cv-1", 80.0, {}, "AM01", {}, "2512");
    a.dimensions = {100.0, 66.7, -1.0, -1.0, -1.0, -1.0};
    ResultRow b = cv_row("cv-2", 60.0, {}, "AM02", {}, "2512");
    b.dimensions = {50.0, 33.3, -1.0, 100.0, -1.0, -1.0};
    agg.add(a);
    agg.add(b);
    const GroupStats all = agg.total(Kind::cv);
    EXPECT_EQ(all.dimension_tenths[0], 1500);  // completeness 100 + 50
    EXPECT_EQ(all.dimension_records[0], 2);
    EXPECT_EQ(all.dimension_tenths[1], 1000);  // validity 66.7 + 33.3, exact in tenths
    EXPECT_EQ(all.dimension_tenths[3], 1000);
    EXPECT_EQ(all.dimension_records[3], 1);
    EXPECT_EQ(all.dimension_records[2], 0);
    const GroupStats& am02 = agg.groups().at(ScanAggregates::group_key(Kind::cv, k_split_region, "AM02"));
    EXPECT_EQ(am02.dimension_tenths[1], 333);
}

TEST(Aggregator, profiles_count_banenafspraak_cvs_and_those_failing_the_profile_rule) {
    ScanAggregates agg;
    agg.add(cv_row("cv-1", 100.0, {}, "AM01", {"banenafspraak"}, "2512"));
    agg.add(cv_row("cv-2", 50.0, {std::string(k_profile_rule)}, "AM01", {"banenafspraak", "ww"}, "2512"));
    agg.add(cv_row("cv-3", 50.0, {std::string(k_profile_rule)}, "AM02", {"ww"}, "2512"));  // unreadable, say
    const GroupStats all = agg.total(Kind::cv);
    EXPECT_EQ(all.profiles, 2);
    EXPECT_EQ(all.profiles_failing, 1) << "cv-3 fails the rule but is no banenafspraak CV";
    const auto& g = agg.groups();
    EXPECT_EQ(g.at(ScanAggregates::group_key(Kind::cv, k_split_region, "AM01")).profiles, 2);
    EXPECT_EQ(g.at(ScanAggregates::group_key(Kind::cv, k_split_region, "AM02")).profiles, 0);
    const GroupStats& ww = g.at(ScanAggregates::group_key(Kind::cv, k_split_target_group, "ww"));
    EXPECT_EQ(ww.profiles, 1);
    EXPECT_EQ(ww.profiles_failing, 1);
}

TEST(Aggregator, a_row_taken_back_out_leaves_only_empty_groups_which_drop_empty_removes) {
    ScanAggregates agg;
    const ResultRow kept = cv_row("cv-1", 100.0, {}, "AM01", {"banenafspraak"}, "2512");
    ResultRow gone = cv_row("cv-2", 50.0, {"cv.skills.min"}, "AM02", {"ww"}, "5223");
    gone.dimensions = {50.0, -1.0, -1.0, -1.0, -1.0, -1.0};
    agg.add(kept);
    ScanAggregates expected = agg;
    agg.add(gone);
    agg.add(gone, -1);
    EXPECT_FALSE(agg.groups() == expected.groups()) << "empty groups and zero counts are still there";
    agg.drop_empty();
    EXPECT_TRUE(agg.groups() == expected.groups());
}

TEST(Result, cv_attributes_are_normalised) {
    model::Arena arena;
    const auto rec = testing::record(Kind::cv, R"({"id":"cv-1","region":"AM21","target_groups":["ww","ww"],
        "desired_occupations":[{"code":"2512","title":"x"},{"code":"2511"},{"code":"2512"}],
        "education":[{"level":"hbo"},{"level":"mbo4"},{"level":"nonsense"}],
        "skills":["  SQL ","sql","Čeština",""],"driving_licences":["B","b"," c "],
        "birth_year":1961,"hours_per_day":7.5,"visible":true})", arena);
    const EducationRanks ranks{{"mbo4", 6}, {"hbo", 7}};
    ResultRow row;
    row.clear();
    fill_attributes(rec, ranks, 0, row);
    EXPECT_EQ(row.id, "cv-1");
    EXPECT_EQ(row.region, "AM21");
    EXPECT_EQ(row.target_groups, std::vector<std::string>({"ww"}));
    EXPECT_EQ(row.occupation, "2512");
    EXPECT_EQ(row.isco_major(), "2");
    EXPECT_EQ(row.peer.co_occupations, std::vector<std::string>({"2511"}));
    EXPECT_EQ(row.peer.education, "hbo");
    EXPECT_EQ(row.peer.skills, std::vector<std::string>({"sql", "čeština"}));
    EXPECT_EQ(row.peer.licences, std::vector<std::string>({"B", "C"}));
    EXPECT_EQ(row.peer.birth_bucket, "1961-1970");
    EXPECT_EQ(row.peer.hours_bucket, "6 tot 8");
    EXPECT_TRUE(row.peer.visible);
}

TEST(Result, vacancy_attributes_cover_hours_salary_and_openness) {
    model::Arena arena;
    const auto rec = testing::record(Kind::vacancy, R"({"id":"v-1","occupation_code":"5223","status":"anoniem",
        "salary_max":2500,"hours_per_week_min":24,"education_level":"mbo2"})", arena);
    ResultRow row;
    row.clear();
    fill_attributes(rec, {}, 0, row);
    EXPECT_EQ(row.occupation, "5223");
    EXPECT_TRUE(row.peer.open);
    EXPECT_TRUE(row.peer.salary);
    EXPECT_EQ(row.peer.hours_min, "24");
    EXPECT_EQ(row.peer.hours_max, "");
    EXPECT_EQ(row.peer.education, "mbo2");
}

// Open through its closing date, as vacancy.expired_open reads it; the
// attribute holds until the next day starts, which bounds valid_until.
TEST(Result, a_vacancy_is_open_through_its_closing_date) {
    model::Arena arena;
    const auto rec = testing::record(Kind::vacancy, R"({"id":"v-1","status":"open","closing_date":"2026-11-30"})", arena);
    const auto at = [](const char* t) { return *util::parse_timestamp(t); };
    ResultRow row;
    row.clear();
    fill_attributes(rec, {}, at("2026-11-30T23:59:59Z"), row);
    EXPECT_TRUE(row.peer.open);
    EXPECT_EQ(row.valid_until, at("2026-12-01T00:00:00Z"));
    row.clear();
    fill_attributes(rec, {}, at("2026-12-01T00:00:00Z"), row);
    EXPECT_FALSE(row.peer.open);
    EXPECT_EQ(row.valid_until, std::numeric_limits<std::int64_t>::max());
    // Not open at all, or no closing date: nothing to wait for.
    for (const char* json : {R"({"id":"v-2","status":"geen","closing_date":"2026-11-30"})",
                             R"({"id":"v-3","status":"open"})"}) {
        row.clear();
        fill_attributes(testing::record(Kind::vacancy, json, arena), {}, at("2026-11-01T00:00:00Z"), row);
        EXPECT_EQ(row.valid_until, std::numeric_limits<std::int64_t>::max()) << json;
    }
}

TEST(Result, buckets_match_the_card_boundaries) {
    EXPECT_EQ(hours_bucket(model::Value::of_number(1.99)), "<2");
    EXPECT_EQ(hours_bucket(model::Value::of_number(2.0)), "2 tot 4");
    EXPECT_EQ(hours_bucket(model::Value::of_int(8)), "8");
    EXPECT_EQ(hours_bucket(model::Value::null()), "nvt");
    EXPECT_EQ(birth_bucket(model::Value::of_int(1960)), "1948-1960");
    EXPECT_EQ(birth_bucket(model::Value::of_int(1990)), "1981-1990");
    EXPECT_EQ(birth_bucket(model::Value::of_int(1991)), "1991-");
    EXPECT_EQ(birth_bucket(model::Value::of_int(1948)), "1948-1960");
    // Before the seed's first bucket, or impossible: no untrue label.
    for (const std::int64_t year : {1947, 1940, 0, -1, 2101, 9999}) {
        EXPECT_EQ(birth_bucket(model::Value::of_int(year)), "onbekend") << year;
    }
    EXPECT_EQ(birth_bucket(model::Value::null()), "onbekend");
}

TEST(Result, scores_print_compactly_with_one_decimal) {
    EXPECT_EQ(format_score(87.5), "87.5");
    EXPECT_EQ(format_score(100.0), "100");
    EXPECT_EQ(format_score(66.66666), "66.7");
    EXPECT_EQ(format_score(0.0), "0");
    EXPECT_EQ(format_score(99.96), "100");
}

}  // namespace
}  // namespace spiegel::engine
