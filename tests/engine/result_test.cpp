// engine::result_digest: equal rows give equal digests, and a change to
// any one field of a row changes its digest (a full rescan skips a record
// whose digest is unchanged, so a field left out would keep a stale result).
#include "daemon/engine/result.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace spiegel::engine {
namespace {

ResultRow filled_row() {
    ResultRow row;
    row.kind = model::Kind::cv;
    row.id = std::string("cv-1");
    row.source_row = 17;
    row.score = 87.5;
    row.failed = {"cv.email.valid", "cv.skills.min"};
    row.not_applicable = {"cv.travel.present"};
    row.rated = true;
    row.dimensions = {90.0, 80.0, -1.0, 100.0, 70.0, 60.0};
    row.unreadable = false;
    row.region = std::string("AM21");
    row.target_groups = {"wajong"};
    row.occupation = std::string("2512");
    row.peer.visible = true;
    row.peer.education = std::string("hbo");
    row.peer.birth_bucket = std::string("1961-1970");
    row.peer.hours_bucket = std::string("8");
    row.peer.skills = {"java", "sql"};
    row.peer.licences = {"B"};
    row.peer.co_occupations = {"2511"};
    row.peer.open = false;
    row.peer.salary = false;
    return row;
}

TEST(ResultDigest, equal_rows_have_equal_nonzero_digests) {
    const ResultRow a = filled_row();
    const ResultRow b = filled_row();
    EXPECT_EQ(result_digest(a), result_digest(b));
    EXPECT_NE(result_digest(a), 0u);
    ResultRow with_digest = filled_row();
    with_digest.digest = 12345;  // the digest does not cover itself
    EXPECT_EQ(result_digest(with_digest), result_digest(a));
}

TEST(ResultDigest, every_field_changes_the_digest) {
    const std::vector<std::pair<std::string, std::function<void(ResultRow&)>>> changes = {
        {"kind", [](ResultRow& r) { r.kind = model::Kind::vacancy; }},
        {"id", [](ResultRow& r) { r.id = "cv-2"; }},
        {"source_row", [](ResultRow& r) { r.source_row = 18; }},
        {"score", [](ResultRow& r) { r.score = 87.6; }},
        {"failed", [](ResultRow& r) { r.failed.pop_back(); }},
        {"failed order", [](ResultRow& r) { std::swap(r.failed[0], r.failed[1]); }},
        {"not_applicable", [](ResultRow& r) { r.not_applicable.clear(); }},
        {"rated", [](ResultRow& r) { r.rated = false; }},
        {"dimension", [](ResultRow& r) { r.dimensions[2] = 0.0; }},
        {"unreadable", [](ResultRow& r) { r.unreadable = true; }},
        {"region", [](ResultRow& r) { r.region = "AM22"; }},
        {"target_groups", [](ResultRow& r) { r.target_groups.push_back("statushouder"); }},
        {"occupation", [](ResultRow& r) { r.occupation = "2511"; }},
        {"visible", [](ResultRow& r) { r.peer.visible = false; }},
        {"education", [](ResultRow& r) { r.peer.education = "mbo"; }},
        {"birth_bucket", [](ResultRow& r) { r.peer.birth_bucket = "onbekend"; }},
        {"hours_bucket", [](ResultRow& r) { r.peer.hours_bucket = "nvt"; }},
        {"skills", [](ResultRow& r) { r.peer.skills[1] = "sqlite"; }},
        {"licences", [](ResultRow& r) { r.peer.licences.clear(); }},
        {"co_occupations", [](ResultRow& r) { r.peer.co_occupations.push_back("2513"); }},
        {"open", [](ResultRow& r) { r.peer.open = true; }},
        {"salary", [](ResultRow& r) { r.peer.salary = true; }},
        {"hours_min", [](ResultRow& r) { r.peer.hours_min = "24"; }},
        {"hours_max", [](ResultRow& r) { r.peer.hours_max = "36"; }},
        // Text moving between neighbouring fields or list items.
        {"list split", [](ResultRow& r) { r.peer.skills = {"javasql"}; }},
        {"field boundary", [](ResultRow& r) {
             r.peer.education.append(r.peer.birth_bucket);
             r.peer.birth_bucket.clear();
         }},
    };
    const std::uint64_t base = result_digest(filled_row());
    for (const auto& [name, change] : changes) {
        ResultRow row = filled_row();
        change(row);
        EXPECT_NE(result_digest(row), base) << name;
    }
}

}  // namespace
}  // namespace spiegel::engine
