#pragma once
// The long-running `spiegeld serve` process (docs/daemon.md): an Asio event
// loop serving HTTP on the main thread, scans on one worker thread (never
// two at once), rules and config reloaded on SIGHUP and POST /-/reload, and
// a clean stop on SIGTERM/SIGINT. Not thread-safe: create and run it from
// one thread; everything else happens inside run().

#include <memory>
#include <string>

#include "daemon/util/expected.h"

namespace spiegel::app {

struct DaemonOptions {
    std::string config;  // config file
    std::string listen;  // HOST:PORT overriding http.listen; empty: from config
};

// Why create() failed: usage means a bad config or rule set (exit 2, the
// messages are already on stderr), runtime anything else (exit 1).
struct DaemonError {
    bool usage = false;
    std::string message;
};

class Daemon {
public:
    // Loads config and rules, sets up logging, opens the state database and
    // publishes its last stored results to the metrics.
    static std::unique_ptr<Daemon> create(const DaemonOptions& options, DaemonError& error);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Listens, scans on schedule and serves until SIGTERM or SIGINT; returns
    // the exit status (0 after a clean stop).
    int run();

    struct Impl;

private:
    explicit Daemon(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace spiegel::app
