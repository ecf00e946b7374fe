// spiegeld schema postgresql: the DDL a data team runs with psql to create
// a PostgreSQL source (docs/source-schema.md).
#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/store/pg_schema.h"

namespace spiegel::app {

int cmd_schema(const std::string& engine) {
    if (engine != "postgresql") {
        return fail(k_exit_usage, "schema: expected 'postgresql'");
    }
    std::cout << store::pg_schema_sql();
    return std::cout.flush() ? k_exit_ok : k_exit_failure;
}

}  // namespace spiegel::app
