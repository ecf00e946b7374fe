#pragma once
// A small hand-computed peer fixture for occupation 7212 (Lassers en
// snijders), national and region AM21, and the shipped code lists.

#include <gtest/gtest.h>

#include "daemon/cards/occupation_card.h"

namespace spiegel::testing {

inline cards::CodeLists shipped_codes() {
    auto codes = cards::CodeLists::load(std::string(SPIEGEL_SOURCE_DIR) + "/rules");
    EXPECT_TRUE(codes.ok());
    return std::move(*codes);
}

// National: 200 visible CVs; region AM21: 40.
inline cards::PeerData welder_peers() {
    cards::PeerData d;
    auto& n = d.national;
    n.cv["count"][""] = 220;
    n.cv["visible"][""] = 200;
    n.cv["birth"] = {
        {"1948-1960", 12}, {"1961-1970", 20}, {"1971-1980", 40}, {"1981-1990", 53}, {"1991-", 75}};
    n.cv["hours_per_day"] = {{"<2", 3},       {"2 tot 4", 7}, {"4 tot 6", 30},
                             {"6 tot 8", 50}, {"8", 60},      {"nvt", 50}};
    n.cv["education"] = {{"", 10},     {"basis", 10}, {"vmbo", 30},
                         {"mbo2", 50}, {"mbo4", 50},  {"hbo", 50}};
    n.cv["skill"] = {{"lassen", 30}, {"plannen", 12}, {"excel", 9}};
    n.cv["co_occupation"] = {{"7213", 11}, {"3343", 4}};
    n.vacancy["count"][""] = 60;
    n.vacancy["open"][""] = 50;
    n.cv_scores = {220, 17600.0};
    n.vacancy_scores = {60, 4500.0};
    cards::PeerCells r;
    r.cv["count"][""] = 45;
    r.cv["visible"][""] = 40;
    r.cv["birth"] = {{"1981-1990", 15}, {"1991-", 25}};
    r.cv["hours_per_day"] = {{"nvt", 40}};
    r.cv["education"] = {{"mbo2", 40}};
    r.cv["skill"] = {{"lassen", 10}};
    r.vacancy["count"][""] = 7;
    r.vacancy["open"][""] = 6;
    r.cv_scores = {9, 700.0};
    r.vacancy_scores = {7, 490.0};
    d.regional = std::move(r);
    return d;
}

}  // namespace spiegel::testing
