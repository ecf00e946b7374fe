#include "daemon/model/code_list.h"

#include "daemon/util/printable.h"

namespace spiegel::model {

util::Expected<CodeList> CodeList::load(const std::string& path, std::string_view code_column) {
    auto table = util::read_csv_file(path);
    if (!table) {
        return table.error();
    }
    int col = 0;
    if (!code_column.empty()) {
        col = table->column(code_column);
        if (col < 0) {
            return util::Error{path + ":1: no column named " + util::quoted(code_column)};
        }
    } else if (table->column("code") >= 0) {
        col = table->column("code");
    }
    return from_table(std::move(*table), col);
}

CodeList CodeList::from_table(util::CsvTable table, int code_column) {
    CodeList list;
    list.m_table = std::move(table);
    for (std::size_t r = 0; r < list.m_table.rows.size(); ++r) {
        const std::string& code = list.m_table.rows[r][static_cast<std::size_t>(code_column)];
        if (list.m_index.emplace(code, r).second) {
            list.m_codes.push_back(code);
        }
    }
    return list;
}

bool CodeList::contains(std::string_view code) const {
    return m_index.find(std::string(code)) != m_index.end();
}

std::string_view CodeList::get(std::string_view code, std::string_view column) const {
    const auto it = m_index.find(std::string(code));
    const int col = m_table.column(column);
    if (it == m_index.end() || col < 0) {
        return {};
    }
    return m_table.rows[it->second][static_cast<std::size_t>(col)];
}

}  // namespace spiegel::model
