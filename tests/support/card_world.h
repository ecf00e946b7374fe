#pragma once
// The one fixture of the card tests (CV, vacancy and occupation cards):
//
// - CardWorld: a small scanned world of hand-made records whose peers are
//   known by heart, with tokens of every role (store, app, cards, browser).
//   CVs: cv-target (visible, skills Java only, no driving licence, no
//   phone) and 12 visible peers cv-p01..cv-p12 with Java; cv-p01..10 also
//   list SQL and desire 2511 as second occupation; cv-p01..09 hold licence
//   B; cv-p01..05 list Python; cv-p01..04 have neither e-mail nor phone (a
//   lower score); cv-p01..03 are in target group banenafspraak. cv-hidden
//   (not visible) seeks 2512 too. Vacancies: vac-own (employer emp-1) and
//   vac-other (emp-2) plus 11 peers vac-p01..11 (employer emp-2), all open,
//   hbo, in AM21; vac-other and vac-p01..06 state a salary, vac-own none.
//   Every record is of occupation 2512 (Softwareontwikkelaars) in AM21.
// - test_catalog(), rule(), peer_group(): hand-made inputs for the pure card
//   builders (weights chosen so scores are easy to compute by hand).
// Header-only (test binaries glob only *_test.cpp).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/cards/card_service.h"
#include "daemon/cards/personal_card.h"
#include "daemon/store/access_db.h"
#include "daemon/store/source_db.h"
#include "tests/cards/card_fixture.h"
#include "tests/rules/default_rules_fixture.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {

inline constexpr const char* k_card_as_of = "2026-11-01T12:00:00Z";

class CardWorld {
public:
    explicit CardWorld(int per_hour = 300) {
        config = write_test_config(dir, source_dir() + "/rules");
        write_file(config, read_text(config) + "privacy:\n  min_cell: 10\n  personal_cards_per_hour: " +
                               std::to_string(per_hour) + "\n");
        fill_source();
        const auto scan = run_spiegeld({"scan", "--config", config, "--full", "--as-of", k_card_as_of, "--report",
                                        dir.file("report.ndjson")});
        EXPECT_EQ(scan.exit_code, 0) << scan.err;
        auto opened = store::AccessDb::open(access_db());
        EXPECT_TRUE(opened.ok());
        tokens = std::move(*opened);
        adviser = add_token("adviseur-1", store::Role::adviser, "");
        employer = add_token("werkgever-1", store::Role::employer, "emp-1");
        officer = add_token("kwaliteit-1", store::Role::officer, "");
    }

    std::string state_db() const { return dir.file("data/state.db"); }
    std::string access_db() const { return dir.file("data/access.db"); }
    std::string source_db() const { return dir.file("data/source.db"); }

    // The card source the daemon would build from this config.
    cards::CardSource card_source(int per_hour = 300) const {
        auto catalog = cards::CardCatalog::load(source_dir() + "/rules");
        EXPECT_TRUE(catalog.ok());
        return cards::CardSource{state_db(), source_dir() + "/rules", 10, source_db(), *catalog, per_hour};
    }

    // `spiegeld card ARGS... --format html` written to dir/NAME; returns the path
    // ("" and a test failure when the command fails).
    std::string cli_card_html(const std::vector<std::string>& card, const std::string& name) const {
        std::vector<std::string> args{"card", "--config", config};
        args.insert(args.end(), card.begin(), card.end());
        args.insert(args.end(), {"--format", "html"});
        const RunResult result = run_spiegeld(args, dir.path());
        EXPECT_EQ(result.exit_code, 0) << result.err;
        if (result.exit_code != 0) {
            return "";
        }
        write_file(dir.file(name), result.out);
        return dir.file(name);
    }

    // Scores by id from the scan report.
    std::map<std::string, double> reported_scores() const {
        std::map<std::string, double> out;
        std::istringstream in(read_text(dir.file("report.ndjson")));
        for (std::string line; std::getline(in, line);) {
            const auto j = nlohmann::json::parse(line);
            out[j.at("id").get<std::string>()] = j.at("score").get<double>();
        }
        return out;
    }

    TempDir dir;
    std::string config;
    std::unique_ptr<store::AccessDb> tokens;
    std::string adviser, employer, officer;

private:
    std::string add_token(const std::string& name, store::Role role, const std::string& employer_id) {
        auto token = tokens->add(name, role, employer_id, 1'700'000'000);
        EXPECT_TRUE(token.ok());
        return token.ok() ? *token : std::string();
    }

    static std::string peer_cv(int n) {
        auto j = rules::acceptance::base_cv();
        char id[16];
        std::snprintf(id, sizeof id, "cv-p%02d", n);
        j["id"] = id;
        j["skills"] = nlohmann::ordered_json::array({"Java"});
        if (n <= 10) {
            j["skills"].push_back("SQL");
            j["desired_occupations"].push_back({{"code", "2511"}, {"title", "Systeemanalist"}});
        }
        if (n <= 5) {
            j["skills"].push_back("Python");
        }
        j["driving_licences"] = n <= 9 ? nlohmann::ordered_json::array({"B"}) : nlohmann::ordered_json::array();
        if (n <= 4) {
            j.erase("email");
            j.erase("phone");
        }
        if (n <= 3) {
            j["target_groups"] = nlohmann::ordered_json::array({"banenafspraak"});
        }
        return j.dump();
    }

    void fill_source() {
        auto db = store::SourceDb::open(source_db(), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db.ok()) << db.error().message;
        std::vector<std::string> cvs;
        auto target = rules::acceptance::base_cv();
        target["id"] = "cv-target";
        target["skills"] = nlohmann::ordered_json::array({"Java"});
        target["driving_licences"] = nlohmann::ordered_json::array();
        target.erase("phone");
        cvs.push_back(target.dump());
        for (int n = 1; n <= 12; ++n) {
            cvs.push_back(peer_cv(n));
        }
        auto hidden = rules::acceptance::base_cv();
        hidden["id"] = "cv-hidden";
        hidden["visible"] = false;
        cvs.push_back(hidden.dump());
        write_records(**db, model::Kind::cv, cvs);

        std::vector<std::string> vacancies;
        auto own = rules::acceptance::base_vacancy();
        own["id"] = "vac-own";
        own["employer_id"] = "emp-1";
        own.erase("salary_min");
        own.erase("salary_max");
        vacancies.push_back(own.dump());
        for (int n = 0; n <= 11; ++n) {
            auto v = rules::acceptance::base_vacancy();
            char id[16];
            std::snprintf(id, sizeof id, n == 0 ? "vac-other" : "vac-p%02d", n);
            v["id"] = id;
            v["employer_id"] = "emp-2";
            if (n > 6) {
                v.erase("salary_min");
                v.erase("salary_max");
            }
            vacancies.push_back(v.dump());
        }
        write_records(**db, model::Kind::vacancy, vacancies);
        std::vector<std::string> employers;
        for (const char* id : {"emp-1", "emp-2"}) {
            auto e = rules::acceptance::base_employer();
            e["id"] = id;
            e["name"] = std::string("Werkgever ") + id;
            employers.push_back(e.dump());
        }
        write_records(**db, model::Kind::employer, employers);
    }
};



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
