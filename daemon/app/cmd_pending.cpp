// Subcommands whose issue has not landed yet: they say so and exit 2.
#include "daemon/app/commands.h"

namespace spiegel::app {

namespace {
int pending(const char* name, const char* issue) {
    return fail(k_exit_usage, std::string("'") + name + "' is not implemented yet (" + issue + ")");
}
}  // namespace

int cmd_serve(const ServeOptions&) { return pending("serve", "daemon issue"); }
int cmd_scan(const ScanOptions&) { return pending("scan", "rule-engine issue"); }
int cmd_check(const CheckOptions&) { return pending("check", "rule-engine issue"); }
int cmd_card(const CardOptions&) { return pending("card", "mirror-cards issue"); }
int cmd_token(const TokenOptions&) { return pending("token", "mirror-cards issue"); }
int cmd_import(const ImportOptions&) { return pending("import", "foundation issue"); }
int cmd_demo(const DemoOptions&) { return pending("demo", "foundation issue"); }

}  // namespace spiegel::app
