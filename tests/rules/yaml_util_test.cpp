// MapReader in both naming styles: rule files ("rule 'x': unknown key ...")
// and the config (dotted key paths); duplicates and escaping of echoed keys.

#include "daemon/rules/yaml_util.h"

#include <gtest/gtest.h>

namespace spiegel::rules {
namespace {

struct Messages {
    std::vector<Diagnostic> diagnostics;
    Sink sink{"t.yaml", diagnostics};
    std::vector<std::string> all() const {
        std::vector<std::string> out;
        for (const auto& d : diagnostics) {
            out.push_back(d.to_string());
        }
        return out;
    }
};

TEST(MapReader, rule_style_lists_the_allowed_keys) {
    Messages m;
    MapReader map(YAML::Load("id: x\nwieght: 2\n"), m.sink, "rule 'x'");
    EXPECT_TRUE(map.get("id"));
    map.get("weight");
    map.finish();
    EXPECT_EQ(m.all(), std::vector<std::string>{"t.yaml:2:1: rule 'x': unknown key 'wieght' (expected one of: id, weight)"});
}

TEST(MapReader, dotted_style_names_keys_by_path) {
    Messages m;
    MapReader map = MapReader::dotted(YAML::Load("full_interval: 1h\nchunk_sise: 2\n"), m.sink, "scan");
    map.get("full_interval");
    EXPECT_EQ(map.name_of("full_interval"), "key 'scan.full_interval'");
    EXPECT_FALSE(map.require("incremental_interval"));
    map.finish();
    EXPECT_EQ(m.all(), (std::vector<std::string>{"t.yaml:1:1: key 'scan.incremental_interval': missing required key",
                                                 "t.yaml:2:1: key 'scan.chunk_sise': unknown key"}));
}

TEST(MapReader, duplicate_keys_are_reported_at_the_repetition) {
    Messages m;
    MapReader::dotted(YAML::Load("a: 1\nfull_interval: 1h\nfull_interval: 2h\n"), m.sink, "scan");
    MapReader(YAML::Load("check: 1\ncheck: 2\n"), m.sink, "rule 'x'");
    EXPECT_EQ(m.all(), (std::vector<std::string>{"t.yaml:3:1: key 'scan.full_interval': duplicate key",
                                                 "t.yaml:2:1: rule 'x': duplicate key 'check'"}));
}

TEST(MapReader, a_non_mapping_is_reported_in_either_style) {
    Messages m;
    EXPECT_FALSE(MapReader::dotted(YAML::Load("[1]"), m.sink, "scan").ok());
    EXPECT_FALSE(MapReader::dotted(YAML::Load("[1]"), m.sink, "").ok());
    EXPECT_FALSE(MapReader(YAML::Load("[1]"), m.sink, "rule").ok());
    EXPECT_EQ(m.all(), (std::vector<std::string>{"t.yaml:1:1: key 'scan': expected a mapping",
                                                 "t.yaml:1:1: expected a mapping",
                                                 "t.yaml:1:1: rule: expected a mapping"}));
}

TEST(MapReader, unknown_keys_with_control_characters_are_echoed_escaped) {
    Messages m;
    MapReader map = MapReader::dotted(YAML::Load("\"evil\\n\\e[31mkey\": 1\n"), m.sink, "http");
    map.finish();
    EXPECT_EQ(m.all(), std::vector<std::string>{"t.yaml:1:1: key 'http.evil\\n\\x1b[31mkey': unknown key"});
}

}  // namespace
}  // namespace spiegel::rules
