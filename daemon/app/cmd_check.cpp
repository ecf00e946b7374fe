#include "daemon/app/commands.h"

namespace spiegel::app {

int cmd_check(const CheckOptions&) { return fail(k_exit_usage, "'check' is not implemented yet"); }

}  // namespace spiegel::app
