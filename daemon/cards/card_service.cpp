#include "daemon/cards/card_service.h"

#include "daemon/cards/card_json.h"
#include "daemon/util/json_text.h"

namespace spiegel::cards {
namespace {

CardError failure(const std::string& message) { return CardError{CardErrorKind::failure, message}; }

CardError no_result(const char* what) {
    return CardError{CardErrorKind::not_found, std::string("no scan result for this ") + what +
                                                   " (unknown id, or not scanned yet)"};
}

}  // namespace

CardResult occupation_card_json(const CardSource& source, store::CardReader& reader, const std::string& isco,
                                const std::string& region) {
    std::shared_ptr<const CodeLists> codes;
    if (source.catalog) {
        codes = std::shared_ptr<const CodeLists>(source.catalog, &source.catalog->codes);
    } else {
        auto loaded = CodeLists::load(source.rules_dir);
        if (!loaded) {
            return failure(loaded.error().message);
        }
        codes = std::make_shared<const CodeLists>(std::move(*loaded));
    }
    const OccupationParams params{isco, region, source.min_cell};
    if (auto invalid = validate_occupation(*codes, params)) {
        return *invalid;
    }
    auto data = reader.read_occupation(isco, region);
    if (!data) {
        return failure(data.error().message);
    }
    return card_json(build_occupation_card(*data, *codes, params));
}

CardResult occupation_card_json(const CardSource& source, const std::string& isco, const std::string& region) {
    store::CardReader reader(source.state_db, source.source_db, source.source_pg);
    return occupation_card_json(source, reader, isco, region);
}

std::optional<CardError> cv_card_to(util::JsonSink& out, const CardSource& source, store::CardReader& reader,
                                    const std::string& id, bool include_contact) {
    auto input = reader.read_cv(id, include_contact, source.min_cell);
    if (!input) {
        return failure(input.error().message);
    }
    if (!*input) {
        return no_result("CV");
    }
    write_cv_card(out, **input, *source.catalog, PersonalParams{source.min_cell, include_contact, true});
    return std::nullopt;
}

CardResult cv_card_json(const CardSource& source, store::CardReader& reader, const std::string& id,
                        bool include_contact) {
    util::JsonDomSink tree;
    if (auto failed = cv_card_to(tree, source, reader, id, include_contact)) {
        return *failed;
    }
    return tree.take();
}

std::optional<CardError> vacancy_card_to(util::JsonSink& out, const CardSource& source, store::CardReader& reader,
                                         const std::string& id,
                                         const std::function<bool(const std::string& employer)>& may_read,
                                         bool own_employer) {
    auto input = reader.read_vacancy(id, source.min_cell);
    if (!input) {
        return failure(input.error().message);
    }
    if (!*input) {
        return no_result("vacancy");
    }
    if (may_read && !may_read((*input)->employer_id)) {
        return CardError{CardErrorKind::forbidden, "this vacancy belongs to another employer"};
    }
    VacancyCardInput& in = **input;
    if (!in.result.region.empty() && !source.catalog->codes.regions.contains(in.result.region)) {
        // A region outside regions.csv ("AM99", a place name) is no region
        // to speak of: the pool is the whole country's, as without one.
        // The reader read the national cells beside the region's.
        in.result.region.clear();
        in.pool = in.national_pool ? std::move(*in.national_pool) : AttributeCounts{};
        in.national_pool.reset();
    }
    // The title, the vacancy's own text, to its own employer only.
    write_vacancy_card(out, in, *source.catalog, PersonalParams{source.min_cell, false, false, own_employer && may_read});
    return std::nullopt;
}

CardResult vacancy_card_json(const CardSource& source, store::CardReader& reader, const std::string& id,
                             const std::function<bool(const std::string& employer)>& may_read, bool own_employer) {
    util::JsonDomSink tree;
    if (auto failed = vacancy_card_to(tree, source, reader, id, may_read, own_employer)) {
        return *failed;
    }
    return tree.take();
}

std::string card_text(const nlohmann::json& card) {
    std::string text = util::json_text(card, 2);
    text += '\n';
    return text;
}

}  // namespace spiegel::cards
