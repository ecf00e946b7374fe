#include "daemon/cards/field_labels.h"

#include <gtest/gtest.h>

#include "daemon/cards/personal_card.h"

namespace spiegel::testing {
namespace {

TEST(FieldLabels, known_fields_have_dutch_labels) {
    EXPECT_EQ(cards::field_label("email"), "e-mailadres");
    EXPECT_EQ(cards::field_label("desired_occupations"), "gewenste beroepen");
    EXPECT_EQ(cards::field_label("hours_per_week_min"), "minimum aantal uren per week");
}

TEST(FieldLabels, unknown_field_is_named_as_it_is) {
    EXPECT_EQ(cards::field_label("field_added_later"), "field_added_later");
    EXPECT_FALSE(cards::has_field_label("field_added_later"));
}

TEST(FieldLabels, every_field_a_shipped_rule_reads_has_a_dutch_label) {
    const auto catalog = cards::CardCatalog::load(std::string(SPIEGEL_SOURCE_DIR) + "/rules");
    ASSERT_TRUE(catalog.ok());
    std::size_t fields = 0;
    for (const auto& [id, info] : (*catalog)->rules) {
        for (const auto& field : info.fields) {
            ++fields;
            EXPECT_TRUE(cards::has_field_label(field)) << id << " reads " << field;
        }
    }
    EXPECT_GT(fields, 20u);
}

}  // namespace
}  // namespace spiegel::testing
