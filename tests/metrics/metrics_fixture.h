#pragma once
// A small source database scanned into a real state database with the
// shipped rules, and helpers to read Prometheus text (tests/metrics only).

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/app/scan_job.h"
#include "daemon/metrics/exporter.h"
#include "daemon/metrics/snapshot.h"
#include "daemon/model/arena.h"
#include "daemon/rules/rule_set.h"
#include "daemon/store/source_db.h"
#include "daemon/store/state_db.h"
#include "daemon/util/time.h"
#include "tests/support/scanned_world.h"
#include "tests/support/test_support.h"

namespace spiegel::metrics::testing {

using model::Kind;

// A complete CV in `region` with the given target groups (JSON array body);
// with interests it passes cv.banenafspraak.complete.
inline std::string cv(const std::string& id, const std::string& region, const std::string& groups,
                      bool interests = false) {
    return spiegel::testing::complete_cv(id, region, groups, interests);
}

class ScannedState : public spiegel::testing::ScannedWorld {
protected:
    // 11 CVs: 6 banenafspraak in AM21 (4 complete, 2 also ww and incomplete),
    // 3 ww in AM01, one with an unknown region code, one with nothing.
    void fixture() {
        upsert(Kind::cv, {cv("cv-1", "AM21", R"("banenafspraak")", true), cv("cv-2", "AM21", R"("banenafspraak")", true),
                          cv("cv-3", "AM21", R"("banenafspraak")", true), cv("cv-4", "AM21", R"("banenafspraak")", true),
                          cv("cv-5", "AM21", R"("banenafspraak","ww")"), cv("cv-6", "AM21", R"("ww","banenafspraak")"),
                          cv("cv-7", "AM01", R"("ww")"), cv("cv-8", "AM01", R"("ww")"), cv("cv-9", "AM01", R"("ww")"),
                          R"({"id":"cv-10","region":"XX99"})", R"({"id":"cv-11"})"});
    }

    // The snapshot as the daemon loads it at start: read from the state database.
    std::shared_ptr<const Snapshot> snapshot(int min_cell) {
        auto snap = load_snapshot(m_config.state.database, *m_rules, spiegel::testing::shipped_code_lists(), min_cell);
        EXPECT_TRUE(snap) << snap.error().message;
        return snap ? *snap : nullptr;
    }
};

// Renders only the snapshot's families.
inline std::string render_snapshot(std::shared_ptr<const Snapshot> snap) {
    Exporter exporter("test");
    exporter.publish(std::move(snap));
    return exporter.render();
}

// Sample lines of Prometheus text: "name{labels}" -> value.
inline std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.rfind(' ');
        const std::string value = line.substr(space + 1);
        out[line.substr(0, space)] = value == "+Inf" ? 1e300 : std::stod(value);
    }
    return out;
}

// Runs `promtool check metrics` on text; returns its exit status and output.
inline std::pair<int, std::string> promtool_check(const std::string& text, const std::string& dir) {
    const std::string file = dir + "/metrics.txt";
    spiegel::testing::write_file(file, text);
    std::FILE* p = ::popen(("/usr/bin/promtool check metrics < " + file + " 2>&1").c_str(), "r");
    std::string output;
    char buf[4096];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) {
        output += buf;
    }
    const int status = p == nullptr ? -1 : ::pclose(p);
    return {status, output};
}

}  // namespace spiegel::metrics::testing
