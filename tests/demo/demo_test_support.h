#pragma once
// Shared set-up of the demo tests: the shipped catalog and a fixed plan.

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "daemon/demo/generator.h"
#include "daemon/util/time.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {

inline const demo::Catalog& shipped_catalog() {
    static const demo::Catalog catalog = [] {
        auto c = demo::Catalog::load(source_dir() + "/rules");
        if (!c) {
            ADD_FAILURE() << c.error().message;
            return demo::Catalog{};
        }
        return *c;
    }();
    return catalog;
}

inline constexpr const char* k_demo_as_of = "2026-11-23T00:00:00Z";

inline demo::DemoPlan fixed_plan(std::uint64_t seed, std::int64_t cvs, std::int64_t vacancies,
                                 std::int64_t employers) {
    demo::DemoPlan plan;
    plan.seed = seed;
    plan.as_of = *util::parse_timestamp(k_demo_as_of);
    plan.cvs = cvs;
    plan.vacancies = vacancies;
    plan.employers = employers;
    return plan;
}

inline demo::DemoPlan without_defects(demo::DemoPlan plan) {
    plan.defects.rate.fill(0.0);
    return plan;
}

// Words as in the rule language: maximal runs of letters or digits (bytes
// of multi-byte UTF-8 characters count as letters).
inline std::size_t word_count(std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (unsigned char c : text) {
        const bool w = std::isalnum(c) || c >= 0x80;
        n += (w && !in_word) ? 1 : 0;
        in_word = w;
    }
    return n;
}

}  // namespace spiegel::testing
