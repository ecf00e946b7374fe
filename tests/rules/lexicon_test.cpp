// The shipped discrimination lexicon (rules/lexicons/discrimination.yaml)
// and the phrase syntax.

#include "daemon/rules/lexicon.h"
#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

class DiscriminationPositive : public ::testing::TestWithParam<const char*> {};
class DiscriminationNegative : public ::testing::TestWithParam<const char*> {};

TEST_P(DiscriminationPositive, is_caught) { EXPECT_TRUE(shipped().matches(GetParam())) << GetParam(); }
TEST_P(DiscriminationNegative, is_allowed) { EXPECT_FALSE(shipped().matches(GetParam())) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(
    Spec, DiscriminationPositive,
    ::testing::Values("Je bent maximaal 30 jaar.", "max. 25 jaar", "Max 25 jaar oud", "tot 35 jaar",
                      "niet ouder dan 40 jaar", "NIET   OUDER\tDAN\n40 JAAR", "leeftijd tussen 18 en 25 jaar",
                      "maximaal 15 jaar", "maximaal 70 jaar", "Wij zoeken iemand jong en dynamisch!",
                      "Een jonge collega gezocht", "Kom in ons jong team", "Schoolverlater?",
                      "pas afgestudeerd", "Scholier gezocht", "alleen mannen", "Uitsluitend dames",
                      "alleen heren", "uitsluitend vrouwen", "Nederlands als moedertaal", "moedertaal Nederlands",
                      "accentloos Nederlands", "van Nederlandse afkomst", "Native speaker English",
                      "max.\u00a025\u00a0jaar", "Je bent MAXIMAAL 30 JAAR en ...",
                      "(maximaal 30 jaar)", "tussen de 20 en 30 jaar", "maximaal 30 jaar werkervaring, maximaal 30 jaar"));

INSTANTIATE_TEST_SUITE_P(
    Spec, DiscriminationNegative,
    ::testing::Values("minimaal 5 jaar werkervaring", "juniorfunctie", "jongerenwerker", "Jongbloed B.V.",
                      "tot 38 uur per week", "jaarcontract", "de opleiding duurt maximaal 2 jaar",
                      "tussen 2 en 5 jaar werkervaring", "tussen 18 en 25 jaar ervaring", "tussen de 18 en 25 jaar werkervaring", "minimaal 18 jaar", "maximaal 30 jaar werkervaring",
                      "max. 14 jaar", "maximaal 71 jaar", "maximaal 300 jaar", "maximaal 30 jaren",
                      "maximaal30 jaar", "jongeren", "niet alleen mannen maar ook vrouwen", "alleenstaande mannen",
                      "Nederlands is je moedertaal niet vereist", ""));

TEST(PhraseSyntax, alternatives_and_ranges_translate_to_regex) {
    std::string error;
    const auto re = rules::phrase_to_regex("{a|b c} <1-3>", error);
    EXPECT_TRUE(error.empty());
    EXPECT_NE(re.find("(?:3|2|1)"), std::string::npos);
}

TEST(PhraseSyntax, bad_phrases_are_reported) {
    for (const char* bad : {"{open", "<5-2> jaar", "<a-b>", "x }", ""}) {
        std::string error;
        rules::phrase_to_regex(bad, error);
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST(PhraseSyntax, exceptions_allow_the_listed_context_only) {
    std::vector<rules::Diagnostic> diags;
    rules::LexiconEntry e;
    e.phrase = "tot <15-70> jaar";
    e.unless_followed_by = {"Ervaring"};
    e.unless_preceded_by = {"leeftijd"};
    const auto lex = rules::Lexicon::compile({e}, "x", diags);
    ASSERT_TRUE(lex);
    EXPECT_FALSE(lex->matches("tot 20 jaar ervaring"));
    EXPECT_FALSE(lex->matches("leeftijd tot 20 jaar"));
    EXPECT_TRUE(lex->matches("tot 20 jaar oud"));
    EXPECT_TRUE(lex->matches("tot 20 jaar ervaring en tot 30 jaar oud"));
}

TEST(PhraseSyntax, matching_is_unicode_case_insensitive_with_unicode_word_boundaries) {
    std::vector<rules::Diagnostic> diags;
    rules::LexiconEntry e;
    e.phrase = "één collega";
    const auto lex = rules::Lexicon::compile({e}, "x", diags);
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("ÉÉN COLLEGA"));
    EXPECT_FALSE(lex->matches("geéén collega"));
    EXPECT_FALSE(lex->matches("één collegaë"));
}

TEST(LexiconFile, a_bad_phrase_is_echoed_escaped) {
    TempDir dir;
    write_file(dir.file("lex.yaml"), "phrases:\n  - \"jong\\n{team\"\n");
    std::vector<rules::Diagnostic> diags;
    EXPECT_EQ(rules::load_lexicon_file(dir.file("lex.yaml"), diags), nullptr);
    ASSERT_EQ(diags.size(), 1U);
    EXPECT_EQ(diags[0].to_string(), dir.file("lex.yaml") + ":2:5: phrase 'jong\\n{team': unterminated '{' in phrase");
}

// Context phrases are plain words (docs/rules.md); and a file with a
// structural problem still has its phrases checked, so check lists all.
TEST(LexiconFile, context_phrases_are_plain_words_and_every_problem_is_reported) {
    TempDir dir;
    write_file(dir.file("lex.yaml"),
               "contexts:\n  sport:\n    within: 0\n    phrases: [\"{jong|oud}\"]\nphrases:\n  - \"jong{team\"\n");
    std::vector<rules::Diagnostic> diags;
    EXPECT_EQ(rules::load_lexicon_file(dir.file("lex.yaml"), diags), nullptr);
    const std::string all = messages(diags);
    EXPECT_NE(all.find(":3:13: within: expected 1 to 30 words"), std::string::npos) << all;
    EXPECT_NE(all.find(":4:14: phrases: context phrases are plain words"), std::string::npos) << all;
    EXPECT_NE(all.find(":6:5: phrase 'jong{team': unterminated '{' in phrase"), std::string::npos) << all;
}

TEST(PhraseSyntax, a_lexicon_too_large_for_one_regex_still_matches_only_its_phrases) {
    // Each phrase compiles alone, but all of them together exceed RE2's
    // memory budget: the lexicon must not then match every text.
    std::string numbers;
    for (int i = 0; i < 300; ++i) {
        numbers += "<0-1000> ";
    }
    std::vector<rules::LexiconEntry> entries;
    for (int i = 0; i < 8; ++i) {  // about 550,000 RE2 instructions together
        rules::LexiconEntry e;
        e.phrase = numbers + "woord" + std::to_string(i);
        entries.push_back(e);
    }
    std::vector<rules::Diagnostic> diags;
    const auto lex = rules::Lexicon::compile(entries, "x", diags);
    ASSERT_TRUE(lex);
    std::string hit;
    for (int i = 0; i < 300; ++i) {
        hit += std::to_string(i) + " ";
    }
    EXPECT_FALSE(lex->matches("een tekst zonder die woorden"));
    EXPECT_FALSE(lex->matches(hit + "woord8"));
    EXPECT_TRUE(lex->matches("in de tekst " + hit + "woord7, en verder"));
}

std::shared_ptr<const rules::Lexicon> lexicon_of(std::vector<rules::LexiconEntry> entries) {
    std::vector<rules::Diagnostic> diags;
    auto lex = rules::Lexicon::compile(entries, "x", diags);
    EXPECT_TRUE(diags.empty());
    return lex;
}

rules::LexiconEntry entry(const char* phrase) {
    rules::LexiconEntry e;
    e.phrase = phrase;
    return e;
}

TEST(UnicodeText, decomposed_and_precomposed_accents_match_the_same) {
    const auto lex = lexicon_of({entry("cliënt gezocht")});
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("Cliënt gezocht"));
    EXPECT_TRUE(lex->matches("Clie\u0308nt gezocht"));  // e + COMBINING DIAERESIS
    EXPECT_FALSE(lex->matches("client gezocht"));       // accents are not dropped
    const auto decomposed = lexicon_of({entry("clie\u0308nt gezocht")});
    ASSERT_TRUE(decomposed);
    EXPECT_TRUE(decomposed->matches("CLIËNT GEZOCHT"));
}

TEST(UnicodeText, full_width_letters_and_digits_match_plain_phrases) {
    EXPECT_TRUE(shipped().matches("alleen ｖｒｏｕｗｅｎ"));
    EXPECT_TRUE(shipped().matches("ＡＬＬＥＥＮ ＶＲＯＵＷＥＮ"));
    EXPECT_TRUE(shipped().matches("maximaal ３０ jaar"));
    EXPECT_FALSE(shipped().matches("maximaal ３０ jaar ｗｅｒｋｅｒｖａｒｉｎｇ"));
    const auto lex = lexicon_of({entry("ｖｒｏｕｗ")});  // a full-width phrase matches plain text
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("een Vrouw"));
}

TEST(UnicodeText, invisible_soft_hyphens_and_ligatures_do_not_hide_a_phrase) {
    EXPECT_TRUE(shipped().matches("Schoolver\u00ADlater gezocht"));
    EXPECT_TRUE(shipped().matches("jong\u00A0team"));
    const auto lex = lexicon_of({entry("fiets")});
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("eigen \uFB01ets"));  // LATIN SMALL LIGATURE FI
}

TEST(UnicodeText, sharp_s_and_greek_sigma_case_fold) {
    const auto lex = lexicon_of({entry("straße"), entry("ΟΔΟΣ")});
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("aan de STRASSE"));
    EXPECT_TRUE(lex->matches("Strasse"));
    EXPECT_TRUE(lex->matches("η οδος"));  // final sigma
    EXPECT_FALSE(lex->matches("strase"));
}

TEST(UnicodeText, allowed_contexts_are_compared_folded) {
    rules::LexiconEntry e = entry("tot <15-70> jaar");
    e.unless_followed_by = {"ERVARING", "cliëntcontact"};
    e.unless_preceded_by = {"Leeftijd"};
    const auto lex = lexicon_of({e});
    ASSERT_TRUE(lex);
    EXPECT_FALSE(lex->matches("tot 20 jaar ｅｒｖａｒｉｎｇ"));
    EXPECT_FALSE(lex->matches("tot 20 jaar clie\u0308ntcontact"));
    EXPECT_FALSE(lex->matches("LEEFTIJD tot 20 jaar"));
    EXPECT_TRUE(lex->matches("ＴＯＴ ２０ ＪＡＡＲ oud"));
}

TEST(UnicodeText, invalid_utf8_text_never_matches_across_bad_bytes) {
    EXPECT_FALSE(shipped().matches("\xC3"));
    EXPECT_FALSE(shipped().matches("alleen\xFFmannen"));
    EXPECT_TRUE(shipped().matches("alleen mannen\xC3"));
    EXPECT_TRUE(shipped().matches("\xED\xA0\x80 jong team \xF4\x90\x80\x80"));
    EXPECT_FALSE(shipped().matches(std::string("jong\0team", 9)));
}

TEST(UnicodeText, phrases_that_fold_to_nothing_are_reported) {
    for (const char* bad : {"\u00AD", "{a|\u200B}"}) {
        std::string error;
        rules::phrase_to_regex(bad, error);
        EXPECT_FALSE(error.empty()) << bad;
    }
}

}  // namespace
}  // namespace spiegel::testing
