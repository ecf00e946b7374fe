#pragma once
// The abstract record source the scan engine reads from. The engine never
// sees SQL: daemon/store implements these over the source database, tests
// implement them over vectors. A stream hands out bounded chunks whose values
// live in the caller's arena, so memory stays flat whatever the table size.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daemon/model/arena.h"
#include "daemon/model/record.h"
#include "daemon/model/schema.h"
#include "daemon/util/expected.h"

namespace spiegel::engine {

// Which stored results a scan may keep without evaluating their records
// again (docs/scan.md, "Keeping results whose stored values did not
// change"): those computed from the same stored content, by the same rules
// and program, whose outcome cannot have changed by the scan's as-of.
// Asked only by the thread that reads the stream: in ascending row order in
// a full kind, in change order in an incremental one.
class ReuseCheck {
public:
    virtual ~ReuseCheck() = default;
    // True when the stored result of the record `id` at source row `row`
    // was computed at that row from stored values with this content hash
    // (model::Record::content_hash) and still holds.
    virtual bool reusable(std::int64_t row, std::string_view id, std::uint64_t content_hash) = 0;
};

// One pass over the records of one kind. Not thread-safe.
class RecordStream {
public:
    virtual ~RecordStream() = default;
    // From the next chunk on, a record whose stored result `check` calls
    // reusable is handed out undecoded (model::Record::reused); null turns
    // that off. A stream that does not hash stored content (content_hash
    // 0) ignores it and decodes every record.
    virtual void set_reuse(ReuseCheck* check) { (void)check; }
    // Appends the next chunk (at most the stream's chunk size) to `out`, its
    // values in `arena`; returns how many were appended, 0 at the end. An
    // error means the source failed (not that a record was unreadable:
    // unreadable values arrive as record.issues).
    virtual util::Expected<std::size_t> next_chunk(model::Arena& arena,
                                                   std::vector<model::Record>& out) = 0;
};

struct StreamRequest {
    model::Kind kind = model::Kind::cv;
    bool changes_only = false;  // only records changed after since_seq
    std::int64_t since_seq = 0;
    std::vector<bool> wanted;   // top-level slots to read; empty = all
};

// Opens streams and answers the change-tracking questions of incremental
// scans. Errors name the source; they abort the scan.
class RecordSource {
public:
    virtual ~RecordSource() = default;
    virtual util::Expected<std::unique_ptr<RecordStream>> open(const StreamRequest& request) = 0;
    // The source's change watermark: every change so far has a sequence <= it.
    virtual util::Expected<std::int64_t> change_seq() = 0;
    // Ids of records of `kind` deleted after since_seq.
    virtual util::Expected<std::vector<std::string>> deleted_since(model::Kind kind,
                                                                  std::int64_t since_seq) = 0;
    // True when some record of `kind` was written or deleted after since_seq.
    virtual util::Expected<bool> changed_since(model::Kind kind, std::int64_t since_seq) = 0;
    // How many records of `kind` were written after since_seq; -1 when the
    // source cannot tell cheaply (then no kind is promoted to a full scan,
    // ScanRequest::promote_when_changed).
    virtual util::Expected<std::int64_t> changed_count(model::Kind kind, std::int64_t since_seq) {
        (void)kind;
        (void)since_seq;
        return std::int64_t{-1};
    }
};

// Reads every record `request` selects, one chunk at a time (values in one
// reused arena), calling fn(const model::Record&) for each. Errors of the
// source end the read.
template <class Fn>
util::Status for_each_record(RecordSource& source, const StreamRequest& request, Fn&& fn) {
    auto stream = source.open(request);
    if (!stream) {
        return stream.error();
    }
    model::Arena arena;
    std::vector<model::Record> chunk;
    for (;;) {
        chunk.clear();
        arena.reset();
        auto n = (*stream)->next_chunk(arena, chunk);
        if (!n) {
            return n.error();
        }
        if (*n == 0) {
            return {};
        }
        for (const model::Record& r : chunk) {
            fn(r);
        }
    }
}

}  // namespace spiegel::engine
