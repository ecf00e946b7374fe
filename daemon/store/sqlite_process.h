#pragma once
// Process-wide SQLite settings. Each takes effect only when called before
// SQLite is first used in the process, and is a harmless no-op afterwards.

namespace spiegel::store {

// `spiegeld scan` uses every connection from one thread at a time
// (docs/scan.md): the per-call connection mutexes are pure overhead.
void use_sqlite_single_thread_connections();

// No memory statistics: they take a global mutex per allocation, which the
// scan's reader and writer threads would contend on.
void disable_sqlite_memory_statistics();

}  // namespace spiegel::store
