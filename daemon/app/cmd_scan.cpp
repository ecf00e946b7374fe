#include "daemon/app/commands.h"

namespace spiegel::app {

int cmd_scan(const ScanOptions&) { return fail(k_exit_usage, "'scan' is not implemented yet"); }

}  // namespace spiegel::app
