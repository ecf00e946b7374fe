#pragma once
// The demo-data generator: deterministic, realistic synthetic CVs, vacancies
// and employers (docs/demo.md). Pure generation: a record depends only on
// the plan (seed, reference date, counts, defect rates), its kind and its
// index, never on the order or batch it is generated in. Const methods are
// safe to call from several threads, each with its own Arena.

#include <bitset>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/demo/defects.h"
#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/util/expected.h"

namespace spiegel::demo {

// Occupation titles read at run time from the rules directory
// (codes/esco_occupations_nl.csv, codes/isco08_nl.csv).
struct Catalog {
    struct Occupation {
        std::string isco;   // ISCO-08 unit group (4 digits)
        std::string title;  // Dutch ESCO title
    };
    std::vector<Occupation> occupations;
    std::unordered_map<std::string, std::vector<std::size_t>> by_isco;  // indices into occupations

    // Errors name the missing or malformed file.
    static util::Expected<Catalog> load(const std::string& rules_dir);
};

struct DemoPlan {
    std::uint64_t seed = 1;
    std::int64_t as_of = 0;  // reference instant, seconds since the epoch (UTC)
    std::int64_t cvs = 20000;
    std::int64_t vacancies = 4000;
    std::int64_t employers = 1000;
    DefectRates defects = DefectRates::defaults();
};

using DefectSet = std::bitset<k_defect_count>;

class Generator {
  public:
    // `catalog` must outlive the generator.
    Generator(const Catalog& catalog, DemoPlan plan);

    // Record n (1-based) of each kind, built in `arena`. `injected`, when
    // given, receives the defects put into the record.
    model::Record cv(std::int64_t n, model::Arena& arena, DefectSet* injected = nullptr) const;
    model::Record vacancy(std::int64_t n, model::Arena& arena, DefectSet* injected = nullptr) const;
    model::Record employer(std::int64_t n, model::Arena& arena,
                           DefectSet* injected = nullptr) const;
    model::Record make(model::Kind kind, std::int64_t n, model::Arena& arena,
                       DefectSet* injected = nullptr) const;

    const DemoPlan& plan() const { return m_plan; }
    std::int64_t count(model::Kind kind) const;

    // The employer attributes other records depend on (vacancies place
    // themselves at their employer; duplicates copy an earlier employer).
    struct EmployerCore {
        std::string name;
        std::string sector;
        int region = 0;  // index into regions()
        std::string municipality;
        std::string postcode;
        std::int64_t created_at = 0;
        bool ceased = false;      // status gestaakt
        bool keeps_open = false;  // gestaakt, yet its vacancies stay open
        std::int64_t duplicate_of = 0;
    };
    EmployerCore employer_core(std::int64_t n) const;

    struct Occupation {
        std::string_view isco;
        std::string_view title;
    };

  private:
    friend struct Parts;
    const Catalog& m_catalog;
    DemoPlan m_plan;
    int m_as_of_year = 0;
    std::int64_t m_as_of_month = 0;           // year * 12 + month - 1
    std::vector<std::size_t> m_common;        // catalog indices of one title per common occupation
    std::vector<double> m_common_weights[3];  // per education band
};

}  // namespace spiegel::demo
