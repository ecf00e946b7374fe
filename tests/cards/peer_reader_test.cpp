#include "daemon/cards/record_reader.h"

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
        "('vacancy', '7212', '', 'open', '', 15, 1), ('employer', '7212', '', 'count', '', 5, 1), "
        // score sums per cell: c1 (80, AM21) and c2 (60, AM01) seek 7212, v1 (90, AM21)
        "('cv', '7212', '', 'count', '', 2, 1), ('cv', '7212', '', 'score_tenths', '', 1400, 1), "
        "('cv', '7212', 'AM21', 'count', '', 1, 1), ('cv', '7212', 'AM21', 'score_tenths', '', 800, 1), "
        "('vacancy', '7212', '', 'count', '', 1, 1), ('vacancy', '7212', '', 'score_tenths', '', 900, 1), "
        "('vacancy', '7212', 'AM21', 'count', '', 1, 1), ('vacancy', '7212', 'AM21', 'score_tenths', '', 900, 1), "
        "('cv', '7213', '', 'count', '', 1, 1), ('cv', '7213', '', 'score_tenths', '', 100, 1)");
}

TEST(PeerReader, reads_national_and_regional_cells_of_one_occupation) {
    TempDir dir;
    const std::string path = dir.file("state.db");
    fill(path);
    cards::CardReader reader(path, dir.file("source.db"));
    const auto data = reader.read_occupation("7212", "AM21");
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
    EXPECT_DOUBLE_EQ(data->regional->cv_scores.sum, 80.0);
    EXPECT_EQ(data->regional->vacancy_scores.records, 1);
    EXPECT_DOUBLE_EQ(data->regional->vacancy_scores.sum, 90.0);
    EXPECT_EQ(data->national.cv.count("score_tenths"), 0u) << "consumed into cv_scores";
}

TEST(PeerReader, missing_state_database_is_an_error_without_data) {
    TempDir dir;
    cards::CardReader reader(dir.file("absent.db"), dir.file("source.db"));
    const auto data = reader.read_occupation("7212", "");
    ASSERT_FALSE(data.ok());
    EXPECT_NE(data.error().message.find("state database"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::testing
