// Bounded YAML loading: alias bombs, deep nesting, huge and unreadable files
// are refused with a positioned message, never by running out of memory or
// stack.

#include "daemon/rules/yaml_load.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/test_support.h"

namespace spiegel::rules {
namespace {

using testing::TempDir;

struct Loaded {
    std::optional<YAML::Node> node;
    std::vector<Diagnostic> diagnostics;
    std::string first() const { return diagnostics.empty() ? std::string() : diagnostics[0].to_string(); }
};

Loaded load_text(const std::string& text, const YamlLimits& limits = {}) {
    Loaded out;
    Sink sink("t.yaml", out.diagnostics);
    out.node = load_yaml_text(text, sink, limits);
    return out;
}

Loaded load_file(const std::string& path, const YamlLimits& limits = {}) {
    Loaded out;
    Sink sink(path, out.diagnostics);
    out.node = load_yaml_file(path, sink, limits);
    return out;
}

TEST(YamlLoad, one_document_is_read_and_a_second_is_refused) {
    EXPECT_TRUE(load_text("---\na: 1\n").node.has_value()) << "an explicit start of the one document";
    EXPECT_TRUE(load_text("a: 1\n...\n").node.has_value()) << "an explicit end of it";
    const auto second = load_text("a: 1\n---\nb: 2\n");
    EXPECT_FALSE(second.node.has_value());
    EXPECT_EQ(second.first().rfind("t.yaml:2:1: a second YAML document", 0), 0u) << second.first();
    EXPECT_FALSE(load_text("a: 1\n...\n---\n").node.has_value());
}

TEST(YamlLoad, billion_laughs_rule_file_is_refused_at_the_alias_that_crosses_the_limit) {
    const std::string path = testing::source_dir() + "/tests/rules/data/billion_laughs.yaml";
    const auto r = load_file(path);
    EXPECT_FALSE(r.node);
    ASSERT_EQ(r.diagnostics.size(), 1U) << r.first();
    EXPECT_EQ(r.first(),
              path + ":12:23: YAML document too large: more than 1000000 nodes after expanding aliases");
}

TEST(YamlLoad, an_alias_counts_as_its_anchors_whole_subtree) {
    // 1 map + 2 keys + list a (1 + 3) + alias of a (4) = 11 nodes.
    const std::string text = "a: &a [x, y, z]\nb: *a\n";
    YamlLimits limits;
    limits.max_nodes = 11;
    EXPECT_TRUE(load_text(text, limits).node);
    limits.max_nodes = 10;
    const auto r = load_text(text, limits);
    EXPECT_FALSE(r.node);
    EXPECT_EQ(r.first(), "t.yaml:2:4: YAML document too large: more than 10 nodes after expanding aliases");
}

TEST(YamlLoad, aliases_of_a_long_string_count_its_bytes_each_time) {
    std::string text = "a: &a " + std::string(1000, 'x') + "\nb: [";
    for (int i = 0; i < 100; ++i) {
        text += "*a, ";
    }
    text += "]\n";
    YamlLimits limits;
    limits.max_text_bytes = 50'000;
    const auto r = load_text(text, limits);
    EXPECT_FALSE(r.node);
    EXPECT_NE(r.first().find("YAML document too large: more than 50000 bytes of text after expanding aliases"),
              std::string::npos)
        << r.first();
}

TEST(YamlLoad, more_aliases_than_the_limit_are_refused) {
    std::string text = "a: &a x\nb: [";
    for (int i = 0; i < 1001; ++i) {
        text += "*a, ";
    }
    text += "]\n";
    const auto r = load_text(text);
    EXPECT_FALSE(r.node);
    EXPECT_NE(r.first().find(": YAML document too large: more than 1000 aliases"), std::string::npos) << r.first();
}

TEST(YamlLoad, deep_flow_nesting_is_refused_without_exhausting_the_stack) {
    const std::string text = "rules: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    const auto r = load_text(text);
    EXPECT_FALSE(r.node);
    EXPECT_EQ(r.first(), "t.yaml:1:71: YAML document too large: nested deeper than 64 levels");
}

TEST(YamlLoad, deep_block_nesting_is_refused) {
    std::string text;
    for (int i = 0; i < 3000; ++i) {
        text += std::string(static_cast<std::size_t>(i), ' ') + "- \n";
    }
    const auto r = load_text(text);
    EXPECT_FALSE(r.node);
    EXPECT_NE(r.first().find("YAML document too large: nested deeper than 64 levels"), std::string::npos)
        << r.first();
}

TEST(YamlLoad, nesting_up_to_the_limit_loads) {
    const std::string text = std::string(64, '[') + std::string(64, ']');
    EXPECT_TRUE(load_text(text).node) << load_text(text).first();
}

TEST(YamlLoad, an_alias_inside_its_own_anchor_is_refused) {
    const auto r = load_text("a: &a [x, *a]\n");
    EXPECT_FALSE(r.node);
    EXPECT_NE(r.first().find("t.yaml:1:11: "), std::string::npos) << r.first();
}

TEST(YamlLoad, syntax_error_has_a_position) {
    const auto r = load_text("a: [unclosed\n");
    EXPECT_FALSE(r.node);
    EXPECT_NE(r.first().find("YAML syntax error"), std::string::npos) << r.first();
}

TEST(YamlLoad, a_file_over_the_size_limit_is_refused_unread) {
    TempDir dir;
    testing::write_file(dir.file("big.yaml"), "a: " + std::string(200, 'x') + "\n");
    YamlLimits limits;
    limits.max_bytes = 100;
    const auto r = load_file(dir.file("big.yaml"), limits);
    EXPECT_FALSE(r.node);
    EXPECT_EQ(r.first(), dir.file("big.yaml") + ":1:1: YAML document too large: more than 100 bytes");
}

TEST(YamlLoad, a_missing_file_names_the_os_reason) {
    const auto r = load_file("/nonexistent/x.yaml");
    EXPECT_EQ(r.first(), "/nonexistent/x.yaml:1:1: cannot read file: No such file or directory");
}

TEST(YamlLoad, a_fifo_is_refused_without_waiting_for_a_writer) {
    TempDir dir;
    ASSERT_EQ(mkfifo(dir.file("pipe.yaml").c_str(), 0600), 0);
    const auto r = load_file(dir.file("pipe.yaml"));
    EXPECT_EQ(r.first(), dir.file("pipe.yaml") + ":1:1: cannot read file: not a regular file");
}

TEST(YamlLoad, an_empty_document_is_a_null_node) {
    const auto r = load_text("# only a comment\n");
    ASSERT_TRUE(r.node);
    EXPECT_TRUE(r.node->IsNull());
}

}  // namespace
}  // namespace spiegel::rules
