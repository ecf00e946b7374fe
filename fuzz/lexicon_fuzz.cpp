// Fuzzes phrase lexicons (docs/rules.md, "Lexicons"). Each input is used
// three ways:
// 1. written as a lexicon file and loaded with rules::load_lexicon_file();
//    when it compiles, matches() runs on a few fixed Dutch texts;
// 2. translated with rules::phrase_to_regex() as one phrase;
// 3. matched as a text (any bytes, as an ETL job may store them) against
//    the shipped rules/lexicons/discrimination.yaml.
//
// Invariants (any break traps, so libFuzzer keeps the input):
// - loading returns a lexicon or diagnostics, never both, never neither; it
//   never throws and never crashes (ASan/UBSan watch memory and UB);
// - every diagnostic names the file, a 1-based line and column, a message;
// - a lexicon that loaded never matches a lone space (no phrase can), so it
//   is not silently broken (a broken lexicon matches every text);
// - a phrase that translates without an error gives a non-empty pattern that
//   RE2 accepts, unless it is too large or not UTF-8.

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/rules/lexicon.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace spiegel;
using fuzz::check;

constexpr const char* k_texts[] = {
    "Wij zoeken een enthousiaste kok (m/v) voor 32 uur per week.",
    "Je bent maximaal 30 jaar en hebt minimaal 5 jaar werkervaring.",
    "Niet alleen mannen maar ook vrouwen worden uitgenodigd om te solliciteren.",
    "Tussen de 18 en 25 jaar ervaring, één collega, Nederlands als moedertaal.",
    "",
};

void check_lexicon_file(const std::string& path) {
    std::vector<rules::Diagnostic> diagnostics;
    const auto lexicon = rules::load_lexicon_file(path, diagnostics);
    check((lexicon == nullptr) != diagnostics.empty(),
          "the lexicon loader returns a lexicon or diagnostics, not both or neither");
    for (const auto& d : diagnostics) {
        check(d.file == path, "a lexicon diagnostic names the file");
        check(d.line >= 1 && d.column >= 1, "a diagnostic has a 1-based line and column");
        check(!d.message.empty(), "a diagnostic has a message");
    }
    if (!lexicon) {
        return;
    }
    check(!lexicon->matches(" "), "a loaded lexicon is not broken (it never matches a lone space)");
    for (const char* text : k_texts) {
        lexicon->matches(text);
    }
}

void check_phrase(std::string_view phrase) {
    std::string error;
    const std::string pattern = rules::phrase_to_regex(phrase, error);
    if (!error.empty()) {
        return;
    }
    check(!pattern.empty(), "a phrase without an error has a pattern");
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(false);
    const RE2 re(pattern, options);
    check(re.ok() || re.error_code() == RE2::ErrorPatternTooLarge || re.error_code() == RE2::ErrorBadUTF8,
          "a translated phrase is a valid RE2 pattern (or too large, or not UTF-8)");
}

const rules::Lexicon& shipped() {
    static const std::shared_ptr<const rules::Lexicon> lexicon = [] {
        std::vector<rules::Diagnostic> diagnostics;
        auto l = rules::load_lexicon_file(std::string(SPIEGEL_SOURCE_DIR) + "/rules/lexicons/discrimination.yaml",
                                          diagnostics);
        check(l != nullptr, "the shipped lexicon loads");
        return l;
    }();
    return *lexicon;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = fuzz::ScratchDir::get().file("lexicon.yaml");
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    fuzz::write_input(path, data, size);
    check_lexicon_file(path);
    check_phrase(input);

    shipped().matches(input);
    return 0;
}
