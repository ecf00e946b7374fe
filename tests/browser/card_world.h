#pragma once
// A small demo world for the browser tests: `spiegeld demo` and a full
// `scan` into a temp dir, then the ids of a CV, a vacancy and an occupation
// picked from the state DB, and the personal cards written as HTML files by
// the CLI (Chromium cannot send a bearer token from its command line).
// Header-only (test binaries glob only *_test.cpp).

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace spiegel::testing::browser {

struct CardWorld {
    TempDir dir;
    std::string config;
    std::string occupation;  // the ISCO code with the most visible CVs
    std::string region;      // the region with the most of those CVs
    std::string cv_id;       // a visible CV of that occupation with the most failed rules
    std::string vacancy_id;  // a vacancy of that occupation with the most failed rules
    std::string cv_html;     // `spiegeld card cv ... --format html`, saved
    std::string vacancy_html;
    std::string occupation_html;  // `spiegeld card occupation ... --region ... --format html`
};

namespace detail {

inline std::string first_text(SQLite::Database& db, const std::string& sql,
                              const std::string& arg) {
    SQLite::Statement query(db, sql);
    if (!arg.empty()) {
        query.bind(1, arg);
    }
    return query.executeStep() ? query.getColumn(0).getString() : std::string();
}

// Runs spiegeld; "" on success, else what failed (the command and its stderr).
inline std::string run_step(const std::vector<std::string>& args, const std::string& cwd,
                            std::string* out = nullptr) {
    const RunResult result = run_spiegeld(args, cwd);
    if (result.exit_code != 0) {
        return "spiegeld " + args.front() + " exited " + std::to_string(result.exit_code) + ": " +
               result.err;
    }
    if (out != nullptr) {
        *out = result.out;
    }
    return "";
}

}  // namespace detail

// Builds the world; on failure returns nullptr and sets error.
inline std::unique_ptr<CardWorld> make_card_world(std::string& error) {
    auto world = std::make_unique<CardWorld>();
    const std::string& cwd = world->dir.path();
    world->config = write_test_config(world->dir, source_dir() + "/rules");
    const std::vector<std::vector<std::string>> setup = {
        {"demo", "--config", world->config, "--cvs", "3000", "--vacancies", "600", "--employers",
         "150", "--seed", "7"},
        {"scan", "--config", world->config, "--full"}};
    for (const auto& args : setup) {
        if (error = detail::run_step(args, cwd); !error.empty()) {
            return nullptr;
        }
    }
    {
        SQLite::Database db(world->dir.file("data/state.db"), SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        world->occupation = detail::first_text(
            db,
            "SELECT occupation FROM result WHERE kind = 'cv' AND visible = 1 AND occupation <> '' "
            "GROUP BY occupation ORDER BY count(*) DESC, occupation LIMIT 1",
            "");
        world->region = detail::first_text(
            db,
            "SELECT region FROM result WHERE kind = 'cv' AND visible = 1 AND occupation = ? "
            "AND region <> '' GROUP BY region ORDER BY count(*) DESC, region LIMIT 1",
            world->occupation);
        world->cv_id = detail::first_text(
            db,
            "SELECT id FROM result WHERE kind = 'cv' AND visible = 1 AND occupation = ? "
            "ORDER BY length(failed) DESC, id LIMIT 1",
            world->occupation);
        world->vacancy_id = detail::first_text(
            db,
            "SELECT id FROM result WHERE kind = 'vacancy' ORDER BY occupation = ? DESC, "
            "length(failed) DESC, id LIMIT 1",
            world->occupation);
    }
    if (world->occupation.empty() || world->region.empty() || world->cv_id.empty() ||
        world->vacancy_id.empty()) {
        error = "the demo world has no visible CV with an occupation and region, or no vacancy";
        return nullptr;
    }
    world->cv_html = world->dir.file("cv-card.html");
    world->vacancy_html = world->dir.file("vacancy-card.html");
    world->occupation_html = world->dir.file("occupation-card.html");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cards = {
        {{"cv", world->cv_id}, world->cv_html},
        {{"vacancy", world->vacancy_id}, world->vacancy_html},
        {{"occupation", world->occupation, "--region", world->region}, world->occupation_html}};
    for (const auto& [card, path] : cards) {
        std::vector<std::string> args{"card", "--config", world->config};
        args.insert(args.end(), card.begin(), card.end());
        args.insert(args.end(), {"--format", "html"});
        std::string html;
        error = detail::run_step(args, cwd, &html);
        if (!error.empty()) {
            return nullptr;
        }
        write_file(path, html);
    }
    return world;
}

}  // namespace spiegel::testing::browser
