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
            ASSERT_EQ(json_of(a, kind, n), json_of(b, kind, n)) << model::kind_name(kind) << " " << n;
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
    const auto largest = std::max_element(by_code.begin(), by_code.end(), [](const auto& x, const auto& y) {
        return x.second.size() < y.second.size();
    });
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
    EXPECT_GE(static_cast<double>(best), 0.4 * static_cast<double>(largest->second.size())) << largest->first;
}

}  // namespace
}  // namespace spiegel::demo
