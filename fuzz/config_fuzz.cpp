// Fuzzes the daemon configuration loader (docs/configuration.md): each input
// is written as spiegeld.yaml in a private scratch directory and
// app::load_config() reads it.
//
// Invariants (any break traps, so libFuzzer keeps the input):
// - the loader returns a config or an error, never throws and never crashes
//   (ASan/UBSan watch memory and UB; UBSan also catches overflow);
// - an error names the file ("PATH:LINE:COLUMN: ..." or "PATH: ...");
// - a loaded config keeps every documented bound: the three required paths
//   set and absolute, positive durations and counts, max_header_bytes at
//   least 512, min_cell at least 2, and a known log level and format.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "daemon/app/config.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace spiegel;
using fuzz::check;

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed) {
        if (value == a) {
            return true;
        }
    }
    return false;
}

void check_config(const app::Config& c, const std::string& path) {
    check(c.file == path, "the config remembers its file");
    for (const std::string* p : {&c.source.database, &c.state.database, &c.rules.directory}) {
        check(!p->empty() && std::filesystem::path(*p).is_absolute(), "required paths are set and absolute");
    }
    check(c.state.retention_days >= 1, "state.retention_days is at least 1");
    check(c.http.max_header_bytes >= 512, "http.max_header_bytes is at least 512");
    check(c.http.request_timeout_seconds >= 1 && c.http.idle_timeout_seconds >= 1, "http timeouts are positive");
    check(c.scan.incremental_interval_seconds >= 1 && c.scan.full_interval_seconds >= 1,
          "scan intervals are positive");
    check(c.scan.chunk_size >= 1, "scan.chunk_size is at least 1");
    check(one_of(c.log.level, {"trace", "debug", "info", "warn", "error"}), "log.level is a known level");
    check(one_of(c.log.format, {"text", "json"}), "log.format is text or json");
    check(c.privacy.min_cell >= 2, "privacy.min_cell is at least 2");
    check(c.privacy.personal_cards_per_hour >= 1, "privacy.personal_cards_per_hour is at least 1");
    check(c.privacy.audit_retention_days >= 1, "privacy.audit_retention_days is at least 1");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = fuzz::ScratchDir::get().file("spiegeld.yaml");
    fuzz::write_input(path, data, size);
    const auto config = app::load_config(path);
    if (!config) {
        check(config.error().message.rfind(path + ":", 0) == 0, "a config error starts with the file name");
        return 0;
    }
    check_config(*config, path);
    return 0;
}
