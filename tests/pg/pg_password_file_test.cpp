// store::pg_password_file_problem: the checks apply to the file actually
// opened (no server needed).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "daemon/store/pg_conn.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

std::string write_secret(testing::TempDir& dir, const std::string& name, mode_t mode) {
    const std::string path = dir.file(name);
    testing::write_file(path, "s3cret\n");
    ::chmod(path.c_str(), mode);
    return path;
}

TEST(PgPasswordFile, a_private_regular_file_is_accepted) {
    testing::TempDir dir;
    EXPECT_EQ(pg_password_file_problem(write_secret(dir, "pw", 0600)), "");
    EXPECT_EQ(pg_password_file_problem(write_secret(dir, "pw-ro", 0400)), "");
}

TEST(PgPasswordFile, any_access_for_group_or_others_is_refused) {
    testing::TempDir dir;
    for (mode_t mode : {0640, 0620, 0610, 0604, 0602, 0601}) {
        const std::string problem = pg_password_file_problem(write_secret(dir, "pw", mode));
        EXPECT_NE(problem.find("readable by group or others"), std::string::npos) << std::oct << mode;
        EXPECT_EQ(problem.find("s3cret"), std::string::npos);
    }
}

// A secret mounted as a symbolic link (as Kubernetes does) is read through
// the link, and the checks apply to the file it points at.
TEST(PgPasswordFile, a_link_is_followed_and_its_target_checked) {
    testing::TempDir dir;
    const std::string target = write_secret(dir, "target", 0600);
    std::filesystem::create_symlink(target, dir.file("link"));
    EXPECT_EQ(pg_password_file_problem(dir.file("link")), "");
    ::chmod(target.c_str(), 0644);
    EXPECT_NE(pg_password_file_problem(dir.file("link")), "");
}

TEST(PgPasswordFile, a_fifo_is_refused_without_waiting_for_a_writer) {
    testing::TempDir dir;
    const std::string path = dir.file("fifo");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    EXPECT_NE(pg_password_file_problem(path).find("not a regular file"), std::string::npos);
}

// An empty file is a config error at its key, not a scan that fails later.
TEST(PgPasswordFile, an_empty_file_is_refused) {
    testing::TempDir dir;
    for (const char* content : {"", "\n", "\r\nsecret\n"}) {
        const std::string path = dir.file("pg.pass");
        testing::write_file(path, content);
        ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
        EXPECT_NE(pg_password_file_problem(path).find("password file is empty"), std::string::npos) << content;
    }
}

TEST(PgPasswordFile, a_missing_file_is_named) {
    testing::TempDir dir;
    const std::string problem = pg_password_file_problem(dir.file("nope"));
    EXPECT_NE(problem.find("cannot read the password file"), std::string::npos);
    EXPECT_NE(problem.find("nope"), std::string::npos);
}

}  // namespace
}  // namespace spiegel::store
