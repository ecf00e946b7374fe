#include "daemon/app/commands.h"

namespace spiegel::app {

int cmd_demo(const DemoOptions&) { return fail(k_exit_usage, "'demo' is not implemented yet"); }

}  // namespace spiegel::app
