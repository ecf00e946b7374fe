// The web keys of the config (daemon/app/config_web.cpp, web_setup.cpp):
// http.tls (names of the Prometheus exporter-toolkit), the /metrics token
// file, the session timeouts, the public origin behind a TLS proxy.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "daemon/app/config.h"
#include "daemon/app/config_section.h"
#include "daemon/app/web_setup.h"
#include "tests/support/test_support.h"

namespace spiegel::app {
namespace {

using testing::TempDir;
using testing::write_file;

const char* k_minimal_web =
    "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
    "rules:\n  directory: ../rules\n";

util::Expected<Config> load(const TempDir& dir, const std::string& more) {
    write_file(dir.file("c.yaml"), std::string(k_minimal_web) + more);
    return load_config(dir.file("c.yaml"));
}

TEST(ConfigWeb, tls_keys_are_read_and_resolved_next_to_the_config) {
    TempDir dir;
    auto c = load(dir, "http:\n  tls:\n    cert_file: tls/s.crt\n    key_file: tls/s.key\n    min_version: TLS13\n"
                       "    client_ca_file: tls/ca.crt\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_TRUE(c->http.tls.enabled);
    EXPECT_EQ(c->http.tls.cert_file, dir.path() + "/tls/s.crt");
    EXPECT_EQ(c->http.tls.key_file, dir.path() + "/tls/s.key");
    EXPECT_EQ(c->http.tls.min_version, "TLS13");
    EXPECT_EQ(c->http.tls.client_ca_file, dir.path() + "/tls/ca.crt");
}

TEST(ConfigWeb, without_a_tls_section_http_stays_plain_and_tls12_is_the_default) {
    TempDir dir;
    auto plain = load(dir, "");
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->http.tls.enabled);
    auto c = load(dir, "http:\n  tls:\n    cert_file: a.crt\n    key_file: a.key\n");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->http.tls.min_version, "TLS12");
    EXPECT_EQ(c->http.tls.client_ca_file, "");
}

TEST(ConfigWeb, bad_tls_keys_are_errors_with_their_position) {
    TempDir dir;
    auto version = load(dir, "http:\n  tls:\n    cert_file: a.crt\n    key_file: a.key\n    min_version: TLS10\n");
    ASSERT_FALSE(version);
    EXPECT_NE(version.error().message.find(":11:18: key 'http.tls.min_version': 'TLS10' is not one of TLS12, TLS13"),
              std::string::npos)
        << version.error().message;
    auto missing = load(dir, "http:\n  tls:\n    cert_file: a.crt\n");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("key_file"), std::string::npos) << missing.error().message;
    auto unknown = load(dir, "http:\n  tls:\n    cert_file: a.crt\n    key_file: a.key\n    ciphers: ALL\n");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("key 'http.tls.ciphers': unknown key"), std::string::npos);
}

TEST(ConfigWeb, the_public_origin_is_an_https_origin_lower_cased_without_the_default_port) {
    TempDir dir;
    auto none = load(dir, "");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->http.public_origin, "");
    for (const auto& [given, stored] : std::vector<std::pair<std::string, std::string>>{
             {"https://Spiegel.Example.NL", "https://spiegel.example.nl"},
             {"https://spiegel.example.nl:8443", "https://spiegel.example.nl:8443"},
             {"https://spiegel.example.nl:443", "https://spiegel.example.nl"},
             {"HTTPS://10.0.0.7", "https://10.0.0.7"},
             {"https://[2001:db8::1]:9443", "https://[2001:db8::1]:9443"}}) {
        auto c = load(dir, "http:\n  public_origin: \"" + given + "\"\n");
        ASSERT_TRUE(c) << given << ": " << c.error().message;
        EXPECT_EQ(c->http.public_origin, stored) << given;
    }
}

// Only https: with it, sign-in is served on a plain listener, which is
// safe only because the browser's side is encrypted by the proxy.
TEST(ConfigWeb, a_public_origin_that_is_not_https_host_and_port_is_refused_without_quoting_it) {
    for (const std::string bad :
         {"http://spiegel.example.nl", "spiegel.example.nl", "https://",
          "https://spiegel.example.nl/", "https://spiegel.example.nl/kaarten",
          "https://spiegel.example.nl?x=1", "https://user@spiegel.example.nl",
          "https://spiegel.example.nl:", "https://spiegel.example.nl:0",
          "https://spiegel.example.nl:65536", "https://spiegel.example.nl:0443",
          "https://spiegel.example.nl:x", "https://[2001:db8::1", "https://[zz]:1",
          "https://spie gel.nl", "https://spiegel.nl\u0001"}) {
        EXPECT_NE(app::public_origin_problem(bad), "") << bad;
    }
    EXPECT_EQ(app::public_origin_problem("https://a.b"), "");
    TempDir dir;
    auto c = load(dir, "http:\n  public_origin: http://<script>.nl\n");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("http.public_origin': must start with https://"),
              std::string::npos)
        << c.error().message;
    EXPECT_EQ(c.error().message.find("<script>"), std::string::npos) << c.error().message;
}

TEST(ConfigWeb, session_timeouts_have_defaults_and_ranges) {
    TempDir dir;
    auto defaults = load(dir, "");
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->access.session_idle_timeout_seconds, 1800);
    EXPECT_EQ(defaults->access.session_max_age_seconds, 8 * 3600);
    auto set = load(dir, "access:\n  session_idle_timeout: 10m\n  session_max_age: 12h\n");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->access.session_idle_timeout_seconds, 600);
    EXPECT_EQ(set->access.session_max_age_seconds, 12 * 3600);
    EXPECT_FALSE(load(dir, "access:\n  session_idle_timeout: 0s\n"));
    EXPECT_FALSE(load(dir, "access:\n  session_max_age: 30d\n"));
}

TEST(ConfigWeb, the_metrics_token_file_must_be_private_and_hold_a_token) {
    TempDir dir;
    const std::string file = dir.file("metrics.token");
    write_file(file, "  abcdefghijklmnopqrstuvwxyz012345\n");
    ::chmod(file.c_str(), 0644);
    auto open = read_metrics_token(file);
    ASSERT_FALSE(open);
    EXPECT_NE(open.error().message.find("must not be readable by group or others"), std::string::npos);
    ::chmod(file.c_str(), 0600);
    auto token = read_metrics_token(file);
    ASSERT_TRUE(token) << token.error().message;
    EXPECT_EQ(*token, "abcdefghijklmnopqrstuvwxyz012345");
    write_file(file, "short\n");
    ::chmod(file.c_str(), 0600);
    auto too_short = read_metrics_token(file);
    ASSERT_FALSE(too_short);
    EXPECT_EQ(too_short.error().message.find("short"), std::string::npos);  // never the content
    EXPECT_FALSE(read_metrics_token(dir.file("absent")));
}

}  // namespace
}  // namespace spiegel::app
