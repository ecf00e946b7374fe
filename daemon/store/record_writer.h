#pragma once
// Where the importer and the demo generator write records: the SQLite
// source database (SourceDb) or a PostgreSQL source (PgTarget). One writer
// is one transaction: nothing is visible before commit(), and destroying a
// writer without commit() rolls back, so a failed or killed import leaves
// nothing behind. Not thread-safe: one writer is used by one thread at a time.

#include <memory>
#include <string>

#include "daemon/model/record.h"
#include "daemon/util/expected.h"

namespace spiegel::store {

class RecordWriter {
  public:
    virtual ~RecordWriter() = default;
    // Inserts the record or replaces the one with its id (and marks it changed).
    virtual util::Status upsert(const model::Record& record) = 0;
    virtual util::Status commit() = 0;
};

class RecordTarget {
  public:
    virtual ~RecordTarget() = default;
    virtual util::Expected<std::unique_ptr<RecordWriter>> begin_records() = 0;
    // Whether the target can store the record's values, checked before any
    // is sent; the error is a reason naming the field, never a value (the
    // importer rejects the line with it). Called on the importer's reading
    // thread while a writer writes: it must not use the target's connection.
    virtual util::Status storable(const model::Record& record) const {
        (void)record;
        return {};
    }
    // The target as messages name it (a path, or host and database).
    virtual std::string target_name() const = 0;
};

}  // namespace spiegel::store
