// The source section: kind sqlite (default) or postgresql, each with its
// own keys; conninfo checked without ever quoting it; the password file
// resolved against the config and refused when others may read it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "daemon/app/config.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

class ConfigSourceTest : public ::testing::Test {
  protected:
    ConfigLoad load(const std::string& source) {
        testing::write_file(
            m_dir.file("c.yaml"),
            "source:\n" + source + "state:\n  database: s.db\nrules:\n  directory: r\n");
        return load_config_all(m_dir.file("c.yaml"));
    }
    std::string problems(const std::string& source) {
        std::string all;
        for (const auto& p : load(source).problems) {
            all += p + "\n";
        }
        return all;
    }
    testing::TempDir m_dir;
};

TEST_F(ConfigSourceTest, sqlite_is_the_default_kind) {
    const auto c = load("  database: data/source.db\n");
    ASSERT_TRUE(c.config);
    EXPECT_EQ(c.config->source.kind, "sqlite");
    EXPECT_FALSE(c.config->source.postgresql());
    EXPECT_EQ(c.config->source.database, m_dir.file("data/source.db"));
}

TEST_F(ConfigSourceTest, postgresql_reads_conninfo_schema_and_a_private_password_file) {
    testing::write_file(m_dir.file("pg.pass"), "secret\n");
    ::chmod(m_dir.file("pg.pass").c_str(), 0600);
    const auto c = load(
        "  kind: postgresql\n  conninfo: \"host=/run/postgresql dbname=werk user=spiegel\"\n"
        "  schema: bron\n  password_file: pg.pass\n");
    ASSERT_TRUE(c.config) << c.problems.front();
    EXPECT_TRUE(c.config->source.postgresql());
    EXPECT_EQ(c.config->source.conninfo, "host=/run/postgresql dbname=werk user=spiegel");
    EXPECT_EQ(c.config->source.schema, "bron");
    EXPECT_EQ(c.config->source.password_file, m_dir.file("pg.pass"));
    EXPECT_TRUE(c.config->source.database.empty());
}

TEST_F(ConfigSourceTest, an_unknown_kind_lists_the_choices) {
    const auto p = problems("  kind: mysql\n  database: x.db\n");
    EXPECT_NE(p.find("c.yaml:2:9: key 'source.kind'"), std::string::npos) << p;
    EXPECT_NE(p.find("postgresql"), std::string::npos) << p;
}

TEST_F(ConfigSourceTest, postgresql_without_conninfo_is_an_error) {
    const auto p = problems("  kind: postgresql\n");
    EXPECT_NE(p.find("key 'source.conninfo': missing required key"), std::string::npos) << p;
}

TEST_F(ConfigSourceTest, a_conninfo_that_does_not_parse_is_refused_without_quoting_it) {
    const auto p = problems("  kind: postgresql\n  conninfo: \"host=x password secret-word\"\n");
    EXPECT_NE(p.find("c.yaml:3:13: key 'source.conninfo': not a valid libpq conninfo"),
              std::string::npos)
        << p;
    EXPECT_EQ(p.find("secret-word"), std::string::npos) << p;
}

TEST_F(ConfigSourceTest, a_uri_with_a_password_is_refused) {
    const auto p =
        problems("  kind: postgresql\n  conninfo: \"postgresql://spiegel:hunter2@db/werk\"\n");
    EXPECT_NE(p.find("must not hold a password"), std::string::npos) << p;
    EXPECT_EQ(p.find("hunter2"), std::string::npos) << p;
}

TEST_F(ConfigSourceTest, keys_of_the_other_kind_are_errors) {
    const auto p = problems("  database: x.db\n  conninfo: \"dbname=werk\"\n  schema: s\n");
    EXPECT_NE(p.find("key 'source.conninfo': only for source.kind postgresql"), std::string::npos)
        << p;
    EXPECT_NE(p.find("key 'source.schema': only for source.kind postgresql"), std::string::npos)
        << p;
}

TEST_F(ConfigSourceTest, a_missing_password_file_is_an_error) {
    const auto p =
        problems("  kind: postgresql\n  conninfo: \"dbname=werk\"\n  password_file: nope.pass\n");
    EXPECT_NE(p.find("key 'source.password_file': "), std::string::npos) << p;
    EXPECT_NE(p.find("nope.pass: cannot read the password file"), std::string::npos) << p;
}

}  // namespace
}  // namespace spiegel::app
