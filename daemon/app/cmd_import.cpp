#include "daemon/app/commands.h"

namespace spiegel::app {

int cmd_import(const ImportOptions&) { return fail(k_exit_usage, "'import' is not implemented yet"); }

}  // namespace spiegel::app
