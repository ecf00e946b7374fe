#include "daemon/app/config_source.h"

#include <filesystem>

#include "daemon/store/pg_conn.h"

namespace spiegel::app {
namespace {

// Reports each present key of `keys` as not belonging to the configured kind.
void refuse(ConfigSection& s, std::initializer_list<std::string_view> keys, std::string_view kind) {
    for (auto key : keys) {
        if (const auto v = s.node(key)) {
            s.sink().add(v->Mark(), s.name_of(key) + ": only for source.kind " + std::string(kind));
        }
    }
}

void read_postgresql(ConfigSection& s, Config& c) {
    refuse(s, {"database"}, "sqlite");
    const auto conninfo = s.node("conninfo");
    if (!conninfo) {
        if (!s.has("conninfo")) {  // an empty value was reported at its key
            s.sink().add(s.node("kind")->Mark(),
                         "key 'source.conninfo': missing required key (source.kind is postgresql)");
        }
    } else if (const auto text = rules::read_string(*conninfo, s.sink(), s.name_of("conninfo"))) {
        s.note_position("conninfo", conninfo->Mark());  // for check --connect (Config::where)
        // The reason never quotes the string: it may hold a password.
        if (const auto problem = store::pg_conninfo_problem(*text); !problem.empty()) {
            s.sink().add(conninfo->Mark(), s.name_of("conninfo") + ": " + problem);
        } else {
            c.source.conninfo = *text;
        }
    }
    if (const auto v = s.node("schema")) {
        s.note_position("schema", v->Mark());
        if (const auto text = rules::read_string(*v, s.sink(), s.name_of("schema"))) {
            if (text->empty()) {
                s.sink().add(v->Mark(), s.name_of("schema") + ": must not be empty");
            } else {
                c.source.schema = *text;
            }
        }
    }
    std::string password_file;
    s.optional_path("password_file", password_file);
    if (!password_file.empty()) {
        namespace fs = std::filesystem;
        const fs::path p(password_file);
        c.source.password_file =
            p.is_absolute() ? password_file : (fs::path(c.dir) / p).lexically_normal().string();
        if (const auto problem = store::pg_password_file_problem(c.source.password_file);
            !problem.empty()) {
            s.sink().add(s.node("password_file")->Mark(),
                         s.name_of("password_file") + ": " + problem);
        }
    }
}

}  // namespace

void read_source_section(ConfigSection& s, Config& c) {
    s.one_of("kind", c.source.kind, {"sqlite", "postgresql"});
    if (c.source.kind == "postgresql") {
        read_postgresql(s, c);
        return;
    }
    refuse(s, {"conninfo", "schema", "password_file"}, "postgresql");
    s.required_path("database", c.source.database);
}

}  // namespace spiegel::app
