#pragma once
// The columns of the state database's `result` table and how one row reads
// back into an engine::ResultRow (docs/state-schema.md). Shared by the scan
// writer (old rows of incremental scans) and the card reader.

#include <sqlite3.h>

#include <string_view>

#include "daemon/engine/result.h"
#include "daemon/model/schema.h"

namespace spiegel::store {

// Every column of `result`, in the order read_result_row expects.
inline constexpr const char* k_result_columns =
    "kind, id, scan_id, score, failed, completeness, validity, consistency, timeliness, uniqueness, "
    "privacy, unreadable, region, target_groups, occupation, visible, education, birth_bucket, "
    "hours_bucket, skills, licences, co_occupations, open, salary, hours_min, hours_max, not_applicable, source_row, "
    "digest, content_hash, valid_until";

// How many columns k_result_columns names.
inline constexpr int k_result_column_count = 31;
static_assert([] {
    int n = 1;
    for (const char* c = k_result_columns; *c != '\0'; ++c) {
        n += *c == ',' ? 1 : 0;
    }
    return n;
}() == k_result_column_count);

// Separators of the joined list columns.
inline constexpr char k_list_sep = ',';
inline constexpr char k_peer_sep = '\x1f';

// Fills row from the current row of s (a SELECT of k_result_columns).
void read_result_row(sqlite3_stmt* s, model::Kind kind, engine::ResultRow& row);

// The scan id column of a SELECT of k_result_columns.
inline constexpr int k_result_scan_id_column = 2;

}  // namespace spiegel::store
