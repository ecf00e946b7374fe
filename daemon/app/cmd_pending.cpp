// Subcommands whose issue has not landed yet: they say so and exit 2.
#include "daemon/app/commands.h"

namespace spiegel::app {

namespace {
int pending(const char* name, const char* issue) {
    return fail(k_exit_usage, std::string("'") + name + "' is not implemented yet (" + issue + ")");
}
}  // namespace

int cmd_token(const TokenOptions&) { return pending("token", "mirror-cards issue"); }

}  // namespace spiegel::app
