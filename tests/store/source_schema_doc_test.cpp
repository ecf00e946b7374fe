// docs/source-schema.md documents the DDL for ETL jobs; keep it exact.
#include <gtest/gtest.h>

#include "daemon/store/source_db.h"
#include "tests/support/test_support.h"

namespace spiegel::store {
namespace {

TEST(SourceSchemaDoc, documented_ddl_matches_the_code) {
    const std::string doc = testing::read_text(testing::source_dir() + "/docs/source-schema.md");
    const std::string ddl = source_schema_sql();
    EXPECT_NE(doc.find("```sql\n" + ddl + "```"), std::string::npos)
        << "docs/source-schema.md is out of date; its DDL block must equal source_schema_sql()";
}

}  // namespace
}  // namespace spiegel::store
