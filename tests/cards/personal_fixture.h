#pragma once
// Hand-made inputs for the CV and vacancy card tests: a small rule catalog
// (weights chosen so scores are easy to compute by hand) and the shipped
// code lists.

#include <string>
#include <vector>

#include "daemon/cards/personal_card.h"
#include "tests/cards/card_fixture.h"

namespace spiegel::testing {

inline rules::RuleInfo rule(const std::string& id, model::Kind kind, double weight,
                            rules::Dimension dimension, std::vector<std::string> fields,
                            bool enabled = true) {
    rules::RuleInfo info;
    info.id = id;
    info.kind = kind;
    info.title = "Titel " + id;
    info.dimension = dimension;
    info.weight = weight;
    info.severity = "warning";
    info.advice = "Advies " + id;
    info.enabled = enabled;
    info.fields = std::move(fields);
    return info;
}

// cv: contact 3, email 2, phone 2, skills 1 (applicable: 8), plus a
// disabled rule (5) and one that does not apply to the test CV (4).
// vacancy: salary 2, hours 1.
inline const cards::CardCatalog& test_catalog() {
    static const cards::CardCatalog catalog = [] {
        cards::CardCatalog c{shipped_codes(), {}};
        using rules::Dimension;
        const model::Kind cv = model::Kind::cv;
        for (auto info : {rule("cv.contact", cv, 3, Dimension::completeness, {"email", "phone"}),
                          rule("cv.email", cv, 2, Dimension::validity, {"email"}),
                          rule("cv.phone", cv, 2, Dimension::validity, {"phone"}),
                          rule("cv.skills", cv, 1, Dimension::completeness, {"skills"}),
                          rule("cv.off", cv, 5, Dimension::validity, {"postcode"}, false),
                          rule("cv.na", cv, 4, Dimension::consistency, {"experience"}),
                          rule("vacancy.salary", model::Kind::vacancy, 2, Dimension::completeness,
                               {"salary_min", "salary_max"}),
                          rule("vacancy.hours", model::Kind::vacancy, 1, Dimension::consistency,
                               {"hours_per_week_min"})}) {
            c.rules.emplace(info.id, info);
        }
        return c;
    }();
    return catalog;
}

inline cards::PeerGroupCounts peer_group(const std::string& code, std::int64_t members,
                                         std::int64_t below = 0) {
    cards::PeerGroupCounts g;
    g.code = code;
    g.members = members;
    g.below = below;
    return g;
}

}  // namespace spiegel::testing
