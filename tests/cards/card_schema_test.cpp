// Every card's JSON is checked against its documented JSON Schema
// (docs/schemas/*.schema.json) with the python3-jsonschema validator, on
// cards of a real scanned world: peers by occupation, by minor group and
// none, with and without contact details, national and regional.

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <variant>

#include "daemon/cards/card_service.h"
#include "daemon/cards/record_summary.h"
#include "daemon/util/json_sink.h"
#include "tests/support/card_world.h"

namespace spiegel::testing {
namespace {

CardWorld& world() {
    static CardWorld w;
    return w;
}

struct Validation {
    int exit_code = -1;
    std::string output;
};

// Runs tests/support/validate_card.py with Debian's python3 (its jsonschema).
Validation validate(const std::string& schema, const std::vector<std::string>& files) {
    std::string command = "/usr/bin/python3 " + source_dir() + "/tests/support/validate_card.py " + source_dir() +
                          "/docs/schemas " + schema;
    for (const auto& f : files) {
        command += " " + f;
    }
    command += " 2>&1";
    Validation v;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return v;
    }
    char buffer[4096];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
        v.output.append(buffer, n);
    }
    const int status = pclose(pipe);
    v.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return v;
}

std::string save(const std::string& name, const cards::CardResult& card) {
    EXPECT_TRUE(std::holds_alternative<nlohmann::json>(card)) << name;
    const std::string path = world().dir.file(name + ".json");
    write_file(path, std::holds_alternative<nlohmann::json>(card) ? cards::card_text(std::get<nlohmann::json>(card))
                                                                   : std::string("{}"));
    return path;
}

// A personal card as the JSON route serves it: written straight into text
// (cards::cv_card_to, cards::vacancy_card_to; own_employer: the vacancy as
// its own employer reads it, with its title).
std::string served_text(const cards::CardSource& source, store::CardReader& reader, const std::string& kind,
                        const std::string& id, bool own_employer = false) {
    const auto may_read = [](const std::string&) { return true; };
    std::string text;
    util::JsonTextSink sink(text, 2);
    const auto failed = kind == "cv"     ? cards::cv_card_to(sink, source, reader, id, true)
                        : own_employer ? cards::vacancy_card_to(sink, source, reader, id, may_read, true)
                                       : cards::vacancy_card_to(sink, source, reader, id);
    EXPECT_FALSE(failed.has_value()) << id << ": " << (failed ? failed->message : "");
    return text + '\n';
}

// The served text, after checking that it is the text of the tree the same
// builder writes for the HTML page (cv_card_json, vacancy_card_json).
std::string served_cv_text(const cards::CardSource& source, store::CardReader& reader, const std::string& id,
                           bool include_contact) {
    std::string text;
    util::JsonTextSink sink(text, 2);
    const auto failed = cards::cv_card_to(sink, source, reader, id, include_contact);
    EXPECT_FALSE(failed.has_value()) << id << ": " << (failed ? failed->message : "");
    text += '\n';
    const cards::CardResult tree = cards::cv_card_json(source, reader, id, include_contact);
    EXPECT_TRUE(std::holds_alternative<nlohmann::json>(tree)) << id;
    if (std::holds_alternative<nlohmann::json>(tree)) {
        EXPECT_EQ(text, cards::card_text(std::get<nlohmann::json>(tree))) << id;
    }
    return text;
}

std::string served_vacancy_text(const cards::CardSource& source, store::CardReader& reader, const std::string& id,
                                bool own_employer = false) {
    const auto may_read = [](const std::string&) { return true; };
    const std::string text = served_text(source, reader, "vacancy", id, own_employer);
    const cards::CardResult tree = own_employer ? cards::vacancy_card_json(source, reader, id, may_read, true)
                                                : cards::vacancy_card_json(source, reader, id);
    EXPECT_TRUE(std::holds_alternative<nlohmann::json>(tree)) << id;
    if (std::holds_alternative<nlohmann::json>(tree)) {
        EXPECT_EQ(text, cards::card_text(std::get<nlohmann::json>(tree))) << id;
        EXPECT_EQ(std::get<nlohmann::json>(tree).contains("title"), own_employer) << id;
    }
    return text;
}

std::string save_text(const std::string& name, const std::string& text) {
    const std::string path = world().dir.file(name + ".json");
    write_file(path, text);
    return path;
}

std::string save_cv(const std::string& name, const cards::CardSource& source, store::CardReader& reader,
                    const std::string& id, bool include_contact) {
    const std::string path = world().dir.file(name + ".json");
    write_file(path, served_cv_text(source, reader, id, include_contact));
    return path;
}

TEST(CardSchema, cv_cards_match_the_documented_schema) {
    cards::CardSource source = world().card_source();
    store::CardReader reader(source.state_db, source.source_db);
    std::vector<std::string> files;
    files.push_back(save_cv("cv-occupation", source, reader, "cv-target", true));
    files.push_back(save_cv("cv-no-contact", source, reader, "cv-p01", false));
    files.push_back(save_cv("cv-hidden", source, reader, "cv-hidden", true));
    source.min_cell = 12;  // 12 others: still enough
    files.push_back(save_cv("cv-k12", source, reader, "cv-target", true));
    source.min_cell = 13;  // the minor group has 12 others too: no peers
    files.push_back(save_cv("cv-none", source, reader, "cv-target", true));
    std::string none;
    util::JsonTextSink sink(none, 2);
    const auto missing = cards::cv_card_to(sink, source, reader, "cv-nobody", true);
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->kind, cards::CardErrorKind::not_found);
    EXPECT_EQ(none, "") << "nothing written for a card that is an error";
    const auto v = validate("cv-card.schema.json", files);
    EXPECT_EQ(v.exit_code, 0) << v.output;
}

TEST(CardSchema, vacancy_cards_match_the_documented_schema) {
    cards::CardSource source = world().card_source();
    store::CardReader reader(source.state_db, source.source_db);
    std::vector<std::string> files;
    files.push_back(save_text("vac-own", served_vacancy_text(source, reader, "vac-own")));
    files.push_back(save_text("vac-own-employer", served_vacancy_text(source, reader, "vac-own", true)));
    files.push_back(save_text("vac-p03", served_vacancy_text(source, reader, "vac-p03")));
    source.min_cell = 13;
    files.push_back(save_text("vac-none", served_vacancy_text(source, reader, "vac-own")));
    const auto v = validate("vacancy-card.schema.json", files);
    EXPECT_EQ(v.exit_code, 0) << v.output;
}

TEST(CardSchema, occupation_cards_match_the_documented_schema) {
    const cards::CardSource source = world().card_source();
    std::vector<std::string> files;
    files.push_back(save("occ-national", cards::occupation_card_json(source, "2512", "")));
    files.push_back(save("occ-regional", cards::occupation_card_json(source, "2512", "AM21")));
    files.push_back(save("occ-empty-region", cards::occupation_card_json(source, "2512", "AM01")));
    const auto v = validate("occupation-card.schema.json", files);
    EXPECT_EQ(v.exit_code, 0) << v.output;
}

// Every card of a generated demo world, whose records carry the generator's
// defects (occupation codes such as "99999" or "magazijn" among them): the
// hand-made world above cannot think of every value a card may meet.
TEST(CardSchema, every_card_of_a_demo_world_matches_the_documented_schema) {
    TempDir dir;
    const std::string config = write_test_config(dir, source_dir() + "/rules");
    const auto demo = run_spiegeld({"demo", "--config", config, "--cvs", "1500", "--vacancies", "300", "--employers",
                                    "60", "--seed", "7"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    {
        // Regions outside regions.csv, which no card may call "uw regio".
        auto db = store::SourceDb::open(dir.file("data/source.db"), store::SourceDb::Mode::read_write);
        ASSERT_TRUE(db.ok()) << db.error().message;
        write_records(**db, model::Kind::vacancy,
                      {R"({"id":"vac-odd-1","employer_id":"emp-1","status":"open","occupation_code":"2512","region":"Amsterdam"})",
                       R"({"id":"vac-odd-2","employer_id":"emp-1","status":"open","occupation_code":"2512","region":"AM99"})"});
        write_records(**db, model::Kind::cv,
                      {R"({"id":"cv-odd-1","region":"AM99","visible":true,"desired_occupations":[{"code":"2512"}]})"});
    }
    const auto scan = run_spiegeld({"scan", "--config", config, "--report", dir.file("report.ndjson")});
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    auto catalog = cards::CardCatalog::load(source_dir() + "/rules");
    ASSERT_TRUE(catalog.ok());
    const cards::CardSource source{dir.file("data/state.db"), source_dir() + "/rules", 10, dir.file("data/source.db"),
                                   *catalog, 300};
    store::CardReader reader(source.state_db, source.source_db);
    std::map<std::string, std::vector<std::string>> files;  // schema -> cards
    std::set<std::pair<std::string, std::string>> occupations{{"2512", ""}};
    std::istringstream report(read_text(dir.file("report.ndjson")));
    int n = 0;
    for (std::string line; std::getline(report, line);) {
        const auto row = nlohmann::json::parse(line);
        const std::string kind = row.at("kind");
        const std::string id = row.at("id");
        const std::string name = dir.file("card-" + std::to_string(n++) + ".json");
        cards::CardResult card;
        if (kind == "cv") {
            card = cards::cv_card_json(source, reader, id, true);
        } else if (kind == "vacancy") {
            card = cards::vacancy_card_json(source, reader, id);
        } else {
            continue;
        }
        ASSERT_TRUE(std::holds_alternative<nlohmann::json>(card)) << kind << " " << id;
        const auto& doc = std::get<nlohmann::json>(card);
        if (id == "vac-odd-1" || id == "vac-odd-2") {
            EXPECT_EQ(doc["pool"]["region"], "") << id;
            EXPECT_EQ(doc["pool"]["area"], "in heel Nederland") << id;
        }
        if (id == "cv-odd-1") {
            EXPECT_TRUE(doc["suggestions"]["open_vacancies"].is_null()) << doc["suggestions"];
        }
        const std::string text = served_text(source, reader, kind, id);
        EXPECT_EQ(text, cards::card_text(doc)) << kind << " " << id << ": the served text is the tree's text";
        write_file(name, text);
        files[kind + "-card.schema.json"].push_back(name);
        const std::string code = doc["peers"]["code"];
        if (cards::known_occupation((*catalog)->codes, code)) {
            occupations.insert({code, ""});
            occupations.insert({code, doc.contains("pool") ? doc["pool"]["region"].get<std::string>() : ""});
        }
    }
    for (const auto& [code, region] : occupations) {
        const std::string name = dir.file("card-" + std::to_string(n++) + ".json");
        const auto card = cards::occupation_card_json(source, reader, code, region);
        ASSERT_TRUE(std::holds_alternative<nlohmann::json>(card)) << code << " " << region;
        write_file(name, cards::card_text(std::get<nlohmann::json>(card)));
        files["occupation-card.schema.json"].push_back(name);
    }
    ASSERT_EQ(files["cv-card.schema.json"].size(), 1501u);
    ASSERT_EQ(files["vacancy-card.schema.json"].size(), 302u);
    ASSERT_GT(files["occupation-card.schema.json"].size(), 20u);
    for (const auto& [schema, cards] : files) {
        const auto v = validate(schema, cards);
        EXPECT_EQ(v.exit_code, 0) << schema << ": " << v.output.substr(0, 2000);
    }
}

TEST(CardSchema, validator_rejects_a_card_with_an_extra_or_missing_key) {
    cards::CardSource source = world().card_source();
    store::CardReader reader(source.state_db, source.source_db);
    auto card = std::get<nlohmann::json>(cards::cv_card_json(source, reader, "cv-target", true));
    card["bsn"] = "123456782";
    card["peers"].erase("text");
    const std::string path = world().dir.file("cv-bad.json");
    write_file(path, card.dump());
    const auto v = validate("cv-card.schema.json", {path});
    EXPECT_EQ(v.exit_code, 1) << v.output;
    EXPECT_NE(v.output.find("'bsn' was unexpected"), std::string::npos) << v.output;
    EXPECT_NE(v.output.find("'text' is a required property"), std::string::npos) << v.output;
}

}  // namespace
}  // namespace spiegel::testing
