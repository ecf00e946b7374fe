#include "daemon/util/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace spiegel::util {
namespace {

using nlohmann::json;

std::string nlohmann_text(const json& value, int indent) {
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

void expect_as_nlohmann(const json& value) {
    for (const int indent : {-1, 0, 1, 2, 4}) {
        EXPECT_EQ(json_text(value, indent), nlohmann_text(value, indent)) << "indent " << indent;
    }
}

TEST(JsonText, writes_a_card_like_value_as_dump_does) {
    const json card = {
        {"type", "cv"},
        {"score", 81.3},
        {"whole", 100.0},
        {"count", 18595},
        {"negative", -3},
        {"unsigned", std::uint64_t{18446744073709551615ULL}},
        {"missing", nullptr},
        {"flags", {true, false}},
        {"empty_object", json::object()},
        {"empty_array", json::array()},
        {"text", "Uw cv scoort beter dan 52% van 1.234 werkzoekenden als softwareontwikkelaars."},
        {"nested", {{"b", {{"c", json::array({1, 2.5, "x"})}}}, {"a", json::object({{"z", json::array()}})}}},
        {"dutch", "cliënt één – € ✓ 𝄞"},
    };
    expect_as_nlohmann(card);
}

TEST(JsonText, escapes_control_characters_quotes_and_backslashes) {
    std::string every_control;
    for (int c = 0; c < 0x20; ++c) {
        every_control += static_cast<char>(c);
    }
    expect_as_nlohmann(json{{"s", every_control + "\"\\/\x7f"}, {std::string("k\ney\"\0", 6), 1}});
    EXPECT_EQ(json_text(json(std::string("a\0b\x1f", 4))), "\"a\\u0000b\\u001f\"");
}

TEST(JsonText, replaces_invalid_utf8_as_dump_does) {
    for (const std::string& bad : {
             std::string("\xff"), std::string("a\xc3"), std::string("\xc3("), std::string("\xe2\x82"),
             std::string("\xe2\x82(x"), std::string("\xed\xa0\x80"),  // a surrogate
             std::string("\xc0\xaf"),                                  // overlong "/"
             std::string("\xf4\x90\x80\x80"),                          // above U+10FFFF
             std::string("\xf0\x8f\xbf\xbf"), std::string("ok\x80\x80ok\xe0\x80\xaf\""),
         }) {
        expect_as_nlohmann(json{{bad, bad}, {"list", {bad, "fine"}}});
    }
}

TEST(JsonText, writes_numbers_as_dump_does) {
    const double d_max = std::numeric_limits<double>::max();
    const double d_min = std::numeric_limits<double>::min();
    const double denorm = std::numeric_limits<double>::denorm_min();
    json numbers = json::array({0.0, -0.0, 1.0, -1.5, 0.1, 1e-5, 1e-4, 123456789012345.0, 1e15, 1e16, 1e21,
                                1.0 / 3, d_max, d_min, denorm, std::nan(""),
                                std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                std::numeric_limits<std::uint64_t>::max(), 0, -0});
    for (int tenth = -2000; tenth <= 2000; ++tenth) {
        numbers.push_back(std::round(static_cast<double>(tenth)) / 10.0);  // the cards' one-decimal scores
    }
    expect_as_nlohmann(numbers);
}

TEST(JsonText, writes_binary_and_discarded_values_as_dump_does) {
    expect_as_nlohmann(json{{"bytes", json::binary({1, 2, 255}, 7)}, {"none", json::binary({})}});
    expect_as_nlohmann(json(json::value_t::discarded));
}

// Random values: strings of random bytes (mostly text, some invalid UTF-8,
// control characters and quotes), random doubles from random bit patterns,
// nested objects and arrays; each written at every indent by both.
class RandomValues {
public:
    explicit RandomValues(std::uint32_t seed) : rng_(seed) {}

    json value(int depth) {
        switch (pick(depth > 0 ? 9 : 6)) {
            case 0: return nullptr;
            case 1: return pick(2) == 0;
            case 2: return static_cast<std::int64_t>(rng_());
            case 3: return double_value();
            case 4: return text();
            case 5: return static_cast<std::uint64_t>(rng_()) << 32 | rng_();
            case 6:
            case 7: {
                json object = json::object();
                for (int n = pick(5); n > 0; --n) {
                    object[text()] = value(depth - 1);
                }
                return object;
            }
            default: {
                json array = json::array();
                for (int n = pick(5); n > 0; --n) {
                    array.push_back(value(depth - 1));
                }
                return array;
            }
        }
    }

private:
    int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint32_t>(n)); }

    double double_value() {
        if (pick(2) == 0) {
            return static_cast<double>(static_cast<std::int32_t>(rng_())) / 10.0;
        }
        const std::uint64_t bits = static_cast<std::uint64_t>(rng_()) << 32 | rng_();
        double d;
        static_assert(sizeof d == sizeof bits);
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }

    std::string text() {
        static const std::string pieces[] = {"a", "Zz", " ", "é", "€", "𝄞", "\"", "\\", "\n", "\t", "\x01",
                                             "\x7f", "\xc3", "\xe2\x82", "\xf0\x9d", "\xed\xa0\x80", "\xff",
                                             "\x80", "\xc0\xaf", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"};
        std::string s;
        for (int n = pick(12); n > 0; --n) {
            s += pick(4) == 0 ? std::string(1, static_cast<char>(rng_())) : pieces[pick(std::size(pieces))];
        }
        return s;
    }

    std::mt19937 rng_;
};

TEST(JsonText, writes_random_values_as_dump_does) {
    RandomValues random(20261207);
    for (int i = 0; i < 3000; ++i) {
        const json value = random.value(4);
        for (const int indent : {-1, 2}) {
            ASSERT_EQ(json_text(value, indent), nlohmann_text(value, indent)) << "value " << i << " indent " << indent;
        }
    }
}

TEST(JsonText, appends_to_what_is_there) {
    std::string out = "prefix ";
    append_json(out, json{{"a", 1}}, 2);
    EXPECT_EQ(out, "prefix {\n  \"a\": 1\n}");
    append_json_string(out, "x\"y");
    EXPECT_EQ(out, "prefix {\n  \"a\": 1\n}\"x\\\"y\"");
}

}  // namespace
}  // namespace spiegel::util
