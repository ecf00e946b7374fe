// The occupation catalog, the generator's set-up and the occupation and
// skill choices shared by CVs and vacancies.
#include <algorithm>
#include <chrono>

#include "daemon/demo/parts.h"
#include "daemon/util/csv.h"
#include "daemon/util/time.h"

namespace spiegel::demo {
namespace {

// Education band of an ISCO-08 major group (ISCO skill levels).
int band_of(std::string_view isco) {
    const char major = isco.empty() ? '9' : isco[0];
    if (major == '1' || major == '2') {
        return 2;
    }
    if (major == '8' || major == '9' || major == '6') {
        return 0;
    }
    return 1;
}

}  // namespace

util::Expected<Catalog> Catalog::load(const std::string& rules_dir) {
    const std::string isco_path = rules_dir + "/codes/isco08_nl.csv";
    const std::string esco_path = rules_dir + "/codes/esco_occupations_nl.csv";
    auto isco = util::read_csv_file(isco_path);
    if (!isco) {
        return isco.error();
    }
    auto esco = util::read_csv_file(esco_path);
    if (!esco) {
        return esco.error();
    }
    const int code_col = isco->column("code");
    const int level_col = isco->column("level");
    const int isco_col = esco->column("isco_code");
    const int title_col = esco->column("title_nl");
    if (code_col < 0 || level_col < 0 || isco_col < 0 || title_col < 0) {
        return util::Error{rules_dir +
                           "/codes: isco08_nl.csv needs code, level; "
                           "esco_occupations_nl.csv needs isco_code, title_nl"};
    }
    std::unordered_map<std::string, bool> units;
    for (const auto& row : isco->rows) {
        if (row.size() > static_cast<std::size_t>(std::max(code_col, level_col)) &&
            row[level_col] == "4") {
            units[row[code_col]] = true;
        }
    }
    Catalog c;
    for (const auto& row : esco->rows) {
        if (row.size() <= static_cast<std::size_t>(std::max(isco_col, title_col)) ||
            !units.count(row[isco_col]) || row[title_col].empty()) {
            continue;
        }
        c.by_isco[row[isco_col]].push_back(c.occupations.size());
        c.occupations.push_back({row[isco_col], row[title_col]});
    }
    if (c.occupations.empty()) {
        return util::Error{esco_path + ": no occupations with a known ISCO-08 unit group"};
    }
    return c;
}

Generator::Generator(const Catalog& catalog, DemoPlan plan)
    : m_catalog(catalog), m_plan(std::move(plan)) {
    const std::chrono::year_month_day date{util::utc_day(m_plan.as_of)};
    m_as_of_year = static_cast<int>(date.year());
    m_as_of_month = util::month_index(date.year() / date.month());
    for (const CommonOccupation& c : common_occupations()) {
        const auto it = m_catalog.by_isco.find(std::string(c.isco));
        m_common.push_back(it == m_catalog.by_isco.end() ? SIZE_MAX : it->second.front());
        for (int band = 0; band < 3; ++band) {
            const bool fits = profile_for(c.isco).band == band;
            m_common_weights[band].push_back(
                m_common.back() == SIZE_MAX ? 0.0 : c.weight * (fits ? 1.0 : 0.08));
        }
    }
}

std::int64_t Generator::count(model::Kind kind) const {
    switch (kind) {
        case model::Kind::cv:
            return m_plan.cvs;
        case model::Kind::vacancy:
            return m_plan.vacancies;
        case model::Kind::employer:
            return m_plan.employers;
    }
    return 0;
}

model::Record Generator::make(model::Kind kind, std::int64_t n, model::Arena& arena,
                              DefectSet* injected) const {
    switch (kind) {
        case model::Kind::cv:
            return cv(n, arena, injected);
        case model::Kind::vacancy:
            return vacancy(n, arena, injected);
        case model::Kind::employer:
            return employer(n, arena, injected);
    }
    return {};
}

Generator::Occupation Parts::title_for(const Generator& gen, Rng& rng, std::string_view isco) {
    const auto it = gen.m_catalog.by_isco.find(std::string(isco));
    if (it == gen.m_catalog.by_isco.end()) {
        const auto& any = gen.m_catalog.occupations[rng.index(gen.m_catalog.occupations.size())];
        return {any.isco, any.title};
    }
    const auto& occ = gen.m_catalog.occupations[it->second[rng.index(it->second.size())]];
    return {occ.isco, occ.title};
}

Generator::Occupation Parts::occupation(const Generator& gen, Rng& rng, int band) {
    const auto common = common_occupations();
    if (rng.chance(0.8)) {
        return title_for(gen, rng, common[rng.weighted(gen.m_common_weights[band])].isco);
    }
    // The long tail: any ESCO occupation of a fitting ISCO skill level.
    const auto& all = gen.m_catalog.occupations;
    std::size_t pick = rng.index(all.size());
    for (int tries = 0; tries < 12 && band_of(all[pick].isco) != band; ++tries) {
        pick = rng.index(all.size());
    }
    return {all[pick].isco, all[pick].title};
}

std::vector<std::string> Parts::skills(Rng& rng, std::string_view isco, std::size_t min_count) {
    const auto own = split(profile_for(isco).skills);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < own.size(); ++i) {
        const double p = i == 0 ? 0.8 : (i == 1 ? 0.65 : 0.4);
        if (rng.chance(p)) {
            out.emplace_back(own[i]);
        }
    }
    const auto general = general_skills();
    const std::int64_t extra = rng.between(0, 2);
    for (std::int64_t i = 0; i < extra || out.size() < min_count; ++i) {
        const std::string g(general[rng.index(general.size())]);
        if (std::find(out.begin(), out.end(), g) == out.end()) {
            out.push_back(g);
        }
        if (i > 40) {
            break;
        }
    }
    return out;
}

}  // namespace spiegel::demo
