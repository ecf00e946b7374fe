// spiegel_source_up: whether the last scan reached the source.
#include <gtest/gtest.h>

#include "tests/metrics/metrics_fixture.h"

namespace spiegel::metrics {
namespace {

using testing::samples;

TEST(SourceUp, is_0_before_the_first_scan) {
    Exporter exporter("1");
    EXPECT_EQ(samples(exporter.render()).at("spiegel_source_up"), 0);
}

TEST(SourceUp, follows_whether_the_last_scan_reached_the_source) {
    Exporter exporter("1");
    exporter.source_up(true);
    EXPECT_EQ(samples(exporter.render()).at("spiegel_source_up"), 1);
    exporter.source_up(false);
    EXPECT_EQ(samples(exporter.render()).at("spiegel_source_up"), 0);
    exporter.source_up(true);
    EXPECT_EQ(samples(exporter.render()).at("spiegel_source_up"), 1);
}

}  // namespace
}  // namespace spiegel::metrics
