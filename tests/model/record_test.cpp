#include "daemon/model/record.h"

#include <gtest/gtest.h>

#include <string>

#include "daemon/model/json.h"

namespace spiegel::model {
namespace {

class RecordTest : public ::testing::Test {
  protected:
    util::Expected<Record> from(const std::string& json, Kind kind = Kind::cv) {
        auto value = m_parser.parse(json, m_arena);
        EXPECT_TRUE(value) << value.error().message;
        if (!value) {
            return util::Error{"unparsable test input"};
        }
        return record_from_json(kind, *value, m_arena);
    }

    std::string error_of(const std::string& json, Kind kind = Kind::cv) {
        auto rec = from(json, kind);
        EXPECT_FALSE(rec) << json;
        return rec ? std::string() : rec.error().message;
    }

    JsonParser m_parser;
    Arena m_arena;
};

TEST_F(RecordTest, fields_land_in_their_schema_slots) {
    auto rec = from(
        R"({"id":"cv-1","birth_year":1980,"hours_per_day":6.5,"visible":true,"skills":["koken"]})");
    ASSERT_TRUE(rec) << rec.error().message;
    EXPECT_EQ(rec->id(), "cv-1");
    EXPECT_EQ(rec->field("birth_year").integer, 1980);
    EXPECT_DOUBLE_EQ(rec->field("hours_per_day").number, 6.5);
    EXPECT_TRUE(rec->field("visible").boolean);
    ASSERT_EQ(rec->field("skills").items.size(), 1u);
    EXPECT_TRUE(rec->field("postcode").is_null());
    EXPECT_TRUE(rec->extra_json.empty());
}

TEST_F(RecordTest, non_object_is_rejected) {
    auto value = m_parser.parse("[1]", m_arena);
    ASSERT_TRUE(value);
    auto rec = record_from_json(Kind::cv, *value, m_arena);
    ASSERT_FALSE(rec);
    EXPECT_EQ(rec.error().message, "not a JSON object");
}

TEST_F(RecordTest, string_in_an_integer_field_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","birth_year":"abc"})"),
              "field 'birth_year': expected an integer, got a string");
}

TEST_F(RecordTest, whole_float_in_an_integer_field_becomes_an_integer) {
    auto rec = from(R"({"id":"cv-1","birth_year":1980.0})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->field("birth_year").type, ValueType::integer);
    EXPECT_EQ(rec->field("birth_year").integer, 1980);
}

TEST_F(RecordTest, fractional_number_in_an_integer_field_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","hours_per_week":32.5})"),
              "field 'hours_per_week': expected an integer, got a number");
}

TEST_F(RecordTest, integer_in_a_number_field_is_accepted) {
    auto rec = from(R"({"id":"v-1","salary_min":2500})", Kind::vacancy);
    ASSERT_TRUE(rec);
    EXPECT_DOUBLE_EQ(rec->field("salary_min").as_double(), 2500.0);
}

TEST_F(RecordTest, number_in_a_boolean_field_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","visible":1})"),
              "field 'visible': expected a boolean, got an integer");
}

TEST_F(RecordTest, number_in_a_string_field_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","postcode":1234})"),
              "field 'postcode': expected a string, got an integer");
}

TEST_F(RecordTest, object_in_a_string_array_is_rejected) {
    EXPECT_NE(
        error_of(R"({"id":"cv-1","driving_licences":["B",{"c":1}]})").find("'driving_licences'"),
        std::string::npos);
}

TEST_F(RecordTest, string_instead_of_an_object_array_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","languages":"nld"})"),
              "field 'languages': expected an array of objects, got a string");
}

TEST_F(RecordTest, non_object_item_is_rejected_with_its_index) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","languages":[{"code":"nld"},"eng"]})"),
              "field 'languages[1]': expected an object, got a string");
}

TEST_F(RecordTest, wrong_item_field_type_names_the_path) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","experience":[{"start":202001}]})"),
              "field 'experience[0].start': expected a YYYY-MM month string, got an integer");
}

TEST_F(RecordTest, null_and_empty_values_are_accepted_for_every_type) {
    auto rec = from(
        R"({"id":"cv-1","birth_year":null,"postcode":"","skills":[],"education":null,"visible":null,"updated_at":""})");
    ASSERT_TRUE(rec) << rec.error().message;
    EXPECT_TRUE(rec->field("birth_year").is_missing());
    EXPECT_TRUE(rec->field("postcode").is_missing());
    EXPECT_TRUE(rec->field("skills").is_missing());
    EXPECT_TRUE(rec->field("updated_at").is_missing());
}

// docs/records.md: `""` means "not filled in" whatever the field's type;
// the importer does not reject a record for an empty field.
TEST_F(RecordTest, an_empty_string_is_not_filled_in_for_every_type) {
    auto cv = from(R"({"id":"cv-1","birth_year":"","hours_per_day":"","visible":"","skills":"","education":"",)"
                   R"("experience":[{"start":"","end":"2020-01"}],"languages":[{"code":"nl","level":""}]})");
    ASSERT_TRUE(cv) << cv.error().message;
    for (const char* field : {"birth_year", "hours_per_day", "visible", "skills", "education"}) {
        EXPECT_TRUE(cv->field(field).is_null()) << field;
        EXPECT_TRUE(cv->field(field).is_missing()) << field;
    }
    auto education = from(R"({"id":"cv-2","education":[{"level":"mbo4","year_end":""}]})");
    ASSERT_TRUE(education) << education.error().message;
    EXPECT_TRUE(education->field("education").items[0].get("year_end").is_null());
    auto vacancy = from(R"({"id":"v-1","salary_min":"","salary_max":""})", Kind::vacancy);
    ASSERT_TRUE(vacancy) << vacancy.error().message;
    EXPECT_TRUE(vacancy->field("salary_min").is_null());
    auto employer = from(R"({"id":"e-1","employees":""})", Kind::employer);
    ASSERT_TRUE(employer) << employer.error().message;
    EXPECT_TRUE(employer->field("employees").is_null());
    // A string that is not empty is still the wrong type.
    EXPECT_EQ(error_of(R"({"id":"cv-1","birth_year":" "})"),
              "field 'birth_year': expected an integer, got a string");
}

TEST_F(RecordTest, timestamp_with_offset_is_normalised_to_utc) {
    auto rec = from(
        R"({"id":"e-1","created_at":"2026-01-01T00:30:00+01:00","last_contact_at":"2026-10-01T12:00:00.75Z"})",
        Kind::employer);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->field("created_at").string, "2025-12-31T23:30:00Z");
    EXPECT_EQ(rec->field("last_contact_at").string, "2026-10-01T12:00:00.75Z");  // the fraction is kept
}

TEST_F(RecordTest, unparsable_timestamp_string_is_kept_for_the_rules_to_judge) {
    auto rec = from(R"({"id":"cv-1","updated_at":"gisteren"})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->field("updated_at").string, "gisteren");
}

TEST_F(RecordTest, timestamp_whose_utc_instant_is_not_in_years_0000_to_9999_is_kept_as_written) {
    // Normalising would give "-001-12-31T23:00:00Z", which no reader parses.
    auto rec = from(R"({"id":"cv-1","created_at":"0000-01-01T00:00:00+01:00"})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->field("created_at").string, "0000-01-01T00:00:00+01:00");
}

TEST_F(RecordTest, timestamp_of_the_wrong_json_type_is_rejected) {
    EXPECT_EQ(error_of(R"({"id":"cv-1","updated_at":1700000000})"),
              "field 'updated_at': expected an RFC 3339 timestamp string, got an integer");
}

TEST_F(RecordTest, id_of_64_characters_is_accepted) {
    const std::string id = "A.b_c-" + std::string(58, '9');
    ASSERT_EQ(id.size(), 64u);
    auto rec = from(R"({"id":")" + id + R"("})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->id(), id);
}

TEST_F(RecordTest, id_of_65_characters_is_rejected) {
    EXPECT_NE(error_of(R"({"id":")" + std::string(65, 'a') + R"("})").find("invalid 'id'"),
              std::string::npos);
}

TEST_F(RecordTest, id_with_forbidden_characters_is_rejected_without_echo) {
    for (const std::string id : {"cv 1", "cv/1", "cv@1", "caf\xC3\xA9", "cv+1"}) {
        const auto message = error_of(R"({"id":")" + id + R"("})");
        EXPECT_NE(message.find("invalid 'id'"), std::string::npos) << id;
        EXPECT_EQ(message.find(id), std::string::npos) << id;
    }
}

TEST_F(RecordTest, missing_empty_or_null_id_is_rejected) {
    EXPECT_EQ(error_of(R"({"birth_year":1980})"), "missing 'id'");
    EXPECT_EQ(error_of(R"({"id":""})"), "missing 'id'");
    EXPECT_EQ(error_of(R"({"id":null})"), "missing 'id'");
}

TEST_F(RecordTest, non_string_id_is_a_type_error) {
    EXPECT_EQ(error_of(R"({"id":17})"), "field 'id': expected a string, got an integer");
}

TEST_F(RecordTest, unknown_fields_are_kept_and_written_back) {
    auto rec = from(R"({"zzz":[1,"a"],"id":"cv-1","birth_year":1980,"bron":{"systeem":"x"}})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->extra_json, R"({"zzz":[1,"a"],"bron":{"systeem":"x"}})");
    EXPECT_EQ(record_to_json(*rec),
              R"({"id":"cv-1","birth_year":1980,"zzz":[1,"a"],"bron":{"systeem":"x"}})");
}

TEST_F(RecordTest, string_longer_than_the_limit_is_rejected_by_the_parser_naming_the_field) {
    JsonParser parser(JsonLimits{8, 64});
    auto value = parser.parse(R"({"id":"cv-1","summary":"123456789"})", m_arena);
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().message, "string longer than 8 bytes in field 'summary'");
    EXPECT_TRUE(parser.parse(R"({"id":"cv-1","summary":"12345678"})", m_arena));
}

TEST_F(RecordTest, field_name_longer_than_the_limit_is_rejected) {
    JsonParser parser(JsonLimits{8, 64});
    auto value = parser.parse(R"({"id":"cv-1","123456789":1})", m_arena);
    ASSERT_FALSE(value);
    EXPECT_EQ(value.error().message, "string longer than 8 bytes (a field name)");
    EXPECT_TRUE(parser.parse(R"({"id":"cv-1","12345678":1})", m_arena));
}

TEST_F(RecordTest, strings_are_escaped_when_written_back) {
    auto rec = from(R"({"id":"cv-1","summary":"a\"b\\c\n\t\u0001 \u00e9 \u20ac/"})");
    ASSERT_TRUE(rec);
    EXPECT_EQ(record_to_json(*rec),
              "{\"id\":\"cv-1\",\"summary\":\"a\\\"b\\\\c\\n\\t\\u0001 \xC3\xA9 \xE2\x82\xAC/\"}");
    std::string out;
    write_json_string(out, "");
    write_json_string(out, "\x1f\"");
    EXPECT_EQ(out, "\"\"\"\\u001f\\\"\"");
}

}  // namespace
}  // namespace spiegel::model
