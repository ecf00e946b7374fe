// Field distributions of generated CVs against the Wajong tables of seed 002
// (docs/demo.md). Generation only, without defects, so that the shares are
// those of the tables.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>

#include "daemon/demo/generator.h"
#include "tests/demo/demo_test_support.h"

namespace spiegel::demo {
namespace {

using spiegel::testing::fixed_plan;
using spiegel::testing::shipped_catalog;
using spiegel::testing::without_defects;

constexpr std::int64_t k_cvs = 20000;
constexpr double k_tolerance_pp = 1.5;

struct Shares {
    std::array<double, 6> birth{};  // 1948-60, 61-70, 71-80, 81-90, 91-, other
    std::map<std::string, double> education;
    std::array<double, 6> hours{};  // <2, 2-4, 4-6, 6-8, 8, nvt
};

std::size_t birth_bucket(std::int64_t year) {
    if (year >= 1948 && year <= 1960) {
        return 0;
    }
    if (year >= 1961 && year <= 1970) {
        return 1;
    }
    if (year >= 1971 && year <= 1980) {
        return 2;
    }
    if (year >= 1981 && year <= 1990) {
        return 3;
    }
    return year >= 1991 ? 4 : 5;
}

std::size_t hours_bucket(const model::Value& v) {
    if (v.is_null()) {
        return 5;
    }
    const double h = v.as_double();
    return h < 2 ? 0 : h < 4 ? 1 : h < 6 ? 2 : h < 8 ? 3 : 4;
}

const Shares& shares() {
    static const Shares s = [] {
        Shares out;
        const Generator gen(shipped_catalog(), without_defects(fixed_plan(11, k_cvs, 0, 0)));
        model::Arena arena;
        for (std::int64_t n = 1; n <= k_cvs; ++n) {
            const model::Record r = gen.cv(n, arena);
            out.birth[birth_bucket(r.field("birth_year").integer)] += 100.0 / k_cvs;
            out.education[std::string(r.field("education").items[0].get("level").string)] +=
                100.0 / k_cvs;
            out.hours[hours_bucket(r.field("hours_per_day"))] += 100.0 / k_cvs;
            if (n % 1000 == 0) {
                arena.reset();
            }
        }
        return out;
    }();
    return s;
}

TEST(DemoDistribution, birth_years_follow_the_wajong_table) {
    const std::array<double, 6> expected = {0.4, 2.2, 7.4, 41.5, 48.4, 0.0};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(shares().birth[i], expected[i], k_tolerance_pp) << "bucket " << i;
    }
}

TEST(DemoDistribution, education_levels_follow_the_wajong_table) {
    const std::map<std::string, double> expected = {
        {"onbekend", 25.0}, {"basis", 25.8}, {"havo_vwo", 3.6}, {"mbo1", 5.7},
        {"mbo2", 8.0},      {"mbo3", 3.1},   {"mbo4", 4.2},     {"vmbo", 18.3},
        {"hbo", 2.3},       {"mbo", 3.0},    {"wo", 1.0}};
    double total = 0;
    for (const auto& [code, share] : shares().education) {
        ASSERT_TRUE(expected.count(code)) << "unexpected level " << code;
        total += share;
    }
    EXPECT_NEAR(total, 100.0, 0.01);
    for (const auto& [code, share] : expected) {
        const auto it = shares().education.find(code);
        EXPECT_NEAR(it == shares().education.end() ? 0.0 : it->second, share, k_tolerance_pp)
            << code;
    }
}

TEST(DemoDistribution, hours_per_day_follow_the_national_column) {
    // 88, 747, 1189, 3218, 6085, 33442 of 44769.
    const std::array<double, 6> counts = {88, 747, 1189, 3218, 6085, 33442};
    for (std::size_t i = 0; i < counts.size(); ++i) {
        EXPECT_NEAR(shares().hours[i], 100.0 * counts[i] / 44769.0, k_tolerance_pp)
            << "bucket " << i;
    }
}

TEST(DemoDistribution, large_regions_get_more_records_than_small_ones) {
    const Generator gen(shipped_catalog(), without_defects(fixed_plan(11, 5000, 0, 0)));
    std::map<std::string, int> per_region;
    model::Arena arena;
    for (std::int64_t n = 1; n <= 5000; ++n) {
        ++per_region[std::string(gen.cv(n, arena).field("region").string)];
    }
    EXPECT_EQ(per_region.size(), 35u);
    EXPECT_GT(per_region["AM18"], 4 * per_region["AM35"]);
    EXPECT_GT(per_region["AM22"], 3 * per_region["AM03"]);
}

}  // namespace
}  // namespace spiegel::demo
