#include "daemon/cards/peer_reader.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "daemon/store/state_db.h"
#include "tests/support/test_support.h"

namespace spiegel::testing {
namespace {

void fill(const std::string& path) {
    auto db = store::StateDb::open(path);
    ASSERT_TRUE(db.ok());
    auto& sql = (*db)->database();
    sql.exec(
        "INSERT INTO peer_stat VALUES "
        "('cv', '7212', '', 'visible', '', 30, 1), ('cv', '7212', 'AM21', 'visible', '', 12, 1), "
        "('cv', '7212', '', 'birth', '1991-', 30, 1), ('cv', '7213', '', 'visible', '', 99, 1), "
        "('vacancy', '7212', '', 'open', '', 15, 1), ('employer', '7212', '', 'count', '', 5, 1)");
    sql.exec(
        "INSERT INTO result (kind, id, scan_id, score, failed, unreadable, region, target_groups, "
        "occupation) VALUES "
        "('cv', 'c1', 1, 80, '', 0, 'AM21', '', '7212'), ('cv', 'c2', 1, 60, '', 0, 'AM01', '', "
        "'7212'), "
        "('vacancy', 'v1', 1, 90, '', 0, 'AM21', '', '7212'), ('cv', 'c3', 1, 10, '', 0, 'AM21', "
        "'', '7213')");
}

TEST(PeerReader, reads_national_and_regional_cells_of_one_occupation) {
    TempDir dir;
    const std::string path = dir.file("state.db");
    fill(path);
    const auto data = cards::read_peer_data(path, "7212", "AM21");
    ASSERT_TRUE(data.ok()) << data.error().message;
    EXPECT_EQ(data->national.cv.at("visible").at(""), 30);
    EXPECT_EQ(data->national.cv.at("birth").at("1991-"), 30);
    EXPECT_EQ(data->national.vacancy.at("open").at(""), 15);
    EXPECT_EQ(data->national.cv_scores.records, 2);
    EXPECT_DOUBLE_EQ(data->national.cv_scores.sum, 140.0);
    ASSERT_TRUE(data->regional.has_value());
    EXPECT_EQ(data->regional->cv.at("visible").at(""), 12);
    EXPECT_EQ(data->regional->cv.count("birth"), 0u);
    EXPECT_EQ(data->regional->cv_scores.records, 1);
    EXPECT_EQ(data->regional->vacancy_scores.records, 1);
}

TEST(PeerReader, missing_state_database_is_an_error_without_data) {
    TempDir dir;
    const auto data = cards::read_peer_data(dir.file("absent.db"), "7212", "");
    ASSERT_FALSE(data.ok());
    EXPECT_NE(data.error().message.find("state database"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::testing
