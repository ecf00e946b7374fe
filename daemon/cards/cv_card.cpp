// build_cv_card (personal_card.h): the CV card's JSON. The shared parts
// (score, grade, dimensions, trend, failing rules, the choice of peers)
// come from record_summary.h; here: the peer comparison, the suggestions
// from peers and the contact block.

#include <algorithm>
#include <set>

#include "daemon/cards/card_json.h"
#include "daemon/cards/personal_card.h"
#include "daemon/cards/record_summary.h"
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

json peers_json(const CvCardInput& input, const CardCatalog& catalog, const PeerChoice& choice) {
    const std::string& own = input.result.occupation;
    json j{{"basis", choice.basis}, {"peers", nullptr}, {"better_than_percent", nullptr}, {"same_percent", nullptr}};
    const bool known = known_occupation(catalog.codes, own);
    j["code"] = choice.group ? choice.group->code : known ? own : std::string();
    j["title"] = j["code"].get<std::string>().empty()
                     ? std::string()
                     : occupation_title(catalog.codes, j["code"].get<std::string>());
    if (!choice.group) {
        j["text"] = own.empty() ? "Op uw cv staat geen gewenst beroep. Daarom kunnen we uw cv "
                                  "niet vergelijken met andere cv's."
                    : !known    ? "Uw gewenste beroep heeft geen bekende beroepscode. Daarom kunnen we uw "
                                  "cv niet vergelijken met andere cv's."
                                : "Er zijn te weinig vergelijkbare werkzoekenden om uw cv mee te "
                                  "vergelijken.";
        return j;
    }
    const std::int64_t below = std::min(choice.group->below, choice.others);
    const int percent = whole_percent(below, choice.others);
    j["peers"] = choice.others;
    j["better_than_percent"] = percent;
    j["same_percent"] = same_percent(choice.others_equal, choice.others, percent);
    std::string text = "Uw cv scoort beter dan " + percent_text(percent) + " van " +
                       dutch_count(choice.others) + " werkzoekenden die ook werk zoeken ";
    text += choice.basis == "occupation" ? "als " : "in de beroepsgroep ";
    j["text"] = full_stop(text + in_sentence(j["title"].get<std::string>()) +
                          same_score_text(choice.others_equal, choice.others, percent));
    return j;
}

json skills_json(const PeerChoice& choice, const engine::ResultRow& result, int k) {
    const std::set<std::string> own(result.peer.skills.begin(), result.peer.skills.end());
    json out = json::array();
    each_missing(*choice.group, "skill", own, k, [&](const std::string& value, std::int64_t count) {
        if (count * 100 < k_skill_share * choice.others || out.size() == k_max_items) {
            return false;  // the rest hold fewer
        }
        const int percent = whole_percent(count, choice.others);
        out.push_back({{"skill", value},
                       {"count", count},
                       {"percent", percent},
                       {"text", percent_text(percent) + " van de vergelijkbare werkzoekenden noemt '" + value +
                                    "'. Kunt u dit ook? Zet het dan op uw cv."}});
        return true;
    });
    return out;
}

json licence_json(const PeerChoice& choice, const engine::ResultRow& result, int k) {
    const auto a = choice.group->counts.find("licence");
    if (a == choice.group->counts.end()) {
        return nullptr;
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
        return nullptr;
    }
    const int percent = whole_percent(best.count, choice.others);
    return {
        {"licence", best.value},
        {"count", best.count},
        {"percent", percent},
        {"text", percent_text(percent) + " van de vergelijkbare werkzoekenden heeft rijbewijs " +
                     best.value + ". Heeft u dit rijbewijs ook? Zet het dan op uw cv."}};
}

json alternatives_json(const PeerChoice& choice, const engine::ResultRow& result,
                       const CardCatalog& catalog, int k) {
    std::set<std::string> own(result.peer.co_occupations.begin(), result.peer.co_occupations.end());
    own.insert(result.occupation);
    json out = json::array();
    each_missing(*choice.group, "co_occupation", own, k, [&](const std::string& value, std::int64_t count) {
        if (out.size() == k_max_items) {
            return false;
        }
        if (!known_occupation(catalog.codes, value)) {
            return true;  // a code peers made up is no occupation to suggest
        }
        const int percent = whole_percent(count, choice.others);
        const std::string title = occupation_title(catalog.codes, value);
        out.push_back({{"code", value},
                       {"title", title},
                       {"count", count},
                       {"percent", percent},
                       {"text", percent_text(percent) + " van de vergelijkbare werkzoekenden zoekt ook werk als " +
                                    full_stop(in_sentence(title)) + " Misschien past dit beroep ook bij u."}});
        return true;
    });
    return out;
}

json open_vacancies_json(const CvCardInput& input, const CardCatalog& catalog, int k) {
    if (!input.open_vacancies_in_region || !known_occupation(catalog.codes, input.result.occupation) ||
        !catalog.codes.regions.contains(input.result.region)) {  // "uw regio" must be one
        return nullptr;
    }
    const Cell cell = single_cell(*input.open_vacancies_in_region, k);
    json j = figure_json(cell, k);
    const std::string amount = cell.suppressed ? "minder dan " + std::to_string(k)
                                               : dutch_count(*input.open_vacancies_in_region);
    j["sentence"] = full_stop("In uw regio zijn nu " + amount + " open vacatures voor " +
                              in_sentence(occupation_title(catalog.codes, input.result.occupation)));
    return j;
}

json suggestions_json(const CvCardInput& input, const CardCatalog& catalog,
                      const PeerChoice& choice, int k) {
    json j{{"skills", json::array()},
           {"licence", nullptr},
           {"alternative_occupations", json::array()},
           {"open_vacancies", open_vacancies_json(input, catalog, k)}};
    if (choice.group) {
        j["skills"] = skills_json(choice, input.result, k);
        j["licence"] = licence_json(choice, input.result, k);
        j["alternative_occupations"] = alternatives_json(choice, input.result, catalog, k);
    }
    return j;
}

json contact_json(const CvCardInput& input, const PersonalParams& params) {
    if (!params.include_contact || !input.contact ||
        (input.contact->email.empty() && input.contact->phone.empty())) {
        return nullptr;  // no contact details in the card: no empty block
    }
    return {{"email", input.contact->email}, {"phone", input.contact->phone}};
}

}  // namespace

json build_cv_card(const CvCardInput& input, const CardCatalog& catalog,
                   const PersonalParams& params) {
    const int k = params.min_cell;
    json card{
        {"type", "cv"}, {"id", input.result.id}, {"as_of", input.scan_as_of}, {"min_cell", k}};
    add_summary(card, input.result, input.trend, catalog, "Uw score");
    const PeerChoice choice =
        known_occupation(catalog.codes, input.result.occupation)
            ? choose_peers(input.occupation_peers, input.group_peers, input.result.peer.visible, k)
            : PeerChoice{};
    card["peers"] = peers_json(input, catalog, choice);
    card["suggestions"] = suggestions_json(input, catalog, choice, k);
    card["contact"] = contact_json(input, params);
    return card;
}

}  // namespace spiegel::cards
