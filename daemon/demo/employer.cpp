// Generation of one employer: a Dutch-looking trade name in a sector and
// region, its size, status and contact history; some are entered twice.
#include <algorithm>

#include "daemon/demo/parts.h"

namespace spiegel::demo {
namespace {

using D = Defect;
using model::Value;

constexpr std::uint64_t k_core_stream = 3;
constexpr std::uint64_t k_duplicate_stream = 4;
constexpr std::uint64_t k_employer_stream = 5;

// Another way of writing the same name: legal form dropped, added or
// abbreviated, words written together, lower case with hyphens.
std::string name_variant(Rng& rng, const std::string& name) {
    std::string base = name;
    for (std::string_view form : {" B.V.", " V.O.F.", " N.V."}) {
        if (base.size() > form.size() && base.ends_with(form)) {
            base.resize(base.size() - form.size());
        }
    }
    const bool had_form = base.size() != name.size();
    std::string together;
    for (char c : base) {
        if (c != ' ') {
            together += c;
        }
    }
    switch (rng.between(0, 3)) {
        case 0:
            return had_form ? base : base + " B.V.";
        case 1:
            return together + (had_form ? " B.V." : "");
        case 2:
            return base + " BV";
        default: {
            std::string lower;
            for (char c : base) {
                lower +=
                    c == ' ' ? '-' : (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
            }
            return lower;
        }
    }
}

bool is_duplicate(const Generator& gen, std::int64_t n) {
    Rng rng(gen.plan().seed, k_duplicate_stream, static_cast<std::uint64_t>(n));
    return n > 1 && rng.chance(gen.plan().defects[D::employer_duplicate]);
}

Generator::EmployerCore base_core(const Generator& gen, std::int64_t n) {
    Rng rng(gen.plan().seed, k_core_stream, static_cast<std::uint64_t>(n));
    Generator::EmployerCore c;
    const auto sectors = sector_codes();
    static constexpr double k_sector_weights[] = {16, 5, 14, 14, 14, 10, 15, 4, 4, 4};
    c.sector = sectors[rng.weighted(k_sector_weights)];
    c.region = static_cast<int>(rng.weighted(region_weights()));
    const RegionInfo& region = regions()[static_cast<std::size_t>(c.region)];
    c.municipality = Parts::municipality(rng, region);
    c.postcode = Parts::postcode(rng, region, rng.chance(0.2));
    c.name = Parts::company_name(rng, c.sector, c.municipality);
    c.created_at = gen.plan().as_of - rng.between(30, 4000) * k_day - rng.between(1, k_day - 1);
    c.ceased = rng.chance(0.08);
    c.keeps_open =
        c.ceased && rng.chance(gen.plan().defects[D::employer_ceased_with_open_vacancies]);
    return c;
}

// Last contact: within the last 330 days for active employers unless stale.
void last_contact(Rng& rng, const Generator& gen, RecordBuilder& b,
                  const Generator::EmployerCore& core, DefectSet* set) {
    const std::int64_t as_of = gen.plan().as_of;
    const std::int64_t age_days = (as_of - core.created_at) / k_day;
    std::int64_t contact_age = rng.between(0, std::min<std::int64_t>(age_days, 330));
    if (core.ceased) {
        contact_age = rng.between(0, std::max<std::int64_t>(age_days, 1));
    } else if (Parts::draw(rng, gen, D::employer_stale_account, set)) {
        contact_age = rng.chance(0.2) ? -1 : rng.between(366, 1500);
    }
    if (contact_age >= 0) {
        b.set_string("last_contact_at",
                     Parts::timestamp(as_of - contact_age * k_day - rng.between(1, k_day - 1)));
    }
}

}  // namespace

Generator::EmployerCore Generator::employer_core(std::int64_t n) const {
    EmployerCore c = base_core(*this, n);
    if (!is_duplicate(*this, n)) {
        return c;
    }
    Rng rng(m_plan.seed, k_duplicate_stream, static_cast<std::uint64_t>(n) ^ 0x5bd1e995ULL);
    std::int64_t target = n - rng.between(1, std::min<std::int64_t>(n - 1, 200));
    while (target > 1 && is_duplicate(*this, target)) {
        --target;
    }
    const EmployerCore original = base_core(*this, target);
    c.name = name_variant(rng, original.name);
    c.sector = original.sector;
    c.region = original.region;
    c.municipality = original.municipality;
    c.postcode = rng.chance(0.5) ? original.postcode
                                 : Parts::postcode_with_prefix(rng, original.postcode.substr(0, 4));
    c.created_at = std::min(original.created_at + rng.between(1, 700) * k_day,
                            m_plan.as_of - rng.between(1, k_day - 1));
    c.created_at = std::max(c.created_at, original.created_at + 1);
    c.duplicate_of = target;
    return c;
}

model::Record Generator::employer(std::int64_t n, model::Arena& arena, DefectSet* set) const {
    const EmployerCore core = employer_core(n);
    if (core.duplicate_of != 0) {
        Parts::mark(set, D::employer_duplicate);
    }
    if (core.keeps_open) {
        Parts::mark(set, D::employer_ceased_with_open_vacancies);
    }
    Rng rng(m_plan.seed, k_employer_stream, static_cast<std::uint64_t>(n));
    RecordBuilder b(model::Kind::employer, arena);
    b.set_string("id", "emp-" + std::to_string(n));
    b.set_string("name", core.name);
    b.set_string("created_at", Parts::timestamp(core.created_at));
    const RegionInfo& region = regions()[static_cast<std::size_t>(core.region)];
    b.set_string("postcode", Parts::draw(rng, *this, D::employer_invalid_postcode, set)
                                 ? Parts::invalid_postcode(rng)
                                 : core.postcode);
    b.set_string("municipality", core.municipality);
    b.set_string("region", region.code);
    if (Parts::draw(rng, *this, D::employer_unknown_sector, set)) {
        static constexpr std::string_view k_bad[] = {"", "horeca", "bouw", "overig",
                                                     "Detailhandel"};
        b.set_string("sector", k_bad[rng.index(std::size(k_bad))]);
    } else {
        b.set_string("sector", core.sector);
    }
    static constexpr double k_size_weights[] = {50, 30, 15, 5};
    static constexpr std::int64_t k_size_lo[] = {1, 10, 50, 250};
    static constexpr std::int64_t k_size_hi[] = {9, 49, 249, 5000};
    const std::size_t size = rng.weighted(k_size_weights);
    b.set_int("employees", rng.between(k_size_lo[size], k_size_hi[size]));
    b.set_string("status", core.ceased ? "gestaakt" : "actief");
    last_contact(rng, *this, b, core, set);
    b.set_string("account_holder",
                 rng.chance(0.6) ? std::string("UWV") : "Gemeente " + core.municipality);
    return b.finish();
}

}  // namespace spiegel::demo
