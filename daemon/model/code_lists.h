#pragma once
// The shipped code lists every layer reads (rules/codes/*.csv), loaded in
// one place: ISCO-08 occupations, education levels (with their rank),
// labour-market regions and target groups. Immutable after load; safe to
// share between threads.

#include <string>
#include <unordered_map>

#include "daemon/model/code_list.h"
#include "daemon/util/expected.h"

namespace spiegel::model {

struct CodeLists {
    CodeList isco;
    CodeList education;
    CodeList regions;
    CodeList target_groups;

    // Loads <rules_dir>/codes/{isco08_nl,education_levels,regions,target_groups}.csv.
    // Error: the first file that does not load, named.
    static util::Expected<CodeLists> load(const std::string& rules_dir);

    // Education level code -> its rank column (a level with a non-numeric rank is left out).
    std::unordered_map<std::string, int> education_ranks() const;
};

}  // namespace spiegel::model
