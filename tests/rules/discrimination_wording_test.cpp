// The shipped discrimination lexicon beyond literal phrases (issue 13): for
// each category of the College voor de Rechten van de Mens guidance on
// vacancy texts, wording that must be caught and wording that must be left
// alone; and the lexicon syntax behind it (contexts, unless_text_mentions).

#include "daemon/rules/lexicon.h"
#include "tests/rules/rule_fixture.h"

namespace spiegel::testing {
namespace {

void expect_caught(std::initializer_list<const char*> texts) {
    for (const char* t : texts) {
        EXPECT_TRUE(shipped().matches(t)) << "not caught: " << t;
    }
}

void expect_allowed(std::initializer_list<const char*> texts) {
    for (const char* t : texts) {
        EXPECT_FALSE(shipped().matches(t)) << "wrongly caught: " << t;
    }
}

TEST(DiscriminatingWording, explicit_age_limits_in_common_dutch_forms_are_caught) {
    expect_caught({"Je bent maximaal 35 jaar oud.", "leeftijd tot 40", "Leeftijd: tot 40 jaar",
                   "Je bent tussen 25 en 35 jaar.", "tussen de 25 en 35 jaar oud", "Leeftijd: 25-35 jaar",
                   "leeftijd 25 - 35", "Leeftijd: 20 tot 30", "leeftijd tussen de 20 en 30", "Je bent jonger dan 30.",
                   "niet ouder dan 45", "18 tot 25 jaar", "max 35 jr", "Leeftijdsindicatie: 25 jaar",
                   "De maximumleeftijd is 30.", "hoogstens 40 jaar", "Wij zoeken een 25-jarige verkoper",
                   "Ben jij een twintiger met ambitie?"});
}

TEST(DiscriminatingWording, minimum_ages_durations_and_the_people_served_are_left_alone) {
    expect_allowed({"Je bent minimaal 18 jaar.", "Ben je 18 jaar of ouder?", "vanaf 16 jaar",
                    "een contract voor 2 jaar", "contract van 1 tot 2 jaar", "jaarcontract", "5 jaar ervaring",
                    "minimaal 5 jaar werkervaring", "tussen 15 en 20 jaar relevante ervaring", "tot 38 uur per week",
                    "je VOG is niet ouder dan 30 dagen", "je begeleidt jongeren van 16-23 jaar",
                    "kinderen tussen de 15 en 18 jaar", "jongeren in de leeftijd van 16 à 23 jaar",
                    "jongeren van 16 tot 23 jr", "kinderen jonger dan 18",
                    "Er geldt geen leeftijdsgrens.", "Ons bedrijf bestaat 25 jaar.", "de opleiding duurt maximaal 2 jaar"});
}

// Found by a black-box review: customers and guests excused any age limit
// within 8 words after them, and so did the people served when a phrase
// about the candidate came in between.
TEST(DiscriminatingWording, the_people_served_do_not_excuse_an_age_limit_on_the_candidate) {
    expect_caught({"Voor onze klanten zoeken wij een verkoper van maximaal 30 jaar.",
                   "Gastvrije kok voor onze gasten, niet ouder dan 40 jaar",
                   "Je werkt met klanten en bent maximaal 30 jaar",
                   "Wij zoeken voor onze klanten een medewerker van max. 25 jaar",
                   "Je adviseert klanten en bent tussen 25 en 35 jaar",
                   "Wij zoeken een kok voor onze gasten, leeftijd maximaal 30 jaar",
                   "Klanten bellen je; jij bent maximaal 35 jaar oud", "Verkoper klanten max. 25 jaar",
                   "Voor onze bewoners zoeken wij een verzorgende van maximaal 30 jaar",
                   "Voor onze ouderen zoeken we een collega tussen 25 en 35 jaar"});
    expect_allowed({"Wij zoeken een begeleider voor jongeren in de leeftijd van 16-23 jaar",
                    "Voor kinderen tussen de 15 en 18 jaar zoeken wij een mentor",
                    "Ben jij de begeleider die onze kinderen van 15-18 jaar helpt?",
                    "Als jobcoach begeleid je jongeren op zoek naar werk van hooguit 27 jaar.",
                    "Je begeleidt cliënten, gevraagd wordt ervaring met kinderen tot 12 jaar.",
                    "Wij helpen klanten. Je bent minimaal 18 jaar."});
}

// default-rules.md: "maximaal|max.|max|tot|niet ouder dan" followed by an
// age and "jaar", and "tussen N en M jaar", must be caught; only experience
// excuses them. Found by a black-box review: the people served, named up to
// eight words before (even in the sentence before), excused them too.
TEST(DiscriminatingWording, the_contracts_age_forms_are_caught_whoever_comes_before_them) {
    expect_caught({"Ervaring met kinderen is een pré. Maximaal 30 jaar.",
                   "Je werkt met kinderen en bent maximaal 30 jaar.", "Begeleider voor jongeren, maximaal 30 jaar.",
                   "Onze leerlingen verdienen een docent van maximaal 35 jaar.",
                   "Voor onze cliënten zoeken wij een collega, niet ouder dan 40 jaar",
                   "Je begeleidt jongeren en bent max. 25 jaar", "kinderen tussen 15 en 18 jaar",
                   "jongeren in de leeftijd van 16 tot 23 jaar", "Onze bewoners, tussen 25 en 35 jaar"});
    expect_allowed({"Je begeleidt jongeren, tussen 2 en 5 jaar werkervaring", "kinderen, maximaal 20 jaar werkervaring"});
}

TEST(DiscriminatingWording, words_coding_for_age_that_describe_the_candidate_are_caught) {
    expect_caught({"Wij zoeken een jeugdige collega voor de winkel.", "Ben jij jong en ambitieus?",
                   "Gezocht: starter met passie voor techniek", "Wij zoeken een enthousiaste starter.",
                   "Je hebt een jeugdige uitstraling.", "Wij zoeken een jonge hond.", "young professional",
                   "Ben jij een jongedame met verkooptalent?", "net afgestudeerd", "starters op de arbeidsmarkt",
                   "Profiel: jeugdig, representatief en flexibel", "Wij zoeken een beginnende verkoper"});
}

TEST(DiscriminatingWording, the_same_words_describing_others_or_the_company_are_left_alone) {
    expect_allowed({"Je begeleidt jeugdige cliënten.", "Ben jij iemand die graag met jonge kinderen werkt?",
                    "Wij zoeken een begeleider voor oudere bewoners.", "Wij zoeken voor ons jonge bedrijf een verkoper.",
                    "Wij zijn een jong bedrijf.", "Wij zoeken collega's, jong en oud.", "jong en oud zijn welkom",
                    "jongerenwerker", "juniorfunctie", "Wij zoeken een senior adviseur.", "Jongbloed B.V.",
                    "startersfunctie", "de winkel is jong"});
}

TEST(DiscriminatingWording, words_for_one_sex_describing_the_candidate_are_caught) {
    expect_caught({"Wij zoeken een representatieve dame voor de receptie.", "Gezocht: vrouw voor de schoonmaak",
                   "Ben jij de stoere man die wij zoeken?", "Wij zoeken een mannelijke collega.",
                   "bij voorkeur een vrouw", "liefst dames", "enkel mannen", "uitsluitend vrouwen",
                   "Wij zoeken een meisje voor de bediening."});
}

TEST(DiscriminatingWording, inclusive_wording_and_the_people_served_are_left_alone) {
    expect_allowed({"Wij zoeken mannen en vrouwen.", "Wij zoeken dames of heren.",
                    "Wij zoeken zowel mannen als vrouwen.",
                    "Je werkt met vrouwen in de opvang.", "niet alleen mannen maar ook vrouwen",
                    "dames en heren", "alleenstaande mannen", "Wij verwelkomen iedereen, ongeacht leeftijd of geslacht."});
}

TEST(DiscriminatingWording, job_titles_in_one_gender_without_m_v_are_caught) {
    expect_caught({"Verkoopster gezocht", "Serveerster voor ons restaurant", "Barman", "Secretaresse 32 uur",
                   "Wij zoeken een schoonmaakster.", "Gastvrouw Evenementen", "Timmerman voor de nieuwbouw"});
}

TEST(DiscriminatingWording, job_titles_with_m_v_or_both_forms_are_left_alone) {
    expect_allowed({"Verkoopster (m/v)", "Serveerster (v/m)", "Barman (m/v/x)", "Secretaresse (M/V)",
                    "Verkoper/verkoopster", "Barman of barvrouw", "Gastvrouw/gastheer", "Verkoper", "Secretaris",
                    "Schoonmaker", "Gastheer", "Verpleegkundige"});
}

TEST(DiscriminatingWording, origin_and_mother_tongue_are_caught) {
    expect_caught({"Nederlands als moedertaal", "moedertaalspreker Nederlands", "Je spreekt accentloos Nederlands.",
                   "Je spreekt Nederlands zonder accent.", "van Nederlandse afkomst", "met een Nederlandse achtergrond",
                   "autochtone Nederlander", "native speaker"});
}

TEST(DiscriminatingWording, language_requirements_the_work_needs_are_left_alone) {
    expect_allowed({"Je hebt een goede beheersing van de Nederlandse taal.", "Nederlands op B1-niveau",
                    "Je spreekt vloeiend Nederlands en Engels.", "Nederlands en Engels in woord en geschrift",
                    "Je communiceert helder in het Nederlands.", "Nederlands is je moedertaal niet vereist"});
}

// The syntax: a context that a match needs, one that allows it, and a mention
// anywhere in the text that allows it.
rules::LexiconContext context(const std::string& name, int within, std::vector<std::string> phrases) {
    rules::LexiconContext c;
    c.name = name;
    c.within = within;
    c.phrases = std::move(phrases);
    return c;
}

TEST(LexiconContexts, only_after_needs_the_context_within_the_window_in_the_same_sentence) {
    rules::LexiconEntry e;
    e.phrase = "dame";
    e.only_after = "candidate";
    std::vector<rules::Diagnostic> diags;
    const auto lex = rules::Lexicon::compile({e}, "x", diags, {context("candidate", 3, {"wij zoeken"})});
    ASSERT_TRUE(lex) << (diags.empty() ? "" : diags[0].to_string());
    EXPECT_TRUE(lex->matches("Wij zoeken een dame"));
    EXPECT_TRUE(lex->matches("wij  ZOEKEN een nette dame"));
    EXPECT_FALSE(lex->matches("wij zoeken een vriendelijke, nette dame"));  // 4 words back
    EXPECT_FALSE(lex->matches("Wij zoeken. Een dame"));                   // another sentence
    EXPECT_FALSE(lex->matches("een dame"));
    EXPECT_FALSE(lex->matches("een dame, wij zoeken"));                   // after, not before
}

TEST(LexiconContexts, unless_after_allows_a_match_after_its_phrases) {
    rules::LexiconEntry e;
    e.phrase = "tot <15-70> jaar";
    e.unless_after = "others";
    std::vector<rules::Diagnostic> diags;
    const auto lex = rules::Lexicon::compile({e}, "x", diags, {context("others", 3, {"kinderen"})});
    ASSERT_TRUE(lex);
    EXPECT_FALSE(lex->matches("kinderen tot 18 jaar"));
    EXPECT_TRUE(lex->matches("kinderen helpen, jij bent tot 30 jaar"));
    EXPECT_TRUE(lex->matches("tot 30 jaar"));
}

TEST(LexiconContexts, ended_by_ends_a_contexts_reach_at_the_other_contexts_next_phrase) {
    rules::LexiconEntry e;
    e.phrase = "tot <15-70> jaar";
    e.unless_after = "others";
    std::vector<rules::Diagnostic> diags;
    rules::LexiconContext others = context("others", 8, {"kinderen"});
    others.ended_by = "candidate";
    const auto lex = rules::Lexicon::compile({e}, "x", diags, {others, context("candidate", 8, {"wij zoeken"})});
    ASSERT_TRUE(lex) << (diags.empty() ? "" : diags[0].to_string());
    EXPECT_FALSE(lex->matches("kinderen tot 18 jaar"));
    EXPECT_FALSE(lex->matches("wij zoeken iemand voor kinderen tot 18 jaar"));  // the candidate phrase first
    EXPECT_TRUE(lex->matches("voor kinderen wij zoeken iemand tot 30 jaar"));   // in between: about the candidate
    others.ended_by = "kandidaat";
    diags.clear();
    EXPECT_FALSE(rules::Lexicon::compile({e}, "x", diags, {others}));
    ASSERT_FALSE(diags.empty());
    EXPECT_NE(diags[0].message.find("ended_by: no context 'kandidaat'"), std::string::npos) << diags[0].message;
}

TEST(LexiconContexts, unless_text_mentions_allows_every_match_in_that_text) {
    rules::LexiconEntry e;
    e.phrase = "verkoopster";
    e.unless_text_mentions = {"m/v", "verkoper"};
    std::vector<rules::Diagnostic> diags;
    const auto lex = rules::Lexicon::compile({e}, "x", diags);
    ASSERT_TRUE(lex);
    EXPECT_TRUE(lex->matches("Verkoopster gezocht"));
    EXPECT_FALSE(lex->matches("Verkoopster (m/v)"));
    EXPECT_FALSE(lex->matches("verkoopster (M/V/X)"));
    EXPECT_FALSE(lex->matches("Verkoper of verkoopster"));
    EXPECT_TRUE(lex->matches("Verkoopster, geen verkopers"));  // whole words: verkopers is not verkoper
}

TEST(LexiconContexts, a_bad_unless_text_mentions_phrase_is_reported_at_the_entry) {
    rules::LexiconEntry e;
    e.phrase = "verkoopster";
    e.unless_text_mentions = {"m/v", "{verkoper"};
    e.line = 4;
    e.column = 5;
    std::vector<rules::Diagnostic> diags;
    EXPECT_FALSE(rules::Lexicon::compile({e}, "x", diags));
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].line, 4);
    EXPECT_NE(diags[0].message.find("unless_text_mentions"), std::string::npos) << diags[0].message;
    EXPECT_NE(diags[0].message.find("unterminated"), std::string::npos) << diags[0].message;
}

TEST(LexiconContexts, an_unknown_context_is_reported_at_the_entry) {
    rules::LexiconEntry e;
    e.phrase = "dame";
    e.only_after = "kandidaat";
    e.line = 7;
    std::vector<rules::Diagnostic> diags;
    EXPECT_FALSE(rules::Lexicon::compile({e}, "lex.yaml", diags));
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].line, 7);
    EXPECT_NE(diags[0].message.find("only_after: no context 'kandidaat'"), std::string::npos) << diags[0].message;
}

TEST(LexiconContexts, a_lexicon_file_with_a_bad_context_is_refused_with_its_line) {
    TempDir dir;
    const std::string path = dir.file("lex.yaml");
    write_file(path, "contexts:\n  candidate:\n    within: 99\n    phrases: [wij zoeken]\n"
                     "phrases:\n  - {phrase: dame, only_after: candidate}\n");
    std::vector<rules::Diagnostic> diags;
    EXPECT_FALSE(rules::load_lexicon_file(path, diags));
    ASSERT_FALSE(diags.empty());
    EXPECT_EQ(diags[0].line, 3);
    EXPECT_NE(diags[0].message.find("within"), std::string::npos) << diags[0].message;
}

}  // namespace
}  // namespace spiegel::testing
