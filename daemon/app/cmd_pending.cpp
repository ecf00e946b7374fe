// Subcommands whose issue has not landed yet: they say so and exit 2.
// (None at the moment; `token` landed with the mirror-cards issue.)
#include "daemon/app/commands.h"
