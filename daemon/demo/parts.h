#pragma once
// Internal building blocks of the demo generator (not a public API): a
// record builder over the kind's schema slots and the small generators of
// contact details, postcodes, names and occupations shared by all kinds.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/demo/generator.h"
#include "daemon/demo/rng.h"
#include "daemon/demo/tables.h"
#include "daemon/demo/vocabulary.h"

namespace spiegel::demo {

// Concatenation without "literal" + std::string temporaries (GCC 12 raises
// a false -Wrestrict on those).
template <class... Args>
std::string cat(const Args&... parts) {
    std::string s;
    (s.append(std::string_view(parts)), ...);
    return s;
}

// Fills the fields of one record; unset fields stay null (absent).
class RecordBuilder {
  public:
    RecordBuilder(model::Kind kind, model::Arena& arena);
    void set(std::string_view field, model::Value value);
    void set_string(std::string_view field, std::string_view text) { set(field, str(text)); }
    void set_int(std::string_view field, std::int64_t v) { set(field, model::Value::of_int(v)); }
    model::Value str(std::string_view text) { return model::Value::of_string(m_arena.copy(text)); }
    model::Value strings(const std::vector<std::string>& items);
    model::Value array(const std::vector<model::Value>& items);
    // An object of the non-null members, keys being static strings.
    model::Value object(std::initializer_list<std::pair<std::string_view, model::Value>> members);
    model::Record finish();

  private:
    model::Kind m_kind;
    model::Arena& m_arena;
    std::span<model::Value> m_fields;
};

using Pair = std::pair<std::string_view, model::Value>;

// Shared pieces; every function draws from the caller's Rng only.
struct Parts {
    static std::string postcode(Rng& rng, const RegionInfo& region, bool with_space);
    static std::string postcode_with_prefix(Rng& rng, std::string_view four_digits);
    static std::string invalid_postcode(Rng& rng);
    static std::string email(Rng& rng, std::string_view first, std::string_view surname);
    static std::string invalid_email(Rng& rng, std::string_view first, std::string_view surname);
    static std::string phone(Rng& rng);
    static std::string invalid_phone(Rng& rng);
    static std::string bsn(Rng& rng);  // 9 digits passing the 11-test
    static std::string municipality(Rng& rng, const RegionInfo& region);
    static std::string surname_capitalised(std::string_view surname);
    static std::string ascii_slug(std::string_view text);  // "van Dijk" -> "vandijk"
    static std::string capitalised(std::string_view text);
    static std::string timestamp(std::int64_t seconds);
    static std::string month(std::int64_t months);  // year * 12 + month - 1 -> "YYYY-MM"
    static std::string join(const std::vector<std::string_view>& parts, std::string_view last_sep);
    static std::string_view level_name(std::string_view code);
    static std::vector<std::string_view> split(std::string_view list);
    // An occupation fitting an education band (0 low, 1 middle, 2 high).
    static Generator::Occupation occupation(const Generator& gen, Rng& rng, int band);
    static Generator::Occupation title_for(const Generator& gen, Rng& rng, std::string_view isco);
    // Skills for an occupation: characteristic ones first, some general ones.
    static std::vector<std::string> skills(Rng& rng, std::string_view isco, std::size_t min_count);
    static std::string company_name(Rng& rng, std::string_view sector,
                                    std::string_view municipality);
    // CV extras (extras.cpp).
    static std::vector<std::string> cv_target_groups(Rng& rng);
    static model::Value languages(Rng& rng, RecordBuilder& b);
    static std::vector<std::string> licences(Rng& rng, std::string_view isco);
    static std::vector<std::string> interests(Rng& rng, std::string_view isco);
    static void cv_timestamps(Rng& rng, const Generator& gen, RecordBuilder& b, DefectSet* set);
    // cv.banenafspraak.complete: leave out one of the five profile fields.
    static void make_incomplete(Rng& rng, RecordBuilder& b);
    static const DemoPlan& plan(const Generator& gen) { return gen.m_plan; }
    static int as_of_year(const Generator& gen) { return gen.m_as_of_year; }
    static std::int64_t as_of_month(const Generator& gen) { return gen.m_as_of_month; }
    static bool draw(Rng& rng, const Generator& gen, Defect d, DefectSet* set);
    static void mark(DefectSet* set, Defect d);
};

inline constexpr std::int64_t k_day = 86400;
inline constexpr std::int64_t k_hour = 3600;

}  // namespace spiegel::demo
