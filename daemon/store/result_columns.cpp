#include "daemon/store/result_columns.h"

#include "daemon/store/raw_statement.h"

#include <string>
#include <vector>

namespace spiegel::store {
namespace {

void split_into(std::string_view text, char sep, std::vector<std::string>& out) {
    out.clear();
    if (text.empty()) {
        return;
    }
    std::size_t start = 0;
    for (;;) {
        const std::size_t pos = text.find(sep, start);
        out.emplace_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos) {
            return;
        }
        start = pos + 1;
    }
}

}  // namespace

void read_result_row(sqlite3_stmt* s, model::Kind kind, engine::ResultRow& row) {
    row.clear();
    row.kind = kind;
    row.id.assign(column_text(s, 1));
    row.score = sqlite3_column_double(s, 3);
    split_into(column_text(s, 4), k_list_sep, row.failed);
    for (std::size_t d = 0; d < row.dimensions.size(); ++d) {
        const int c = 5 + static_cast<int>(d);
        row.dimensions[d] = sqlite3_column_type(s, c) == SQLITE_NULL ? -1.0 : sqlite3_column_double(s, c);
    }
    row.unreadable = sqlite3_column_int(s, 11) != 0;
    row.region.assign(column_text(s, 12));
    split_into(column_text(s, 13), k_list_sep, row.target_groups);
    row.occupation.assign(column_text(s, 14));
    engine::PeerAttrs& a = row.peer;
    a.visible = sqlite3_column_int(s, 15) != 0;
    a.education.assign(column_text(s, 16));
    a.birth_bucket.assign(column_text(s, 17));
    a.hours_bucket.assign(column_text(s, 18));
    split_into(column_text(s, 19), k_peer_sep, a.skills);
    split_into(column_text(s, 20), k_peer_sep, a.licences);
    split_into(column_text(s, 21), k_peer_sep, a.co_occupations);
    a.open = sqlite3_column_int(s, 22) != 0;
    a.salary = sqlite3_column_int(s, 23) != 0;
    a.hours_min.assign(column_text(s, 24));
    a.hours_max.assign(column_text(s, 25));
    row.rated = sqlite3_column_type(s, 26) != SQLITE_NULL;
    split_into(column_text(s, 26), k_list_sep, row.not_applicable);
    row.source_row = sqlite3_column_int64(s, 27);  // NULL reads as 0: unknown
    row.digest = static_cast<std::uint64_t>(sqlite3_column_int64(s, 28));  // NULL reads as 0: unknown
    row.content_hash = static_cast<std::uint64_t>(sqlite3_column_int64(s, 29));
    row.valid_until = sqlite3_column_int64(s, 30);
}

}  // namespace spiegel::store
