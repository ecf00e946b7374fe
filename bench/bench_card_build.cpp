// bench_card_build: the time to build one CV card's JSON (no database, no
// HTTP; wall clock on one thread) against how many distinct values its peer
// group holds. A card suggests at most five skills and five other
// occupations. With the group's values ranked once per scan (what the card
// reader keeps with every peer group it reads, store::rank_attributes) a
// card walks only those few; unranked (a hand-made input) it ranks the
// values of both attributes itself, every card, much as every card did
// before the reader ranked them.
//
//   build-bench/bench/bench_card_build [cards per size]
//
// Prints microseconds per card for 100 to 100,000 distinct skills (and as
// many other occupations) per group, then the cost of writing one such
// card as served text: nlohmann's dump(2) against util::json_text (the
// same bytes, checked here), and the card built as a tree and written
// against the builder writing the text itself (util::JsonTextSink).
// Figures, not assertions.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/bench_support.h"
#include "daemon/cards/personal_card.h"
#include "daemon/util/json_sink.h"
#include "daemon/util/json_text.h"

namespace {

using Clock = std::chrono::steady_clock;

spiegel::cards::CvCardInput input_with(int distinct) {
    spiegel::cards::CvCardInput in;
    in.result.kind = spiegel::model::Kind::cv;
    in.result.id = "cv-1";
    in.result.score = 62.5;
    in.result.rated = true;
    in.result.failed = {"cv.skills"};
    in.result.dimensions = {50.0, 75.0, -1.0, -1.0, -1.0, -1.0};
    in.result.region = "AM21";
    in.result.occupation = "2512";
    in.result.peer.visible = true;
    in.result.peer.skills = {"skill-000001", "skill-000002"};
    in.scan_as_of = "2026-12-01T06:00:00Z";
    in.trend = {{"2026-11-01T06:00:00Z", 50.0}, {"2026-12-01T06:00:00Z", 62.5}};
    spiegel::cards::PeerGroupCounts group;
    group.code = "2512";
    group.members = 1'000'001;
    group.below = 400'000;
    group.bands = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    auto& counts = group.counts.edit();
    const int occupations[] = {2511, 2513, 2514, 2519, 2521, 2522, 2523, 2529};
    for (int i = 0; i < distinct; ++i) {
        char skill[32];
        std::snprintf(skill, sizeof skill, "skill-%06d", i);
        // A few common values, a long tail of rare ones.
        counts["skill"][skill] = i < 8 ? 900'000 - i * 50'000 : 10 + (i * 7919) % 5000;
        char code[32];
        std::snprintf(code, sizeof code, "%04d", i < 8 ? occupations[i] : 3000 + i);
        counts["co_occupation"][code] = i < 8 ? 300'000 - i * 10'000 : 10 + (i * 104729) % 5000;
    }
    in.occupation_peers = group;
    return in;
}

double micros_per_card(const spiegel::cards::CvCardInput& in, const spiegel::cards::CardCatalog& catalog,
                       int cards) {
    std::size_t sink = 0;
    const auto start = Clock::now();
    for (int i = 0; i < cards; ++i) {
        sink += spiegel::cards::build_cv_card(in, catalog, {10, false}).size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (sink == 0) {
        std::printf("(empty card)\n");
    }
    return seconds * 1e6 / cards;
}

// Microseconds per text of card written by write().
template <typename Write>
double micros_per_text(const nlohmann::json& card, int texts, Write write) {
    std::size_t sink = 0;
    const auto start = Clock::now();
    for (int i = 0; i < texts; ++i) {
        sink += write(card).size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (sink == 0) {
        std::printf("(empty text)\n");
    }
    return seconds * 1e6 / texts;
}

}  // namespace

int main(int argc, char** argv) {
    const int cards = argc > 1 ? std::atoi(argv[1]) : 2000;
    const std::string rules_dir = spiegel::bench::shipped_rules_dir();
    auto catalog = spiegel::cards::CardCatalog::load(
        std::filesystem::exists(rules_dir) ? rules_dir : std::string(std::getenv("PWD")) + "/rules");
    if (!catalog) {
        std::fprintf(stderr, "bench_card_build: %s\n", catalog.error().message.c_str());
        return 1;
    }
    std::printf("bench_card_build: CV card JSON, %d cards per size, us per card\n", cards);
    std::printf("%-28s %14s %14s\n", "distinct skills, occupations", "ranked once", "unranked");
    for (int distinct : {100, 1000, 10'000, 100'000}) {
        auto in = input_with(distinct);
        const int n = distinct >= 100'000 ? std::max(cards / 50, 10) : cards;
        const double per_card = micros_per_card(in, **catalog, n);
        auto counts = std::make_shared<const spiegel::store::AttributeCounts>(in.occupation_peers->counts.get());
        in.occupation_peers->counts = spiegel::store::SharedAttributeCounts(
            counts, std::make_shared<const spiegel::store::RankedAttributes>(spiegel::store::rank_attributes(*counts)));
        const double once = micros_per_card(in, **catalog, cards);
        std::printf("%-28d %14.1f %14.1f\n", distinct, once, per_card);
    }
    const nlohmann::json card = spiegel::cards::build_cv_card(input_with(100), **catalog, {10, true});
    const auto by_nlohmann = [](const nlohmann::json& j) {
        return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    const auto by_json_text = [](const nlohmann::json& j) { return spiegel::util::json_text(j, 2); };
    const std::string text = by_json_text(card);
    std::printf("card text (%zu bytes), us per card: nlohmann dump(2) %.1f, util::json_text %.1f%s\n", text.size(),
                micros_per_text(card, cards * 5, by_nlohmann), micros_per_text(card, cards * 5, by_json_text),
                text == by_nlohmann(card) ? "" : " (TEXTS DIFFER)");
    // The served form end to end: the tree built and written, against the
    // builder writing the text itself (what the JSON route does).
    const auto input = input_with(100);
    const spiegel::cards::PersonalParams params{10, true, true};
    const auto via_tree = [&](const nlohmann::json&) {
        return spiegel::util::json_text(spiegel::cards::build_cv_card(input, **catalog, params), 2);
    };
    const auto via_sink = [&](const nlohmann::json&) {
        std::string out;
        out.reserve(8192);
        spiegel::util::JsonTextSink sink(out, 2);
        spiegel::cards::write_cv_card(sink, input, **catalog, params);
        return out;
    };
    std::printf("card built and written, us per card: as a tree then its text %.1f, straight into text %.1f%s\n",
                micros_per_text(card, cards * 2, via_tree), micros_per_text(card, cards * 2, via_sink),
                via_tree(card) == via_sink(card) ? "" : " (TEXTS DIFFER)");
    return 0;
}
