#pragma once
// What the web side of `spiegeld serve` loads at start (docs/serving.md):
// the TLS contexts of http.tls and the bearer token of
// http.metrics_token_file. Errors are configuration errors (exit 2) and
// name the file; they never contain a key or a token.

#include <memory>
#include <string>
#include <vector>

#include "daemon/app/config.h"
#include "daemon/http/tls.h"
#include "daemon/util/expected.h"

namespace spiegel::app {

// Null when http.tls is absent.
util::Expected<std::shared_ptr<http::TlsContexts>> load_tls(const Config& config);

// The token in `file` (surrounding white space removed); the file must be
// a regular file of at most 4 KiB, not readable by group or others, and
// hold a token of 16 to 1024 printable characters.
util::Expected<std::string> read_metrics_token(const std::string& file);

// What load_tls() and read_metrics_token() would refuse, one message each
// (for `spiegeld check`); empty when both load.
std::vector<std::string> web_setup_problems(const Config& config);

}  // namespace spiegel::app
