#include "daemon/util/csv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace spiegel::util {

int CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

Expected<CsvTable> parse_csv(std::string_view text, std::string_view file_name) {
    CsvTable table;
    std::vector<std::string> row;
    std::string field;
    int line = 1;
    int row_line = 1;
    bool in_quotes = false;
    bool any = false;
    auto end_row = [&] {
        row.push_back(std::move(field));
        field.clear();
        if (table.header.empty()) {
            table.header = std::move(row);
        } else if (!(row.size() == 1 && row[0].empty())) {
            table.rows.push_back(std::move(row));
            table.row_lines.push_back(row_line);
        }
        row.clear();
        any = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                field.push_back(c);
            }
            continue;
        }
        if (!any) {
            row_line = line;
            any = true;
        }
        if (c == '"') {
            in_quotes = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            end_row();
            ++line;
        } else if (c != '\r') {
            field.push_back(c);
        }
    }
    if (in_quotes) {
        return Error{std::string(file_name) + ":" + std::to_string(row_line) +
                     ": unterminated quoted field"};
    }
    if (any || !field.empty() || !row.empty()) {
        end_row();
    }
    if (table.header.empty()) {
        return Error{std::string(file_name) + ":1: empty CSV file (a header row is required)"};
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        if (table.rows[r].size() != table.header.size()) {
            return Error{std::string(file_name) + ":" + std::to_string(table.row_lines[r]) +
                         ": expected " + std::to_string(table.header.size()) + " fields, found " +
                         std::to_string(table.rows[r].size())};
        }
    }
    return table;
}

Expected<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error{path + ": cannot open: " + std::strerror(errno)};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Expected<CsvTable> read_csv_file(const std::string& path) {
    auto text = read_file(path);
    if (!text) {
        return text.error();
    }
    return parse_csv(*text, path);
}

}  // namespace spiegel::util
