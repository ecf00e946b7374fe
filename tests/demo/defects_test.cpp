#include "daemon/demo/defects.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "daemon/demo/generator.h"
#include "tests/demo/demo_test_support.h"

namespace spiegel::demo {
namespace {

using spiegel::testing::fixed_plan;
using spiegel::testing::shipped_catalog;
using spiegel::testing::TempDir;
using spiegel::testing::word_count;
using spiegel::testing::write_file;

TEST(DemoDefects, shipped_file_equals_the_built_in_defaults) {
    auto rates = load_defects(spiegel::testing::source_dir() + "/config/demo-defects.yaml");
    ASSERT_TRUE(rates.ok()) << rates.error().message;
    for (const DefectInfo& d : defect_table()) {
        EXPECT_EQ((*rates)[d.defect], d.default_rate) << d.key;
    }
}

TEST(DemoDefects, file_overrides_only_the_keys_it_names) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "cv:\n  stale: 0.5\nemployer:\n  duplicate: 0\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_TRUE(rates.ok()) << rates.error().message;
    EXPECT_EQ((*rates)[Defect::cv_stale], 0.5);
    EXPECT_EQ((*rates)[Defect::employer_duplicate], 0.0);
    EXPECT_EQ((*rates)[Defect::cv_few_skills], defect_info(Defect::cv_few_skills).default_rate);
}

TEST(DemoDefects, a_section_with_every_rate_commented_out_keeps_the_defaults) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "cv:\n  # stale: 0.5\nvacancy:\n  late_registration: 0.5\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_TRUE(rates) << rates.error().message;
    EXPECT_EQ((*rates)[Defect::vacancy_late_registration], 0.5);
    EXPECT_EQ((*rates)[Defect::cv_stale], defect_info(Defect::cv_stale).default_rate);
}

TEST(DemoDefects, unknown_key_is_an_error_naming_line_and_column) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "cv:\n  stale: 0.1\n  stael: 0.2\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_FALSE(rates.ok());
    EXPECT_NE(rates.error().message.find("d.yaml:3:3: key 'cv.stael': unknown key"), std::string::npos)
        << rates.error().message;
}

TEST(DemoDefects, unknown_section_is_an_error) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "cvs:\n  stale: 0.1\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_FALSE(rates.ok());
    EXPECT_NE(rates.error().message.find("d.yaml:1:1: key 'cvs': unknown key"), std::string::npos)
        << rates.error().message;
}

TEST(DemoDefects, rate_outside_zero_to_one_is_an_error) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "vacancy:\n  late_registration: 5\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_FALSE(rates.ok());
    EXPECT_NE(rates.error().message.find("d.yaml:2:22"), std::string::npos)
        << rates.error().message;
}

TEST(DemoDefects, duplicate_key_is_an_error) {
    TempDir dir;
    write_file(dir.file("d.yaml"), "cv:\n  stale: 0.1\n  stale: 0.2\n");
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_FALSE(rates.ok());
    EXPECT_NE(rates.error().message.find("d.yaml:3:3: key 'cv.stale': duplicate key"), std::string::npos)
        << rates.error().message;
}

TEST(DemoDefects, alias_bomb_is_refused) {
    TempDir dir;
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        const char prev = static_cast<char>(c - 1);
        bomb += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) {
            bomb += std::string(i == 0 ? "*" : ", *") + prev;
        }
        bomb += "]\n";
    }
    write_file(dir.file("d.yaml"), bomb);
    auto rates = load_defects(dir.file("d.yaml"));
    ASSERT_FALSE(rates.ok());
    EXPECT_NE(rates.error().message.find("YAML document too large"), std::string::npos) << rates.error().message;
}

// Defects applied to a sub-population only (their rate is "of X").
bool conditional(Defect d) {
    switch (d) {
        case Defect::cv_missing_email:
        case Defect::cv_missing_phone:
        case Defect::cv_invalid_email:
        case Defect::cv_invalid_phone:
        case Defect::cv_incomplete_banenafspraak:
        case Defect::vacancy_blocked_without_note:
        case Defect::vacancy_discriminating_wording:
        case Defect::vacancy_expired_open:
        case Defect::vacancy_no_contact:
        case Defect::employer_stale_account:
        case Defect::employer_ceased_with_open_vacancies:
            return true;
        default:
            return false;
    }
}

TEST(DemoDefects, each_defect_appears_at_about_its_configured_rate) {
    const Generator gen(shipped_catalog(), fixed_plan(13, 20000, 10000, 10000));
    std::array<std::int64_t, k_defect_count> hits{};
    for (model::Kind kind : model::k_all_kinds) {
        model::Arena arena;
        for (std::int64_t n = 1; n <= gen.count(kind); ++n) {
            DefectSet set;
            (void)gen.make(kind, n, arena, &set);
            for (std::size_t i = 0; i < k_defect_count; ++i) {
                hits[i] += set[i] ? 1 : 0;
            }
            if (n % 1000 == 0) {
                arena.reset();
            }
        }
    }
    for (const DefectInfo& d : defect_table()) {
        const double total = static_cast<double>(gen.count(d.kind));
        const double observed =
            static_cast<double>(hits[static_cast<std::size_t>(d.defect)]) / total;
        EXPECT_GT(observed, 0.0) << d.key << " never injected";
        if (conditional(d.defect)) {
            EXPECT_LE(observed, d.default_rate * 1.1) << d.key;
            continue;
        }
        const double slack = 4 * std::sqrt(d.default_rate * (1 - d.default_rate) / total);
        EXPECT_NEAR(observed, d.default_rate, slack) << d.key;
    }
}

// The injected defects show in the records, and records without them pass
// the same check (so that every rule passes on most records).
TEST(DemoDefects, injected_defects_are_visible_and_absent_otherwise) {
    const Generator gen(shipped_catalog(), fixed_plan(17, 5000, 3000, 0));
    const std::regex email(R"(^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$)");
    const std::regex dutch_phone(R"(^(0[0-9]{9}|\+31[0-9]{9}|0031[0-9]{9})$)");
    const std::regex valid_postcode(R"(^[1-9][0-9]{3} ?[A-Za-z]{2}$)");
    const auto forbidden_pair = [](const std::string& pc) {
        const std::string pair = pc.size() >= 2 ? pc.substr(pc.size() - 2) : pc;
        return pair == "SA" || pair == "SD" || pair == "SS";
    };
    const std::int64_t as_of = gen.plan().as_of;
    model::Arena arena;
    for (std::int64_t n = 1; n <= 5000; ++n) {
        DefectSet set;
        const model::Record r = gen.cv(n, arena, &set);
        const bool short_summary = word_count(r.field("summary").string) < 25;
        EXPECT_EQ(short_summary, set[static_cast<std::size_t>(Defect::cv_short_summary)]) << n;
        const bool few_skills = r.field("skills").items.size() < 3;
        EXPECT_EQ(few_skills, set[static_cast<std::size_t>(Defect::cv_few_skills)]) << n;
        const std::string postcode(r.field("postcode").string);
        const bool bad_postcode =
            !std::regex_match(postcode, valid_postcode) || forbidden_pair(postcode);
        EXPECT_EQ(bad_postcode, set[static_cast<std::size_t>(Defect::cv_invalid_postcode)])
            << postcode;
        const auto updated = util::parse_timestamp(r.field("updated_at").string);
        ASSERT_TRUE(updated.has_value());
        EXPECT_EQ(*updated < as_of - 180 * 86400, set[static_cast<std::size_t>(Defect::cv_stale)])
            << n;
        if (!set[static_cast<std::size_t>(Defect::cv_incomplete_banenafspraak)]) {
            const auto& hours = r.field("hours_per_week");
            const bool bad_hours = hours.is_null() || hours.integer < 1 || hours.integer > 60;
            EXPECT_EQ(bad_hours, set[static_cast<std::size_t>(Defect::cv_bad_hours)]) << n;
            const bool no_travel =
                r.field("max_travel_minutes").is_null() && r.field("max_travel_km").is_null();
            EXPECT_EQ(no_travel, set[static_cast<std::size_t>(Defect::cv_no_travel)]) << n;
        }
        std::string phone;
        for (char c : r.field("phone").string) {
            phone +=
                (c == ' ' || c == '-' || c == '(' || c == ')') ? std::string() : std::string(1, c);
        }
        const bool bad_phone = !phone.empty() && !std::regex_match(phone, dutch_phone);
        EXPECT_EQ(bad_phone, set[static_cast<std::size_t>(Defect::cv_invalid_phone)]) << phone;
        const auto& experience = r.field("experience");
        if (!experience.is_missing()) {
            bool short_text = false;
            for (const auto& e : experience.items) {
                short_text = short_text || word_count(e.get("description").string) < 5;
            }
            EXPECT_EQ(short_text,
                      set[static_cast<std::size_t>(Defect::cv_short_experience_description)])
                << n;
        }
        const auto& mail = r.field("email");
        const bool bad_mail =
            !mail.is_missing() && !std::regex_match(std::string(mail.string), email);
        EXPECT_EQ(bad_mail, set[static_cast<std::size_t>(Defect::cv_invalid_email)]) << mail.string;
    }
    for (std::int64_t n = 1; n <= 3000; ++n) {
        DefectSet set;
        const model::Record r = gen.vacancy(n, arena, &set);
        const bool short_text = word_count(r.field("description").string) < 50;
        EXPECT_EQ(short_text, set[static_cast<std::size_t>(Defect::vacancy_short_description)])
            << n;
        const std::int64_t placements =
            r.field("placements").is_null() ? 0 : r.field("placements").integer;
        const bool extra = r.field("positions").integer > placements + 1;
        EXPECT_EQ(extra, set[static_cast<std::size_t>(Defect::vacancy_extra_positions)]) << n;
    }
}

}  // namespace
}  // namespace spiegel::demo
