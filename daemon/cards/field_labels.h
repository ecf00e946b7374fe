#pragma once
// Dutch labels of record fields (../records.md field names), as a card
// names them next to a failing rule: "email" -> "e-mailadres". Pure.

#include <string>
#include <string_view>

namespace spiegel::cards {

// The Dutch label of a top-level field of a cv, vacancy or employer record;
// the field name itself when the field is not known (a rule file may read a
// field added later).
std::string field_label(std::string_view field);

// True when `field` has a label of its own (some equal the field name:
// "postcode", "status").
bool has_field_label(std::string_view field);

}  // namespace spiegel::cards
