// spiegeld serve: the daemon (docs/daemon.md). Also the default without a
// subcommand.
#include "daemon/app/commands.h"
#include "daemon/app/daemon.h"
#include "daemon/app/logging.h"
#include "daemon/store/sqlite_process.h"

namespace spiegel::app {

int cmd_serve(const ServeOptions& options) {
    DaemonError error;
    int status = k_exit_ok;
    // Before any connection opens: SQLite's allocation counters take one
    // process-wide mutex per allocation, which the handler threads, the
    // access writer and the scan would otherwise contend for.
    store::disable_sqlite_memory_statistics();
    try {
        auto daemon = Daemon::create(DaemonOptions{options.config, options.listen}, error);
        if (!daemon) {
            status = fail(error.usage ? k_exit_usage : k_exit_failure, error.message);
        } else {
            status = daemon->run();
        }
    } catch (const std::exception& e) {
        status = fail(k_exit_failure, std::string("serve failed: ") + e.what());
    }
    shutdown_logging();
    return status;
}

}  // namespace spiegel::app
