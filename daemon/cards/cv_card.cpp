// build_cv_card (personal_card.h): the CV card's JSON. The shared parts
// (score, grade, dimensions, trend, failing rules, the choice of peers)
// come from record_summary.h; here: the peer comparison, the suggestions
// from peers and the contact block.

#include <algorithm>
#include <set>

#include "daemon/cards/card_json.h"
#include "daemon/cards/personal_card.h"
#include "daemon/cards/record_summary.h"
#include "daemon/cards/peer_bands.h"
#include "daemon/cards/suppression.h"

namespace spiegel::cards {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_items = 5;
constexpr std::int64_t k_skill_share = 40;    // percent of peers, inclusive
constexpr std::int64_t k_licence_share = 50;  // percent of peers, exclusive

struct Counted {
    std::string value;
    std::int64_t count = 0;
};

// Calls take(value, count) for the values of `attribute` held by >= k peers
// and not in `own`, largest first (ties in value order), until it returns
// false. Walks the group's ranked values (ranked once per group and scan by
// the card reader), so a card looks at few more values than it shows.
template <typename Take>
void each_missing(const PeerGroupCounts& group, const std::string& attribute, const std::set<std::string>& own,
                  int k, Take take) {
    const auto a = group.counts.find(attribute);
    if (a == group.counts.end()) {
        return;
    }
    store::RankedValues local;
    const store::RankedValues* ranked = nullptr;
    if (const store::RankedAttributes* all = group.counts.ranked()) {
        if (const auto r = all->find(attribute); r != all->end()) {
            ranked = &r->second;
        }
    }
    if (ranked == nullptr) {  // counts not ranked by the reader (a hand-made input)
        local = store::rank_values(a->second);
        ranked = &local;
    }
    for (store::RankedEntry entry : *ranked) {
        const auto& [value, n] = *entry;
        if (n < k) {
            return;  // and so are the rest
        }
        if (!value.empty() && own.count(value) == 0 && !take(value, n)) {
            return;
        }
    }
}

std::string percent_text(int percent) {
    return std::to_string(percent) + "%";
}

void write_peers(util::JsonSink& out, const CvCardInput& input, const CardCatalog& catalog, const PeerChoice& choice) {
    const std::string& own = input.result.occupation;
    const bool known = known_occupation(catalog.codes, own);
    const std::string code = choice.group ? choice.group->code : known ? own : std::string();
    const std::string title = code.empty() ? std::string() : occupation_title(catalog.codes, code);
    out.begin_object();
    out.field("basis", choice.basis);
    if (!choice.group) {
        out.field("better_than_percent", nullptr);
        out.field("code", code);
        out.field("peers", nullptr);
        out.field("same_percent", nullptr);
        out.field("text", own.empty() ? "Op uw cv staat geen gewenst beroep. Daarom kunnen we uw cv "
                                        "niet vergelijken met andere cv's."
                          : !known    ? "Uw gewenste beroep heeft geen bekende beroepscode. Daarom kunnen we uw "
                                        "cv niet vergelijken met andere cv's."
                                      : "Er zijn te weinig vergelijkbare werkzoekenden om uw cv mee te "
                                        "vergelijken.");
        out.field("title", title);
        out.end_object();
        return;
    }
    const std::int64_t below = std::min(choice.group->below, choice.others);
    const int percent = whole_percent(below, choice.others);
    out.field("better_than_percent", percent);
    out.field("code", code);
    out.field("peers", choice.others);
    out.field("same_percent", same_percent(choice.others_equal, choice.others, percent));
    std::string text = "Uw cv scoort beter dan " + percent_text(percent) + " van " +
                       dutch_count(choice.others) + " werkzoekenden die ook werk zoeken ";
    text += choice.basis == "occupation" ? "als " : "in de beroepsgroep ";
    out.field("text", full_stop(text + in_sentence(title) +
                                same_score_text(choice.others_equal, choice.others, percent)));
    out.field("title", title);
    out.end_object();
}

void write_skills(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result, int k) {
    const std::set<std::string> own(result.peer.skills.begin(), result.peer.skills.end());
    std::size_t shown = 0;
    out.begin_array();
    each_missing(*choice.group, "skill", own, k, [&](const std::string& value, std::int64_t count) {
        if (count * 100 < k_skill_share * choice.others || shown == k_max_items) {
            return false;  // the rest hold fewer
        }
        const int percent = whole_percent(count, choice.others);
        out.begin_object();
        out.field("count", count);
        out.field("percent", percent);
        out.field("skill", value);
        out.field("text", percent_text(percent) + " van de vergelijkbare werkzoekenden noemt '" + value +
                              "'. Kunt u dit ook? Zet het dan op uw cv.");
        out.end_object();
        ++shown;
        return true;
    });
    out.end_array();
}

void write_licence(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result, int k) {
    const auto a = choice.group->counts.find("licence");
    if (a == choice.group->counts.end()) {
        out.null();
        return;
    }
    Counted best;
    for (const auto& [value, n] : a->second) {
        if (!value.empty() && n > best.count) {
            best = {value, n};
        }
    }
    const auto& own = result.peer.licences;
    if (best.count < k || best.count * 100 <= k_licence_share * choice.others ||
        std::find(own.begin(), own.end(), best.value) != own.end()) {
        out.null();
        return;
    }
    const int percent = whole_percent(best.count, choice.others);
    out.begin_object();
    out.field("count", best.count);
    out.field("licence", best.value);
    out.field("percent", percent);
    out.field("text", percent_text(percent) + " van de vergelijkbare werkzoekenden heeft rijbewijs " + best.value +
                          ". Heeft u dit rijbewijs ook? Zet het dan op uw cv.");
    out.end_object();
}

void write_alternatives(util::JsonSink& out, const PeerChoice& choice, const engine::ResultRow& result,
                        const CardCatalog& catalog, int k) {
    std::set<std::string> own(result.peer.co_occupations.begin(), result.peer.co_occupations.end());
    own.insert(result.occupation);
    std::size_t shown = 0;
    out.begin_array();
    each_missing(*choice.group, "co_occupation", own, k, [&](const std::string& value, std::int64_t count) {
        if (shown == k_max_items) {
            return false;
        }
        if (!known_occupation(catalog.codes, value)) {
            return true;  // a code peers made up is no occupation to suggest
        }
        const int percent = whole_percent(count, choice.others);
        const std::string title = occupation_title(catalog.codes, value);
        out.begin_object();
        out.field("code", value);
        out.field("count", count);
        out.field("percent", percent);
        out.field("text", percent_text(percent) + " van de vergelijkbare werkzoekenden zoekt ook werk als " +
                              full_stop(in_sentence(title)) + " Misschien past dit beroep ook bij u.");
        out.field("title", title);
        out.end_object();
        ++shown;
        return true;
    });
    out.end_array();
}

void write_open_vacancies(util::JsonSink& out, const CvCardInput& input, const CardCatalog& catalog, int k) {
    if (!input.open_vacancies_in_region || !known_occupation(catalog.codes, input.result.occupation) ||
        !catalog.codes.regions.contains(input.result.region)) {  // "uw regio" must be one
        out.null();
        return;
    }
    const Cell cell = single_cell(*input.open_vacancies_in_region, k);
    const std::string amount = cell.suppressed ? "minder dan " + std::to_string(k)
                                               : dutch_count(*input.open_vacancies_in_region);
    const std::string sentence =
        full_stop("In uw regio zijn nu " + amount + " open vacatures voor " +
                  in_sentence(occupation_title(catalog.codes, input.result.occupation)));
    write_figure(out, cell, k, &sentence);
}

void write_suggestions(util::JsonSink& out, const CvCardInput& input, const CardCatalog& catalog,
                       const PeerChoice& choice, int k) {
    out.begin_object();
    out.key("alternative_occupations");
    if (choice.group) {
        write_alternatives(out, choice, input.result, catalog, k);
    } else {
        out.begin_array();
        out.end_array();
    }
    out.key("licence");
    if (choice.group) {
        write_licence(out, choice, input.result, k);
    } else {
        out.null();
    }
    out.key("open_vacancies");
    write_open_vacancies(out, input, catalog, k);
    out.key("skills");
    if (choice.group) {
        write_skills(out, choice, input.result, k);
    } else {
        out.begin_array();
        out.end_array();
    }
    out.end_object();
}

void write_contact(util::JsonSink& out, const CvCardInput& input, const PersonalParams& params) {
    if (!params.include_contact || !input.contact ||
        (input.contact->email.empty() && input.contact->phone.empty())) {
        out.null();  // no contact details in the card: no empty block
        return;
    }
    out.begin_object();
    out.field("email", input.contact->email);
    out.field("phone", input.contact->phone);
    out.end_object();
}

}  // namespace

void write_cv_card(util::JsonSink& out, const CvCardInput& input, const CardCatalog& catalog,
                   const PersonalParams& params) {
    const int k = params.min_cell;
    const engine::ResultRow& result = input.result;
    const double score = round_to(result.score, 1);
    const Grade grade = grade_for(score);
    const PeerChoice choice =
        known_occupation(catalog.codes, result.occupation)
            ? choose_peers(input.occupation_peers, input.group_peers, result.peer.visible, k)
            : PeerChoice{};
    out.begin_object();
    out.field("as_of", input.scan_as_of);
    out.key("contact");
    write_contact(out, input, params);
    out.key("dimensions");
    write_dimensions(out, result);
    out.key("failing_rules");
    write_failing_rules(out, result, catalog);
    out.field("grade", grade.letter);
    out.field("grade_label", grade.label);
    out.field("id", result.id);
    out.field("min_cell", k);
    if (params.peer_bands && choice.group) {
        out.key("peer_bands");
        write_peer_bands(out, choice.group->bands, score, k);
    }
    out.key("peers");
    write_peers(out, input, catalog, choice);
    out.field("score", score);
    out.field("score_text", score_text(score));
    out.key("suggestions");
    write_suggestions(out, input, catalog, choice, k);
    out.key("trend");
    write_trend(out, input.trend, "Uw score");
    out.field("type", "cv");
    out.end_object();
}

json build_cv_card(const CvCardInput& input, const CardCatalog& catalog, const PersonalParams& params) {
    util::JsonDomSink tree;
    write_cv_card(tree, input, catalog, params);
    return tree.take();
}

}  // namespace spiegel::cards
