#pragma once
// A small RFC 4180 CSV reader for the code lists under rules/ (a header row,
// quoted fields with "" escapes, LF or CRLF line ends).

#include <string>
#include <string_view>
#include <vector>

#include "daemon/util/expected.h"

namespace spiegel::util {

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<int> row_lines;  // 1-based source line of each row

    // Index of a header column, or -1.
    int column(std::string_view name) const;
};

// Errors name the file and line: "rules/codes/x.csv:7: unterminated quote".
Expected<CsvTable> parse_csv(std::string_view text, std::string_view file_name);
Expected<CsvTable> read_csv_file(const std::string& path);

// Reads a whole file; the error names the path and the OS reason.
Expected<std::string> read_file(const std::string& path);

}  // namespace spiegel::util
