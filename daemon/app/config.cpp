#include "daemon/app/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <map>

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;

struct ConfigError {
    std::string message;
};

std::string where(const std::string& file, const YAML::Mark& mark) {
    if (mark.line < 0) {
        return file + ":1:1";
    }
    return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

class Section {
public:
    Section(const std::string& file, const std::string& prefix, const YAML::Node& node)
        : m_file(file), m_prefix(prefix), m_node(node) {
        if (!node.IsMap()) {
            fail(node, "expected a mapping");
        }
    }

    template <class Fn>
    void key(const std::string& name, Fn&& fn) {
        m_known.push_back(name);
        const YAML::Node& n = m_node;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (it->first.as<std::string>() == name) {
                fn(it->second);
            }
        }
    }

    void string(const std::string& name, std::string& out) {
        key(name, [&](const YAML::Node& v) {
            if (!v.IsScalar()) {
                fail(v, "key '" + path(name) + "': expected a string");
            }
            out = v.Scalar();
        });
    }

    void one_of(const std::string& name, std::string& out, std::initializer_list<const char*> allowed) {
        string(name, out);
        for (const char* a : allowed) {
            if (out == a) {
                return;
            }
        }
        std::string list;
        for (const char* a : allowed) {
            list += (list.empty() ? "" : ", ") + std::string(a);
        }
        key(name, [&](const YAML::Node& v) {
            fail(v, "key '" + path(name) + "': '" + out + "' is not one of " + list);
        });
    }

    template <class Int>
    void positive(const std::string& name, Int& out, long long min = 1) {
        key(name, [&](const YAML::Node& v) {
            long long x = 0;
            try {
                x = v.as<long long>();
            } catch (const YAML::Exception&) {
                fail(v, "key '" + path(name) + "': expected an integer");
            }
            if (x < min) {
                fail(v, "key '" + path(name) + "': must be at least " + std::to_string(min));
            }
            out = static_cast<Int>(x);
        });
    }

    void boolean(const std::string& name, bool& out) {
        key(name, [&](const YAML::Node& v) {
            if (!v.IsScalar() || (v.Scalar() != "true" && v.Scalar() != "false")) {
                fail(v, "key '" + path(name) + "': expected true or false");
            }
            out = v.Scalar() == "true";
        });
    }

    // Durations: an integer number of seconds or "30s", "5m", "2h", "1d".
    void duration(const std::string& name, int& out) {
        key(name, [&](const YAML::Node& v) {
            if (!v.IsScalar()) {
                fail(v, "key '" + path(name) + "': expected a duration such as 300, 5m or 1h");
            }
            const std::string s = v.Scalar();
            std::size_t used = 0;
            long long n = -1;
            try {
                n = std::stoll(s, &used);
            } catch (...) {
                n = -1;
            }
            long long mult = 1;
            const std::string unit = s.substr(used);
            if (unit == "" || unit == "s") {
                mult = 1;
            } else if (unit == "m") {
                mult = 60;
            } else if (unit == "h") {
                mult = 3600;
            } else if (unit == "d") {
                mult = 86400;
            } else {
                n = -1;
            }
            if (n <= 0) {
                fail(v, "key '" + path(name) + "': expected a positive duration such as 300, 5m or 1h");
            }
            out = static_cast<int>(n * mult);
        });
    }

    // Reports the first key this section does not know.
    void finish() {
        for (auto it = m_node.begin(); it != m_node.end(); ++it) {
            const std::string k = it->first.as<std::string>();
            bool known = false;
            for (const auto& name : m_known) {
                known = known || name == k;
            }
            if (!known) {
                fail(it->first, "unknown key '" + path(k) + "'");
            }
        }
    }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& msg) const {
        throw ConfigError{where(m_file, node.Mark()) + ": " + msg};
    }

private:
    std::string path(const std::string& name) const {
        return m_prefix.empty() ? name : m_prefix + "." + name;
    }
    std::string m_file;
    std::string m_prefix;
    YAML::Node m_node;
    std::vector<std::string> m_known;
};

std::string resolve(const Config& c, const std::string& p) {
    if (p.empty() || fs::path(p).is_absolute()) {
        return p;
    }
    return (fs::path(c.dir) / p).lexically_normal().string();
}

}  // namespace

util::Expected<Config> load_config(const std::string& path) {
    Config c;
    c.file = path;
    c.dir = fs::absolute(fs::path(path)).parent_path().string();
    YAML::Node root;
    try {
        if (!fs::exists(path)) {
            return util::Error{path + ": config file not found"};
        }
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        return util::Error{where(path, e.mark) + ": " + e.msg};
    }
    if (root.IsNull()) {
        return util::Error{path + ":1:1: empty config file"};
    }
    try {
        Section top(path, "", root);
        top.key("source", [&](const YAML::Node& n) {
            Section s(path, "source", n);
            s.string("database", c.source.database);
            s.finish();
        });
        top.key("state", [&](const YAML::Node& n) {
            Section s(path, "state", n);
            s.string("database", c.state.database);
            s.positive("retention_days", c.state.retention_days);
            s.finish();
        });
        top.key("rules", [&](const YAML::Node& n) {
            Section s(path, "rules", n);
            s.string("directory", c.rules.directory);
            s.finish();
        });
        top.key("http", [&](const YAML::Node& n) {
            Section s(path, "http", n);
            s.string("listen", c.http.listen);
            s.positive("max_header_bytes", c.http.max_header_bytes, 512);
            s.positive("max_body_bytes", c.http.max_body_bytes, 0);
            s.duration("request_timeout", c.http.request_timeout_seconds);
            s.duration("idle_timeout", c.http.idle_timeout_seconds);
            s.boolean("lifecycle", c.http.lifecycle);
            s.finish();
        });
        top.key("scan", [&](const YAML::Node& n) {
            Section s(path, "scan", n);
            s.duration("incremental_interval", c.scan.incremental_interval_seconds);
            s.duration("full_interval", c.scan.full_interval_seconds);
            s.positive("chunk_size", c.scan.chunk_size);
            s.finish();
        });
        top.key("log", [&](const YAML::Node& n) {
            Section s(path, "log", n);
            s.one_of("level", c.log.level, {"trace", "debug", "info", "warn", "error"});
            s.one_of("format", c.log.format, {"text", "json"});
            s.finish();
        });
        top.key("privacy", [&](const YAML::Node& n) {
            Section s(path, "privacy", n);
            s.positive("min_cell", c.privacy.min_cell, 2);
            s.positive("audit_retention_days", c.privacy.audit_retention_days);
            s.positive("personal_cards_per_hour", c.privacy.personal_cards_per_hour);
            s.finish();
        });
        top.finish();
        auto require = [&](const std::string& value, const std::string& key) {
            if (value.empty()) {
                throw ConfigError{path + ":1:1: missing required key '" + key + "'"};
            }
        };
        require(c.source.database, "source.database");
        require(c.state.database, "state.database");
        require(c.rules.directory, "rules.directory");
    } catch (const ConfigError& e) {
        return util::Error{e.message};
    } catch (const YAML::Exception& e) {
        return util::Error{where(path, e.mark) + ": " + e.msg};
    }
    c.source.database = resolve(c, c.source.database);
    c.state.database = resolve(c, c.state.database);
    c.rules.directory = resolve(c, c.rules.directory);
    c.access.database = c.access.database.empty() ? (fs::path(c.state.database).parent_path() / "access.db").string()
                                                  : resolve(c, c.access.database);
    return c;
}

}  // namespace spiegel::app
