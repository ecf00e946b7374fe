#include "daemon/util/json_sink.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <stdexcept>

namespace spiegel::util {
namespace {

using nlohmann::json;

// Writes tree into sink value by value (objects in nlohmann's key order).
void replay(const json& tree, JsonSink& sink) {
    switch (tree.type()) {
        case json::value_t::object:
            sink.begin_object();
            for (const auto& [k, v] : tree.items()) {
                sink.key(k);
                replay(v, sink);
            }
            sink.end_object();
            return;
        case json::value_t::array:
            sink.begin_array();
            for (const auto& v : tree) {
                replay(v, sink);
            }
            sink.end_array();
            return;
        case json::value_t::string: sink.string(tree.get_ref<const std::string&>()); return;
        case json::value_t::boolean: sink.boolean(tree.get<bool>()); return;
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: sink.integer(tree.get<std::int64_t>()); return;
        case json::value_t::number_float: sink.number(tree.get<double>()); return;
        default: sink.null(); return;
    }
}

json sample() {
    return json{{"a", json::array({1, json::object(), json::array(), json::array({json::object({{"x", nullptr}})})})},
                {"b", {{"c", "tekst met \"quotes\" en é"}, {"d", 41.5}, {"e", -7}}},
                {"empty", json::object()},
                {"f", false},
                {"list", json::array({"x", true, 0.0, json::array({1, 2})})}};
}

TEST(JsonSink, text_is_what_dump_writes_at_every_indent) {
    for (const int indent : {-1, 0, 2, 4}) {
        std::string out;
        JsonTextSink sink(out, indent);
        replay(sample(), sink);
        EXPECT_EQ(out, sample().dump(indent)) << "indent " << indent;
    }
}

TEST(JsonSink, tree_is_the_document_written) {
    JsonDomSink sink;
    replay(sample(), sink);
    EXPECT_EQ(sink.take(), sample());
    JsonDomSink scalar;
    scalar.string("alleen");
    EXPECT_EQ(scalar.take(), json("alleen"));
}

TEST(JsonSink, random_documents_agree_with_dump_in_both_sinks) {
    std::mt19937 rng(7);
    const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::function<json(int)> make = [&](int depth) -> json {
        switch (pick(depth > 0 ? 7 : 4)) {
            case 0: return pick(2) == 0;
            case 1: return static_cast<std::int64_t>(rng()) - (1LL << 31);
            case 2: return static_cast<double>(pick(20001) - 10000) / 10.0;
            case 3: return std::string(static_cast<std::size_t>(pick(6)), static_cast<char>('a' + pick(3)));
            case 4: {
                json o = json::object();
                for (int n = pick(5); n > 0; --n) {
                    o[std::string(1, static_cast<char>('a' + pick(8)))] = make(depth - 1);
                }
                return o;
            }
            default: {
                json a = json::array();
                for (int n = pick(4); n > 0; --n) {
                    a.push_back(make(depth - 1));
                }
                return a;
            }
        }
    };
    for (int i = 0; i < 500; ++i) {
        const json doc = make(4);
        std::string out;
        JsonTextSink text(out, 2);
        replay(doc, text);
        ASSERT_EQ(out, doc.dump(2)) << i;
        JsonDomSink tree;
        replay(doc, tree);
        ASSERT_EQ(tree.take(), doc) << i;
    }
}

TEST(JsonSink, keys_out_of_order_or_repeated_are_refused) {
    for (const auto& keys : {std::vector<std::string>{"b", "a"}, {"a", "a"}, {"ab", "a"}}) {
        std::string out;
        JsonTextSink text(out);
        JsonDomSink tree;
        for (JsonSink* sink : {static_cast<JsonSink*>(&text), static_cast<JsonSink*>(&tree)}) {
            sink->begin_object();
            sink->field(keys[0], 1);
            EXPECT_THROW(sink->key(keys[1]), std::logic_error) << keys[0] << " then " << keys[1];
        }
    }
}

TEST(JsonSink, misplaced_values_and_closes_are_refused) {
    std::string out;
    JsonTextSink sink(out);
    sink.begin_object();
    EXPECT_THROW(sink.integer(1), std::logic_error) << "a member needs its key";
    EXPECT_THROW(sink.end_array(), std::logic_error);
    sink.key("a");
    EXPECT_THROW(sink.end_object(), std::logic_error) << "a key without its value";
    sink.integer(1);
    sink.end_object();
    EXPECT_THROW(sink.null(), std::logic_error) << "one document";
    JsonDomSink open;
    open.begin_array();
    EXPECT_THROW(open.take(), std::logic_error);
}

}  // namespace
}  // namespace spiegel::util
