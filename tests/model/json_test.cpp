#include "daemon/model/json.h"
#include "daemon/model/schema.h"

#include <gtest/gtest.h>

namespace spiegel::model {
namespace {

TEST(Json, object_with_nested_values_round_trips) {
    Arena arena;
    JsonParser parser;
    const std::string text =
        R"({"a":1,"b":2.5,"c":"x\"y\n","d":[true,false,null],"e":{"f":"één"}})";
    auto v = parser.parse(text, arena);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(to_json(*v), text);
    EXPECT_EQ(v->get("e").get("f").string, "één");
    EXPECT_EQ(v->get("a").integer, 1);
    EXPECT_TRUE(v->get("missing").is_null());
}

TEST(Json, a_number_beyond_64_bits_is_written_so_it_reads_back) {
    Arena arena;
    JsonParser parser;
    for (const char* text : {R"({"x":18446744073709551615})", R"({"x":-9.3e18})", R"({"x":1e300})"}) {
        auto v = parser.parse(text, arena);
        ASSERT_TRUE(v) << text;
        const std::string written = to_json(*v);
        auto again = parser.parse(written, arena);
        ASSERT_TRUE(again) << text << " was written as " << written;
        EXPECT_DOUBLE_EQ(again->get("x").number, v->get("x").number) << written;
    }
}

TEST(Json, invalid_json_is_an_error) {
    Arena arena;
    JsonParser parser;
    EXPECT_FALSE(parser.parse("{\"a\":", arena));
    EXPECT_FALSE(parser.parse("nope", arena));
}

// Valid JSON puts no bound on a number; a reader does (RFC 8259 section 6).
// The reason says which it was, not "not valid JSON".
TEST(Json, a_number_out_of_range_is_named_as_such) {
    JsonParser parser;
    Arena arena;
    for (const char* line : {R"({"birth_year":99999999999999999999})", R"({"hours_per_day":1e400})"}) {
        auto v = parser.parse(line, arena);
        ASSERT_FALSE(v) << line;
        EXPECT_EQ(v.error().message,
                  "a number that is malformed or out of range (integers up to 64 bits, finite decimals)")
            << line;
    }
}

TEST(Json, invalid_utf8_is_named) {
    Arena arena;
    JsonParser parser;
    auto v = parser.parse("{\"a\":\"\xC3\x28\"}", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "invalid UTF-8");
}

TEST(Json, string_over_the_limit_names_the_field_not_the_value) {
    Arena arena;
    JsonParser parser(JsonLimits{.max_string_bytes = 8});
    auto ok = parser.parse(R"({"summary":"12345678"})", arena);
    EXPECT_TRUE(ok);
    auto v = parser.parse(R"({"summary":"123456789"})", arena);
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().message.find("'summary'"), std::string::npos);
    EXPECT_EQ(v.error().message.find("123456789"), std::string::npos);
}

// A key that is no field of the contract is text from the line (a name,
// an address, or control characters): the message never repeats it.
TEST(Json, a_key_outside_the_record_contract_is_never_repeated_in_a_message) {
    Arena arena;
    JsonParser parser(JsonLimits{.max_string_bytes = 16});
    auto v = parser.parse(R"({"x\n\u001b[31mred":"12345678901234567"})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "string longer than 16 bytes in a field that is not in the record contract");
    v = parser.parse(R"({"jan@example.nl 0612345678":"12345678901234567"})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message.find("jan"), std::string::npos) << v.error().message;
}

// Which "id" is the record's? JSON leaves a repeated key open, so the line
// is refused (before, the repeat check saw the first id and the record was
// stored under the last, silently replacing another line's record).
TEST(Json, an_object_that_repeats_a_key_is_refused) {
    Arena arena;
    JsonParser parser;
    auto v = parser.parse(R"({"id":"dz-other","birth_year":1999,"id":"dz-1"})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "field 'id' appears twice in one object");
    v = parser.parse(R"({"id":"a","experience":[{"title":"x","title":"y"}]})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "field 'experience[].title' appears twice in one object");
    v = parser.parse(R"({"id":"a","education":[{"level":"mbo2","level":"hbo"}]})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "field 'education[].level' appears twice in one object");
    v = parser.parse(R"({"id":"a","education":[{"Jan":1,"Jan":2}]})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "a field that is not in the record contract appears twice in one object");
    v = parser.parse(R"({"id":"a","Jan Jansen":1,"Jan Jansen":2})", arena);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().message, "a field that is not in the record contract appears twice in one object");
    EXPECT_TRUE(parser.parse(R"({"id":"a","experience":[{"title":"x"},{"title":"y"}]})", arena));
}

// Every line written is JSON in UTF-8: a byte that starts no valid
// sequence (an id an ETL job wrote into the source) becomes U+FFFD, and
// valid text, U+FFFD itself included, passes unchanged.
TEST(Json, written_strings_are_valid_utf8) {
    const std::string bad = "\xC3\xFF";      // a lead byte without its continuation, then no lead byte
    const std::string cut = "\xE2\x82";      // a sequence cut short
    const std::string good = "\xC3\xA9" "\xEF\xBF\xBD" "\xF0\x9F\x98\x80";  // é, U+FFFD, an emoji
    const std::string fffd = "\xEF\xBF\xBD";
    std::string out;
    write_json_string(out, "a" + bad + "A" + cut + good);
    EXPECT_EQ(out, "\"a" + fffd + fffd + "A" + fffd + fffd + good + "\"");
    out.clear();
    write_json_string(out, "\xED\xA0\x80");  // a surrogate, not UTF-8
    EXPECT_EQ(out, "\"" + fffd + fffd + fffd + "\"");
}

// The scan's fast decoder of array columns agrees with parse(): an item
// that repeats a key is not taken as it is (parse() then says why).
TEST(Json, the_fast_array_decoder_refuses_an_item_that_repeats_a_key) {
    Arena arena;
    JsonParser parser;
    const auto& schema = schema_for(Kind::cv);
    const FieldDef& experience = schema.fields[*schema.slot("experience")];
    Value out;
    EXPECT_TRUE(parser.decode_array_field(experience, R"([{"title":"a","start":"2020-01"}])", arena, out));
    EXPECT_FALSE(parser.decode_array_field(experience, R"([{"title":"a","title":"b"}])", arena, out));
    EXPECT_FALSE(parser.parse(R"([{"title":"a","title":"b"}])", arena));
}

TEST(Json, control_characters_are_escaped) {
    std::string out;
    write_json_string(out, std::string("a\x01" "b", 3));
    EXPECT_EQ(out, "\"a\\u0001b\"");
}

TEST(Json, missing_means_null_empty_string_or_empty_array) {
    Arena arena;
    JsonParser parser;
    auto v = parser.parse(R"({"a":null,"b":"","c":[],"d":" ","e":[""],"f":0})", arena);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->get("a").is_missing());
    EXPECT_TRUE(v->get("b").is_missing());
    EXPECT_TRUE(v->get("c").is_missing());
    EXPECT_TRUE(v->get("absent").is_missing());
    EXPECT_FALSE(v->get("d").is_missing());
    EXPECT_FALSE(v->get("e").is_missing());
    EXPECT_FALSE(v->get("f").is_missing());
}

}  // namespace
}  // namespace spiegel::model
