#include "daemon/store/sqlite_process.h"

#include <sqlite3.h>

namespace spiegel::store {

void use_sqlite_single_thread_connections() { sqlite3_config(SQLITE_CONFIG_MULTITHREAD); }

void disable_sqlite_memory_statistics() { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

}  // namespace spiegel::store
