// The shared definitions of default-rules.md (postcode, e-mail, Dutch phone,
// BSN, discriminating wording) through the shipped rule files.

#include <thread>

#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

using model::Kind;
using rules::RuleState;

const rules::RuleSet& shipped() {
    static const auto set = [] {
        auto result = rules::load_rule_set(source_dir() + "/rules");
        for (const auto& d : result.diagnostics) {
            ADD_FAILURE() << d.to_string();
        }
        return std::move(result.rule_set);
    }();
    return *set;
}

RuleState cv_field(const std::string& id, const std::string& field, const std::string& value) {
    return state(shipped(), id, Kind::cv, R"({"id":"c",")" + field + R"(":)" + value + "}");
}

TEST(ShippedDefinitions, postcode_examples_of_the_contract) {
    for (const char* ok : {"1234AB", "1234 ab", " 1234 AB ", "9999 zz", "1234 Sb"}) {
        EXPECT_EQ(cv_field("cv.postcode.valid", "postcode", std::string("\"") + ok + "\""), RuleState::pass) << ok;
    }
    for (const char* bad : {"0123AB", "1234 SA", "1234 sd", "1234SS", "1234  AB", "12345", "1234A", "1234 A1", ""}) {
        EXPECT_EQ(cv_field("cv.postcode.valid", "postcode", std::string("\"") + bad + "\""), RuleState::fail) << bad;
    }
}

TEST(ShippedDefinitions, email_needs_one_at_a_dotted_domain_and_a_letter_tld) {
    for (const char* ok : {"jan@example.nl", "j.de.vries+cv@mail.example.com"}) {
        EXPECT_EQ(cv_field("cv.email.valid", "email", std::string("\"") + ok + "\""), RuleState::pass) << ok;
    }
    for (const char* bad : {"jan@example", "jan@example.n", "jan@@example.nl", "@example.nl", "jan @example.nl",
                            "jan@exam ple.nl", "jan@example.n1", "a@b@c.nl"}) {
        EXPECT_EQ(cv_field("cv.email.valid", "email", std::string("\"") + bad + "\""), RuleState::fail) << bad;
    }
    EXPECT_EQ(cv_field("cv.email.valid", "email", "null"), RuleState::pass);
}

TEST(ShippedDefinitions, dutch_phone_after_removing_separators) {
    for (const char* ok : {"0612345678", "06-12345678", "(070) 123 45 67", "+31612345678", "+31 6 1234 5678"}) {
        EXPECT_EQ(cv_field("cv.phone.valid", "phone", std::string("\"") + ok + "\""), RuleState::pass) << ok;
    }
    for (const char* bad : {"061234567", "06123456789", "+3161234567", "0031 6 1234 5678 9", "06.12345678", "+32612345678", "+31 (0)6 12345678"}) {
        EXPECT_EQ(cv_field("cv.phone.valid", "phone", std::string("\"") + bad + "\""), RuleState::fail) << bad;
    }
    EXPECT_EQ(cv_field("cv.phone.valid", "phone", "\"0031612345678\""), RuleState::pass);
}

TEST(ShippedDefinitions, bsn_in_an_experience_description_fails_privacy) {
    EXPECT_EQ(cv_field("cv.privacy.no_bsn", "experience", R"([{"description":"bsn 123456782"}])"), RuleState::fail);
    EXPECT_EQ(cv_field("cv.privacy.no_bsn", "experience", R"([{"description":"tel 0123456782"}])"), RuleState::pass);
}

RuleState vacancy_text(const std::string& title, const std::string& target_groups = "[]") {
    return state(shipped(), "vacancy.text.no_discrimination", Kind::vacancy,
                 R"({"id":"v","title":")" + title + R"(","target_groups":)" + target_groups + "}");
}

TEST(ShippedDefinitions, discrimination_rule_reads_title_and_description_and_skips_target_group_vacancies) {
    EXPECT_EQ(vacancy_text("Monteur, maximaal 30 jaar"), RuleState::fail);
    EXPECT_EQ(vacancy_text("Monteur, minimaal 5 jaar werkervaring"), RuleState::pass);
    EXPECT_EQ(vacancy_text("Monteur, maximaal 30 jaar", R"(["jongeren"])"), RuleState::not_applicable);
    EXPECT_EQ(vacancy_text("Monteur, maximaal 30 jaar", R"(["50plus","ww"])"), RuleState::not_applicable);
    EXPECT_EQ(state(shipped(), "vacancy.text.no_discrimination", Kind::vacancy,
                    R"({"id":"v","description":"Wij zoeken uitsluitend\u00a0dames."})"),
              RuleState::fail);
}

TEST(ShippedDefinitions, target_group_words_must_be_flagged) {
    const auto s = [](const std::string& json) {
        return state(shipped(), "vacancy.target_group.flagged", Kind::vacancy, json);
    };
    EXPECT_EQ(s(R"({"id":"v","description":"Ook via de Banenafspraak."})"), RuleState::fail);
    EXPECT_EQ(s(R"({"id":"v","description":"Ook via de banenafspraak.","target_groups":["banenafspraak"]})"),
              RuleState::pass);
    EXPECT_EQ(s(R"({"id":"v","title":"Wajong welkom","target_groups":["banenafspraak"]})"), RuleState::fail);
    EXPECT_EQ(s(R"({"id":"v","title":"banenafspraakbaan"})"), RuleState::pass);
}

TEST(ShippedDefinitions, evaluation_from_several_threads_gives_the_same_outcomes) {
    model::Arena arena;
    std::vector<model::Record> records;
    for (int i = 0; i < 200; ++i) {
        const std::string n = std::to_string(i);
        records.push_back(record(Kind::cv,
                                 R"({"id":"c)" + n + R"(","postcode":")" + (i % 3 ? "1234 AB" : "1234 SA") +
                                     R"(","email":"a)" + n + R"(@x.nl","phone":"06-1234 567)" + std::to_string(i % 10) +
                                     R"(","summary":"bsn 11122233)" + std::to_string(i % 10) + R"( en meer"})",
                                 arena));
    }
    const rules::EvalContext ctx{as_of_seconds(), nullptr};
    std::vector<std::vector<rules::RuleState>> expected;
    rules::Outcome out;
    for (const auto& r : records) {
        shipped().evaluate(r, ctx, out);
        expected.push_back(out.states);
    }
    std::vector<int> mismatches(2, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            rules::Outcome local;
            for (int round = 0; round < 20; ++round) {
                for (std::size_t i = 0; i < records.size(); ++i) {
                    shipped().evaluate(records[i], ctx, local);
                    mismatches[static_cast<std::size_t>(t)] += local.states == expected[i] ? 0 : 1;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(mismatches, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace spiegel::testing
