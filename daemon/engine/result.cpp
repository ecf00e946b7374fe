#include "daemon/engine/result.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "daemon/util/hash.h"
#include "daemon/util/text.h"
#include "daemon/util/time.h"


namespace spiegel::engine {
namespace {

using model::Kind;
using model::Value;

std::size_t slot_of(Kind kind, std::string_view name) {
    return *model::schema_for(kind).slot(name);
}

// The slots fill_attributes reads, looked up once (on first use: the
// schemas are statics of another translation unit).
struct Slots {
    std::size_t cv_birth_year = slot_of(Kind::cv, "birth_year");
    std::size_t cv_desired_occupations = slot_of(Kind::cv, "desired_occupations");
    std::size_t cv_driving_licences = slot_of(Kind::cv, "driving_licences");
    std::size_t cv_education = slot_of(Kind::cv, "education");
    std::size_t cv_hours_per_day = slot_of(Kind::cv, "hours_per_day");
    std::size_t cv_skills = slot_of(Kind::cv, "skills");
    std::size_t cv_visible = slot_of(Kind::cv, "visible");
    std::size_t vacancy_closing_date = slot_of(Kind::vacancy, "closing_date");
    std::size_t vacancy_education_level = slot_of(Kind::vacancy, "education_level");
    std::size_t vacancy_hours_per_week_max = slot_of(Kind::vacancy, "hours_per_week_max");
    std::size_t vacancy_hours_per_week_min = slot_of(Kind::vacancy, "hours_per_week_min");
    std::size_t vacancy_occupation_code = slot_of(Kind::vacancy, "occupation_code");
    std::size_t vacancy_salary_max = slot_of(Kind::vacancy, "salary_max");
    std::size_t vacancy_salary_min = slot_of(Kind::vacancy, "salary_min");
    std::size_t vacancy_status = slot_of(Kind::vacancy, "status");
};

const Slots& slots() {
    static const Slots s;
    return s;
}

void sort_unique(std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// How add_strings reads each string: a skill (normalise_skill), a code
// (trimmed), or a licence code (trimmed, upper case).
enum class Form { skill, code, licence };

void add_strings(const Value& array, std::vector<std::string>& out, Form form) {
    if (!array.is_array()) {
        return;
    }
    for (const Value& item : array.items) {
        if (!item.is_string()) {
            continue;
        }
        std::string s = form == Form::skill     ? normalise_skill(item.string)
                        : form == Form::licence ? util::ascii_upper(util::trim(item.string))  // "b" is B
                                                : std::string(util::trim(item.string));
        if (!s.empty()) {
            out.push_back(std::move(s));
        }
    }
    sort_unique(out);
}

std::string_view string_of(const Value& v) { return v.is_string() ? util::trim(v.string) : std::string_view{}; }

std::string int_text(const Value& v) {
    if (v.type == model::ValueType::integer) {
        return std::to_string(v.integer);
    }
    return {};
}

// The highest-ranked education level of a CV ("" when none is filled in).
std::string highest_level(const Value& education, const EducationRanks& ranks) {
    std::string best;
    int best_rank = -2;
    if (!education.is_array()) {
        return best;
    }
    for (const Value& entry : education.items) {
        const std::string_view level = string_of(entry.get("level"));
        if (level.empty()) {
            continue;
        }
        const auto it = ranks.find(std::string(level));
        const int rank = it == ranks.end() ? -1 : it->second;
        if (rank > best_rank) {
            best_rank = rank;
            best.assign(level);
        }
    }
    return best;
}

void fill_cv(const model::Record& r, const EducationRanks& ranks, ResultRow& row) {
    const Value& desired = r.field(slots().cv_desired_occupations);
    if (desired.is_array()) {
        for (const Value& occ : desired.items) {
            const std::string code(string_of(occ.get("code")));
            if (code.empty()) {
                continue;
            }
            if (row.occupation.empty()) {
                row.occupation = code;
            } else if (code != row.occupation) {
                row.peer.co_occupations.push_back(code);
            }
        }
        sort_unique(row.peer.co_occupations);
    }
    const Value& visible = r.field(slots().cv_visible);
    row.peer.visible = visible.type == model::ValueType::boolean && visible.boolean;
    row.peer.education = highest_level(r.field(slots().cv_education), ranks);
    row.peer.birth_bucket = birth_bucket(r.field(slots().cv_birth_year));
    row.peer.hours_bucket = hours_bucket(r.field(slots().cv_hours_per_day));
    add_strings(r.field(slots().cv_skills), row.peer.skills, Form::skill);
    add_strings(r.field(slots().cv_driving_licences), row.peer.licences, Form::licence);
}

constexpr std::int64_t k_day_seconds = 86'400;

void fill_vacancy(const model::Record& r, std::int64_t as_of, ResultRow& row) {
    row.occupation = string_of(r.field(slots().vacancy_occupation_code));
    const std::string_view status = string_of(r.field(slots().vacancy_status));
    row.peer.open = status == "open" || status == "anoniem";
    // Open for job seekers through its closing date (as vacancy.expired_open
    // reads it: a closing date before the as-of date has passed). Until then
    // the attribute holds; from the next day it would read otherwise.
    if (row.peer.open) {
        const Value& closing = r.field(slots().vacancy_closing_date);
        if (closing.type == model::ValueType::string) {
            if (const auto day = util::parse_date(closing.string)) {
                const std::int64_t closed_from = (*day + 1) * k_day_seconds;
                if (as_of >= closed_from) {
                    row.peer.open = false;
                } else {
                    row.valid_until = std::min(row.valid_until, closed_from);
                }
            }
        }
    }
    row.peer.salary = r.field(slots().vacancy_salary_min).is_numeric() ||
                      r.field(slots().vacancy_salary_max).is_numeric();
    row.peer.hours_min = int_text(r.field(slots().vacancy_hours_per_week_min));
    row.peer.hours_max = int_text(r.field(slots().vacancy_hours_per_week_max));
    row.peer.education = string_of(r.field(slots().vacancy_education_level));
}

}  // namespace

void ResultRow::clear() {
    id.clear();
    source_row = 0;
    score = 100.0;
    failed.clear();
    not_applicable.clear();
    rated = false;
    dimensions.fill(-1.0);
    unreadable = false;
    region.clear();
    target_groups.clear();
    occupation.clear();
    // Cleared member by member: the vectors keep their capacity for the
    // next record evaluated into this row.
    peer.visible = false;
    peer.education.clear();
    peer.birth_bucket.clear();
    peer.hours_bucket.clear();
    peer.skills.clear();
    peer.licences.clear();
    peer.co_occupations.clear();
    peer.open = false;
    peer.salary = false;
    peer.hours_min.clear();
    peer.hours_max.clear();
    content_hash = 0;
    valid_until = 0;
    digest = 0;
    reused = false;
}


std::uint64_t result_digest(const ResultRow& row) {
    thread_local util::HashBytes b;
    b.clear();
    b.number(static_cast<std::uint8_t>(row.kind));
    b.text(row.id);
    b.number(row.source_row);
    b.number(row.score);
    b.texts(row.failed);
    b.number(static_cast<std::uint8_t>(row.rated));
    b.texts(row.not_applicable);
    for (double d : row.dimensions) {
        b.number(d);
    }
    b.number(static_cast<std::uint8_t>(row.unreadable));
    b.text(row.region);
    b.texts(row.target_groups);
    b.text(row.occupation);
    const PeerAttrs& p = row.peer;
    b.number(static_cast<std::uint8_t>(p.visible));
    b.text(p.education);
    b.text(p.birth_bucket);
    b.text(p.hours_bucket);
    b.texts(p.skills);
    b.texts(p.licences);
    b.texts(p.co_occupations);
    b.number(static_cast<std::uint8_t>(p.open));
    b.number(static_cast<std::uint8_t>(p.salary));
    b.text(p.hours_min);
    b.text(p.hours_max);
    b.number(row.content_hash);
    b.number(row.valid_until);
    return b.hash();
}

void fill_applicability(const std::vector<rules::RuleInfo>& infos, const rules::Outcome& outcome, ResultRow& row) {
    row.not_applicable.clear();
    for (std::size_t r = 0; r < infos.size() && r < outcome.states.size(); ++r) {
        if (infos[r].enabled && outcome.states[r] == rules::RuleState::not_applicable) {
            row.not_applicable.push_back(infos[r].id);
        }
    }
    row.rated = true;
}

std::vector<bool> attribute_fields(Kind kind) {
    const auto& schema = model::schema_for(kind);
    std::vector<bool> wanted(schema.fields.size(), false);
    wanted[0] = true;
    auto want = [&](std::string_view name) { wanted[*schema.slot(name)] = true; };
    want("region");
    switch (kind) {
        case Kind::cv:
            for (auto name : {"target_groups", "desired_occupations", "visible", "education",
                              "birth_year", "hours_per_day", "skills", "driving_licences"}) {
                want(name);
            }
            break;
        case Kind::vacancy:
            for (auto name : {"target_groups", "occupation_code", "status", "closing_date", "salary_min",
                              "salary_max", "hours_per_week_min", "hours_per_week_max", "education_level"}) {
                want(name);
            }
            break;
        case Kind::employer:
            break;
    }
    return wanted;
}

void fill_attributes(const model::Record& record, const EducationRanks& ranks, std::int64_t as_of, ResultRow& row) {
    row.kind = record.kind;
    row.valid_until = std::numeric_limits<std::int64_t>::max();
    row.id.assign(record.id());
    row.source_row = record.row;
    static const model::PerKind<std::optional<std::size_t>> k_region = {
        model::schema_for(Kind::cv).slot("region"), model::schema_for(Kind::vacancy).slot("region"),
        model::schema_for(Kind::employer).slot("region")};
    static const model::PerKind<std::optional<std::size_t>> k_target_groups = {
        model::schema_for(Kind::cv).slot("target_groups"), model::schema_for(Kind::vacancy).slot("target_groups"),
        model::schema_for(Kind::employer).slot("target_groups")};
    const auto k = static_cast<std::size_t>(record.kind);
    row.region = string_of(record.field(*k_region[k]));
    if (const auto tg = k_target_groups[k]) {
        add_strings(record.field(*tg), row.target_groups, Form::code);
    }
    if (record.kind == Kind::cv) {
        fill_cv(record, ranks, row);
    } else if (record.kind == Kind::vacancy) {
        fill_vacancy(record, as_of, row);
    }
    row.unreadable = !record.issues.empty();
}

std::string format_score(double score) {
    const double rounded = std::round(score * 10.0) / 10.0;
    char buf[32];
    if (rounded == std::floor(rounded)) {
        std::snprintf(buf, sizeof buf, "%.0f", rounded);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f", rounded);
    }
    return buf;
}

std::string normalise_skill(std::string_view skill) {
    std::string s = util::lower(util::trim(skill));
    // Control characters never belong in a skill; they would break the
    // separator-joined storage (docs/state-schema.md).
    std::replace_if(s.begin(), s.end(), [](char c) { return c >= 0 && c < 0x20; }, ' ');
    return std::string(util::trim(s));
}

std::string_view birth_bucket(const Value& birth_year) {
    if (birth_year.type != model::ValueType::integer) {
        return "onbekend";
    }
    const std::int64_t y = birth_year.integer;
    // Outside the seed's buckets (before 1948) or impossible: no bucket
    // whose label would be untrue.
    if (y < 1948 || y > 2100) {
        return "onbekend";
    }
    if (y <= 1960) {
        return "1948-1960";
    }
    if (y <= 1970) {
        return "1961-1970";
    }
    if (y <= 1980) {
        return "1971-1980";
    }
    if (y <= 1990) {
        return "1981-1990";
    }
    return "1991-";
}

std::string_view hours_bucket(const Value& hours_per_day) {
    if (!hours_per_day.is_numeric()) {
        return "nvt";
    }
    const double h = hours_per_day.as_double();
    if (h < 2) {
        return "<2";
    }
    if (h < 4) {
        return "2 tot 4";
    }
    if (h < 6) {
        return "4 tot 6";
    }
    if (h < 8) {
        return "6 tot 8";
    }
    return "8";
}

}  // namespace spiegel::engine
