#include "daemon/model/code_lists.h"

#include <charconv>

namespace spiegel::model {

util::Expected<CodeLists> CodeLists::load(const std::string& rules_dir) {
    CodeLists lists;
    const struct {
        const char* file;
        CodeList* into;
    } k_files[] = {{"isco08_nl.csv", &lists.isco},
                   {"education_levels.csv", &lists.education},
                   {"regions.csv", &lists.regions},
                   {"target_groups.csv", &lists.target_groups}};
    for (const auto& f : k_files) {
        auto loaded = CodeList::load(rules_dir + "/codes/" + f.file);
        if (!loaded) {
            return loaded.error();
        }
        *f.into = std::move(*loaded);
    }
    return lists;
}

std::unordered_map<std::string, int> CodeLists::education_ranks() const {
    std::unordered_map<std::string, int> ranks;
    const util::CsvTable& table = education.table();
    const int code = table.column("code");
    const int rank = table.column("rank");
    if (code < 0 || rank < 0) {
        return ranks;
    }
    for (const auto& row : table.rows) {
        const std::string& text = row[static_cast<std::size_t>(rank)];
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size()) {
            ranks[row[static_cast<std::size_t>(code)]] = value;
        }
    }
    return ranks;
}

}  // namespace spiegel::model
