#pragma once
// The StreamRequest the PostgreSQL source tests read with.

#include <cstdint>

#include "daemon/engine/record_stream.h"

namespace spiegel::testing {

// Every record of `kind`, or (changes_only) those changed after `since`.
inline engine::StreamRequest stream_request(model::Kind kind, bool changes_only = false, std::int64_t since = 0) {
    engine::StreamRequest r;
    r.kind = kind;
    r.changes_only = changes_only;
    r.since_seq = since;
    return r;
}

}  // namespace spiegel::testing
