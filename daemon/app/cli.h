#pragma once

namespace spiegel::app {

// Parses the command line (docs/cli.md) and runs the subcommand.
int run_cli(int argc, char** argv);

}  // namespace spiegel::app
