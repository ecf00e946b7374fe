#pragma once
// A code list (rules/codes/*.csv): codes in the first column (or a named
// column), with their other columns. Lookups are exact on the code.
// Immutable after load; safe to share between threads.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/util/csv.h"
#include "daemon/util/expected.h"

namespace spiegel::model {

class CodeList {
public:
    // Loads path; `code_column` empty means "code" when present, else the first column.
    static util::Expected<CodeList> load(const std::string& path, std::string_view code_column = {});
    static CodeList from_table(util::CsvTable table, int code_column);

    bool contains(std::string_view code) const;
    // Value of another column for a code, or "" when either is unknown.
    std::string_view get(std::string_view code, std::string_view column) const;
    const util::CsvTable& table() const { return m_table; }
    std::size_t size() const { return m_table.rows.size(); }
    // Every code, in the file's order (a code listed twice once).
    const std::vector<std::string>& codes() const { return m_codes; }

private:
    util::CsvTable m_table;
    std::vector<std::string> m_codes;
    std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace spiegel::model
