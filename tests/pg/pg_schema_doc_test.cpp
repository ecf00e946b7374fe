// docs/source-schema.md shows the PostgreSQL DDL for data teams; keep it exact.
#include <gtest/gtest.h>

#include "daemon/store/pg_schema.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

TEST(PgSchemaDoc, documented_ddl_matches_what_schema_postgresql_prints) {
    const std::string doc = testing::read_text(testing::source_dir() + "/docs/source-schema.md");
    EXPECT_NE(doc.find("```sql\n" + pg_schema_sql() + "```"), std::string::npos)
        << "docs/source-schema.md is out of date; its PostgreSQL DDL block must equal "
           "pg_schema_sql()";
}

}  // namespace
}  // namespace spiegel::store
