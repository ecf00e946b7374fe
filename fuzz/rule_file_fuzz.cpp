// Fuzzes the rule loader (docs/rules.md): each input becomes the only rule
// file, fuzz.yaml, of a private rules directory that also holds copies of
// the shipped rules/codes/ and rules/lexicons/, so code-list and lexicon
// references resolve; rules::load_rule_set() reads, validates and compiles
// it. When the set loads, a cross index is built from fixed records and the
// set is evaluated once on each of them (a full and an almost empty record
// per kind), so the compiled expressions run too.
//
// Invariants (any break traps, so libFuzzer keeps the input):
// - the loader returns a rule set or diagnostics, never both, never neither;
//   it never throws and never crashes (ASan/UBSan watch memory and UB);
// - every diagnostic names a file, a 1-based line and column and a message;
// - a loaded rule has a unique id that find() returns, its kind, a weight in
//   (0, 1000] and a known severity;
// - evaluation gives one state per rule, disabled rules not applicable,
//   failed indices that point at failed rules, and scores within 0..100
//   (dimension scores: -1 when no rule of that dimension applies).
//
// Known: a YAML alias bomb (fuzz/corpus/rule_file/alias_bomb.yaml) makes
// the loader allocate gigabytes until YAML limits land; libFuzzer reports
// it as out-of-memory with -rss_limit_mb=2048.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/json.h"
#include "daemon/model/record.h"
#include "daemon/rules/rule_set.h"
#include "daemon/util/time.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace spiegel;
using fuzz::check;

constexpr const char* k_cv_full =
    R"({"id":"cv-1","created_at":"2025-03-01T09:00:00Z","updated_at":"2026-09-15T10:30:00+02:00",)"
    R"("birth_year":1985,"postcode":"1234 AB","municipality":"Utrecht","region":"AM09",)"
    R"("target_groups":["ww"],"email":"a.jansen@example.nl","phone":"06-12345678",)"
    R"("summary":"Ervaren kok die graag in een jong team werkt.",)"
    R"("desired_occupations":[{"code":"5120","title":"Kok"}],)"
    R"("education":[{"level":"mbo","name":"Koksopleiding","diploma":true,"year_end":2005}],)"
    R"("experience":[{"occupation_code":"5120","title":"Kok","employer":"Hotel","start":"2006-01",)"
    R"("end":"2020-12","description":"Koken voor 80 gasten"},{"title":"Chef","start":"2021-01"}],)"
    R"("skills":["koken","plannen"],"languages":[{"code":"nld","level":"C2"}],"driving_licences":["B"],)"
    R"("interests":["sport"],"hours_per_week":32,"hours_per_day":6.5,"max_travel_minutes":45,)"
    R"("max_travel_km":30,"visible":true,"bron":{"systeem":"fuzz"}})";
constexpr const char* k_vacancy_full =
    R"({"id":"v-1","employer_id":"e-1","received_at":"2026-09-01T08:00:00Z",)"
    R"("registered_at":"2026-09-01T09:00:00Z","updated_at":"2026-09-20T12:00:00Z",)"
    R"("closing_date":"2026-12-31","status":"geblokkeerd","status_note":"",)"
    R"("title":"Kok","description":"Wij zoeken een kok van maximaal 30 jaar, jong en dynamisch.",)"
    R"("occupation_code":"5120","education_level":"mbo","hours_per_week_min":24,)"
    R"("hours_per_week_max":38,"contract":"vast","salary_min":2500,"salary_max":3200.5,)"
    R"("postcode":"1234AB","municipality":"Utrecht","region":"AM09","positions":2,"placements":0,)"
    R"("target_groups":["ww"],"skills":["koken"],"driving_licences":[],)"
    R"("contact_email":"hr@example.nl","contact_phone":"030-1234567"})";
constexpr const char* k_employer_full =
    R"({"id":"e-1","name":"Hotel De Spiegel B.V.","created_at":"2020-01-01T00:00:00Z",)"
    R"("postcode":"1234AB","municipality":"Utrecht","region":"AM09","sector":"horeca",)"
    R"("employees":25,"status":"actief","last_contact_at":"2026-08-01T10:00:00Z",)"
    R"("account_holder":"j.jansen"})";

// The fixed records, parsed once; they live as long as the process.
struct Fixture {
    model::Arena arena;
    std::vector<model::Record> records;
    std::string rules_dir;
    std::string rule_file;
    std::int64_t as_of = 0;

    Fixture() {
        model::JsonParser parser;
        const std::pair<model::Kind, const char*> sources[] = {
            {model::Kind::cv, k_cv_full},
            {model::Kind::cv, R"({"id":"cv-2"})"},
            {model::Kind::vacancy, k_vacancy_full},
            {model::Kind::vacancy, R"({"id":"v-2","status":"open"})"},
            {model::Kind::employer, k_employer_full},
            {model::Kind::employer, R"({"id":"e-2"})"},
        };
        for (const auto& [kind, json] : sources) {
            auto value = parser.parse(json, arena);
            check(static_cast<bool>(value), "fixture record parses");
            auto rec = model::record_from_json(kind, *value, arena);
            check(static_cast<bool>(rec), "fixture record validates");
            records.push_back(*rec);
        }
        as_of = *util::parse_timestamp("2026-10-01T12:00:00Z");

        namespace fs = std::filesystem;
        const auto& scratch = fuzz::ScratchDir::get();
        rules_dir = scratch.file("rules");
        rule_file = rules_dir + "/fuzz.yaml";
        fs::create_directories(rules_dir);
        const fs::path shipped = fs::path(SPIEGEL_SOURCE_DIR) / "rules";
        fs::copy(shipped / "codes", rules_dir + "/codes", fs::copy_options::recursive);
        fs::copy(shipped / "lexicons", rules_dir + "/lexicons", fs::copy_options::recursive);
    }
};

const Fixture& fixture() {
    static const Fixture f;
    return f;
}

void check_diagnostics(const std::vector<rules::Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
        check(!d.file.empty(), "a diagnostic names its file");
        check(d.line >= 1 && d.column >= 1, "a diagnostic has a 1-based line and column");
        check(!d.message.empty(), "a diagnostic has a message");
    }
}

void check_infos(const rules::RuleSet& set) {
    std::set<std::string> ids;
    std::size_t enabled = 0;
    for (const auto kind : model::k_all_kinds) {
        for (const auto& info : set.rules(kind)) {
            check(!info.id.empty() && ids.insert(info.id).second, "rule ids are unique and non-empty");
            check(set.find(info.id) == &info, "find() returns the rule with that id");
            check(info.kind == kind, "a rule is listed under its own kind");
            check(info.weight > 0 && info.weight <= 1000, "a rule weight is in (0, 1000]");
            check(info.severity == "info" || info.severity == "warning" || info.severity == "error",
                  "a rule severity is info, warning or error");
            enabled += info.enabled ? 1 : 0;
        }
        const auto fields = model::schema_for(kind).fields.size();
        check(set.used_fields(kind).size() == fields, "used_fields has one flag per field");
        check(set.cross_fields(kind).size() == fields, "cross_fields has one flag per field");
    }
    check(set.enabled_count() == enabled, "enabled_count() counts the enabled rules");
}

void check_outcome(const rules::RuleSet& set, const model::Record& rec, const rules::Outcome& out) {
    const auto& infos = set.rules(rec.kind);
    check(out.states.size() == infos.size(), "one state per rule of the kind");
    for (std::size_t i = 0; i < infos.size(); ++i) {
        check(infos[i].enabled || out.states[i] == rules::RuleState::not_applicable,
              "a disabled rule is not applicable");
    }
    std::size_t failed = 0;
    for (const auto& s : out.states) {
        failed += s == rules::RuleState::fail ? 1 : 0;
    }
    check(out.failed.size() == failed, "failed lists every failed rule once");
    for (const auto r : out.failed) {
        check(r < infos.size() && out.states[r] == rules::RuleState::fail, "failed points at failed rules");
    }
    check(out.score >= 0 && out.score <= 100, "the score is within 0..100");
    for (const double d : out.dimension_scores) {
        check(d == -1.0 || (d >= 0 && d <= 100), "a dimension score is -1 or within 0..100");
    }
}

void evaluate(const rules::RuleSet& set, const Fixture& f) {
    std::unique_ptr<rules::CrossIndex> cross;
    const auto inputs = set.cross_inputs();
    if (!inputs.empty()) {
        rules::CrossIndexBuilder builder(set);
        for (const auto& rec : f.records) {
            for (const auto kind : inputs) {
                if (rec.kind == kind) {
                    builder.add(rec);
                }
            }
        }
        cross = builder.finish();
    }
    rules::Outcome out;
    for (const auto& rec : f.records) {
        set.evaluate(rec, rules::EvalContext{f.as_of, cross.get()}, out);
        check_outcome(set, rec, out);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Fixture& f = fixture();
    fuzz::write_input(f.rule_file, data, size);
    auto result = rules::load_rule_set(f.rules_dir);
    check((result.rule_set == nullptr) != result.diagnostics.empty(),
          "the loader returns a rule set or diagnostics, not both or neither");
    check_diagnostics(result.diagnostics);
    if (result.rule_set) {
        check_infos(*result.rule_set);
        evaluate(*result.rule_set, f);
    }
    return 0;
}
