// spiegeld serve: the daemon (docs/daemon.md). Also the default without a
// subcommand.
#include "daemon/app/commands.h"
#include "daemon/app/daemon.h"
#include "daemon/app/logging.h"

namespace spiegel::app {

int cmd_serve(const ServeOptions& options) {
    DaemonError error;
    int status = k_exit_ok;
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
