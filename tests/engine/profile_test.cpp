// KindProfiler: what it counts per field, item fields of object arrays,
// string shapes and time values against its instant.
#include "daemon/engine/profile.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "daemon/model/arena.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::engine {
namespace {

using model::Kind;

const FieldProfile& field(const KindProfiler& p, const std::string& path) {
    const auto& fs = p.fields();
    const auto it = std::find_if(fs.begin(), fs.end(), [&](const FieldProfile& f) { return f.path() == path; });
    EXPECT_NE(it, fs.end()) << path;
    return *it;
}

KindProfiler profile(const std::vector<std::string>& json) {
    KindProfiler p(Kind::cv, *util::parse_timestamp("2026-10-01T00:00:00Z"));
    model::Arena arena;
    for (const auto& j : json) {
        p.add(testing::record(Kind::cv, j, arena));
    }
    return p;
}

TEST(StringShape, digits_and_ascii_letters_become_classes) {
    EXPECT_EQ(string_shape("1234 AB"), "9999 aa");
    EXPECT_EQ(string_shape("AM21"), "aa99");
    EXPECT_EQ(string_shape("a-b.c"), "a-a.a");
}

TEST(KindProfiler, counts_presence_values_numbers_lengths_and_future_times) {
    const auto p = profile({R"({"id":"a","email":"x@y.nl","hours_per_week":20,"skills":["a","b"],
                               "updated_at":"2026-09-01T00:00:00Z","region":"AM21"})",
                            R"({"id":"b","email":"","hours_per_week":30,"skills":["a"],
                               "updated_at":"2027-01-01T00:00:00Z","region":"AM21"})",
                            R"({"id":"c","skills":[],"region":"AM01"})"});
    EXPECT_EQ(p.records(), 3);
    EXPECT_EQ(field(p, "email").seen, 3);
    EXPECT_EQ(field(p, "email").present, 1);
    EXPECT_EQ(field(p, "hours_per_week").numbers, (std::vector<double>{20, 30}));
    EXPECT_EQ(field(p, "skills").lengths.at(2), 1);
    EXPECT_EQ(field(p, "skills").lengths.at(1), 1);
    EXPECT_EQ(field(p, "skills").present, 2);
    EXPECT_EQ(field(p, "skills").values.at("a"), 2);
    EXPECT_EQ(field(p, "updated_at").times, 2);
    EXPECT_EQ(field(p, "updated_at").future, 1);
    EXPECT_EQ(field(p, "region").values.at("AM21"), 2);
    EXPECT_EQ(field(p, "region").distinct.size(), 2u);
    EXPECT_EQ(field(p, "region").shapes.at("aa99"), 3);
}

TEST(KindProfiler, item_fields_of_object_arrays_count_per_item) {
    const auto p = profile({R"({"id":"a","experience":[{"start":"2020-01","description":"x"},{"start":"2030-01"}]})",
                            R"({"id":"b","experience":[{"description":"y"}]})"});
    const auto& start = field(p, "experience.start");
    EXPECT_EQ(start.seen, 3);
    EXPECT_EQ(start.present, 2);
    EXPECT_EQ(start.future, 1);
    EXPECT_EQ(field(p, "experience.description").present, 2);
}

}  // namespace
}  // namespace spiegel::engine
