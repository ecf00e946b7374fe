#include "daemon/util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/test_support.h"

namespace spiegel::util {
namespace {

using testing::TempDir;

TEST(ReadRegularFile, a_small_file_is_read_whole) {
    TempDir dir;
    testing::write_file(dir.file("a.yaml"), "kind: cv\n");
    const FileText f = read_regular_file(dir.file("a.yaml"), 100);
    EXPECT_EQ(f.failure, FileText::Failure::none);
    EXPECT_EQ(f.text, "kind: cv\n");
}

TEST(ReadRegularFile, a_file_over_the_limit_is_refused) {
    TempDir dir;
    testing::write_file(dir.file("a.yaml"), std::string(101, 'x'));
    EXPECT_EQ(read_regular_file(dir.file("a.yaml"), 100).failure, FileText::Failure::too_large);
    EXPECT_EQ(read_regular_file(dir.file("a.yaml"), 101).failure, FileText::Failure::none);
}

TEST(ReadRegularFile, a_missing_file_gives_the_os_reason) {
    const FileText f = read_regular_file("/nonexistent/a.yaml", 100);
    EXPECT_EQ(f.failure, FileText::Failure::os_error);
    EXPECT_EQ(f.reason, "No such file or directory");
}

TEST(ReadRegularFile, directories_and_fifos_are_not_regular_files) {
    TempDir dir;
    ASSERT_EQ(mkfifo(dir.file("pipe").c_str(), 0600), 0);
    EXPECT_EQ(read_regular_file(dir.path(), 100).failure, FileText::Failure::not_regular);
    EXPECT_EQ(read_regular_file(dir.file("pipe"), 100).failure, FileText::Failure::not_regular);
}

}  // namespace
}  // namespace spiegel::util
