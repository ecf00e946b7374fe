#include "daemon/demo/generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "daemon/model/json.h"
#include "tests/demo/demo_test_support.h"

namespace spiegel::demo {
namespace {

using spiegel::testing::fixed_plan;
using spiegel::testing::shipped_catalog;
using spiegel::testing::without_defects;

std::string json_of(const Generator& gen, model::Kind kind, std::int64_t n) {
    model::Arena arena;
    return model::record_to_json(gen.make(kind, n, arena));
}

TEST(DemoGenerator, same_seed_gives_identical_records) {
    const Generator a(shipped_catalog(), fixed_plan(42, 2000, 400, 100));
    const Generator b(shipped_catalog(), fixed_plan(42, 2000, 400, 100));
    for (model::Kind kind : model::k_all_kinds) {
        for (std::int64_t n = 1; n <= a.count(kind); ++n) {
            ASSERT_EQ(json_of(a, kind, n), json_of(b, kind, n))
                << model::kind_name(kind) << " " << n;
        }
    }
}

TEST(DemoGenerator, record_does_not_depend_on_generation_order) {
    const Generator gen(shipped_catalog(), fixed_plan(42, 2000, 400, 100));
    model::Arena arena;
    std::string in_sequence;
    for (std::int64_t n = 1; n <= 300; ++n) {
        const std::string json = model::record_to_json(gen.cv(n, arena));
        if (n == 300) {
            in_sequence = json;
        }
    }
    EXPECT_EQ(json_of(gen, model::Kind::cv, 300), in_sequence);
}

TEST(DemoGenerator, different_seed_gives_different_records) {
    const Generator a(shipped_catalog(), fixed_plan(1, 500, 100, 50));
    const Generator b(shipped_catalog(), fixed_plan(2, 500, 100, 50));
    for (model::Kind kind : model::k_all_kinds) {
        int same = 0;
        for (std::int64_t n = 1; n <= a.count(kind); ++n) {
            same += json_of(a, kind, n) == json_of(b, kind, n) ? 1 : 0;
        }
        EXPECT_EQ(same, 0) << model::kind_name(kind);
    }
}

TEST(DemoGenerator, different_as_of_shifts_the_timestamps) {
    auto plan = fixed_plan(1, 10, 10, 10);
    const Generator a(shipped_catalog(), plan);
    plan.as_of += 86400 * 30;
    const Generator b(shipped_catalog(), plan);
    EXPECT_NE(json_of(a, model::Kind::cv, 1), json_of(b, model::Kind::cv, 1));
}

TEST(DemoGenerator, ids_are_numbered_per_kind) {
    const Generator gen(shipped_catalog(), fixed_plan(1, 10, 10, 10));
    model::Arena arena;
    EXPECT_EQ(gen.cv(7, arena).id(), "cv-7");
    EXPECT_EQ(gen.vacancy(3, arena).id(), "vac-3");
    EXPECT_EQ(gen.employer(10, arena).id(), "emp-10");
}

TEST(DemoGenerator, every_record_passes_model_validation) {
    const Generator gen(shipped_catalog(), fixed_plan(7, 2000, 500, 200));
    model::JsonParser parser;
    for (model::Kind kind : model::k_all_kinds) {
        for (std::int64_t n = 1; n <= gen.count(kind); ++n) {
            model::Arena arena;
            const std::string json = model::record_to_json(gen.make(kind, n, arena));
            auto value = parser.parse(json, arena);
            ASSERT_TRUE(value.ok()) << json;
            auto record = model::record_from_json(kind, *value, arena);
            ASSERT_TRUE(record.ok()) << record.error().message << ": " << json;
            ASSERT_EQ(model::record_to_json(*record), json);
        }
    }
}

TEST(DemoGenerator, vacancies_reference_generated_employers) {
    const Generator gen(shipped_catalog(), without_defects(fixed_plan(3, 0, 500, 40)));
    model::Arena arena;
    for (std::int64_t n = 1; n <= 500; ++n) {
        const auto& id = gen.vacancy(n, arena).field("employer_id").string;
        ASSERT_TRUE(id.starts_with("emp-")) << id;
        const int k = std::stoi(std::string(id.substr(4)));
        EXPECT_GE(k, 1);
        EXPECT_LE(k, 40);
    }
}

// employer.duplicate's normalised name (default-rules.md).
std::string normalised_name(std::string_view name) {
    std::string lower;
    for (char c : name) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string out;
    std::size_t pos = 0;
    while (pos < lower.size()) {
        std::size_t end = lower.find(' ', pos);
        end = end == std::string::npos ? lower.size() : end;
        const std::string token = lower.substr(pos, end - pos);
        if (token != "b.v." && token != "bv" && token != "n.v." && token != "nv" &&
            token != "v.o.f." && token != "vof") {
            for (char c : token) {
                out += std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) ? std::string(1, c)
                                                                                 : "";
            }
        }
        pos = end + 1;
    }
    return out;
}

TEST(DemoGenerator, duplicate_employers_repeat_an_earlier_one_in_another_spelling) {
    auto plan = without_defects(fixed_plan(21, 0, 0, 2000));
    plan.defects[Defect::employer_duplicate] = 0.05;
    const Generator gen(shipped_catalog(), plan);
    int duplicates = 0;
    int respelled = 0;
    for (std::int64_t n = 1; n <= 2000; ++n) {
        model::Arena arena;
        DefectSet set;
        const model::Record dup = gen.employer(n, arena, &set);
        const auto target = gen.employer_core(n).duplicate_of;
        ASSERT_EQ(target != 0, set[static_cast<std::size_t>(Defect::employer_duplicate)]);
        if (target == 0) {
            continue;
        }
        ++duplicates;
        ASSERT_LT(target, n);
        const model::Record original = gen.employer(target, arena);
        EXPECT_EQ(normalised_name(dup.field("name").string),
                  normalised_name(original.field("name").string));
        respelled += dup.field("name").string != original.field("name").string ? 1 : 0;
        EXPECT_EQ(dup.field("postcode").string.substr(0, 4),
                  original.field("postcode").string.substr(0, 4));
        EXPECT_GT(dup.field("created_at").string, original.field("created_at").string);
    }
    EXPECT_GT(duplicates, 50);
    EXPECT_GT(respelled, duplicates * 3 / 4);
}

TEST(DemoGenerator, peers_of_the_most_common_occupation_share_a_skill) {
    const Generator gen(shipped_catalog(), fixed_plan(5, 5000, 0, 0));
    std::map<std::string, std::vector<std::set<std::string>>> by_code;
    for (std::int64_t n = 1; n <= 5000; ++n) {
        model::Arena arena;
        const model::Record r = gen.cv(n, arena);
        const auto& occupations = r.field("desired_occupations");
        if (occupations.is_missing()) {
            continue;
        }
        std::set<std::string> skills;
        for (const auto& s : r.field("skills").items) {
            skills.emplace(s.string);
        }
        by_code[std::string(occupations.items[0].get("code").string)].push_back(skills);
    }
    const auto largest = std::max_element(
        by_code.begin(), by_code.end(),
        [](const auto& x, const auto& y) { return x.second.size() < y.second.size(); });
    ASSERT_GE(largest->second.size(), 100u);
    std::map<std::string, std::size_t> counts;
    for (const auto& skills : largest->second) {
        for (const auto& s : skills) {
            ++counts[s];
        }
    }
    std::size_t best = 0;
    for (const auto& [skill, count] : counts) {
        best = std::max(best, count);
    }
    EXPECT_GE(static_cast<double>(best), 0.4 * static_cast<double>(largest->second.size()))
        << largest->first;
}

}  // namespace
}  // namespace spiegel::demo
