#pragma once
// The `source` section of the config (docs/configuration.md): the SQLite
// file, or a PostgreSQL server (conninfo, schema, password file). Used by
// config.cpp only.

#include "daemon/app/config.h"
#include "daemon/app/config_section.h"

namespace spiegel::app {

// Reads source.* into c.source. Relative paths are resolved against c.dir
// by the caller, except password_file, which is resolved and checked here
// (it must exist and must not be readable by group or others).
void read_source_section(ConfigSection& s, Config& c);

}  // namespace spiegel::app
