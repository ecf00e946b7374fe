// `spiegeld serve` with http.tls and http.metrics_token_file, as a real
// process: HTTPS with HSTS, certificates reread on SIGHUP, /metrics behind
// its bearer token, a broken key refused at start (exit 2).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/app/serve_fixture.h"
#include "tests/support/test_support.h"
#include "tests/support/tls_support.h"

namespace spiegel::app {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;
using testing::TempDir;

struct TlsDaemon {
    TempDir dir;
    testing::TestPki pki;
    std::string config;
    TlsDaemon(const std::string& http_extra = "") {
        fs::create_directories(dir.file("pki"));
        EXPECT_TRUE(testing::make_test_pki(dir.file("pki"), pki));
        fs::copy(testing::source_dir() + "/rules", dir.file("rules"), fs::copy_options::recursive);
        fs::create_directories(dir.file("data"));
        config = dir.file("spiegeld.yaml");
        testing::write_file(config, "source:\n  database: data/source.db\nstate:\n  database: data/state.db\n"
                                    "rules:\n  directory: rules\nhttp:\n  listen: 127.0.0.1:0\n"
                                    "  tls:\n    cert_file: pki/server.crt\n    key_file: pki/server.key\n" +
                                        http_extra + "scan:\n  incremental_interval: 1h\n");
    }
    std::string subject(int port) const {
        const std::string command = "openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile '" +
                                    pki.ca() + "' </dev/null 2>/dev/null | openssl x509 -noout -subject 2>/dev/null";
        std::string out;
        if (FILE* pipe = popen(command.c_str(), "r")) {
            char buffer[256];
            while (std::fgets(buffer, sizeof buffer, pipe)) {
                out += buffer;
            }
            pclose(pipe);
        }
        return out;
    }
};

TEST(ServeTls, serves_https_and_rereads_certificates_on_sighup) {
    TlsDaemon d;
    DaemonProcess daemon({"serve", "--config", d.config}, d.dir.path(), d.dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    EXPECT_NE(daemon.log().find("tls=yes"), std::string::npos);
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/healthz";
    const auto r = testing::curl(d.dir.path(), "--cacert '" + d.pki.ca() + "'", url);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.headers.find("strict-transport-security"), std::string::npos) << r.headers;
    EXPECT_NE(d.subject(port).find("CN = spiegel test server"), std::string::npos);
    fs::copy_file(d.pki.server2_cert(), d.pki.server_cert(), fs::copy_options::overwrite_existing);
    fs::copy_file(d.pki.server2_key(), d.pki.server_key(), fs::copy_options::overwrite_existing);
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("TLS certificates reloaded")) << daemon.log();
    EXPECT_NE(d.subject(port).find("CN = spiegel test server two"), std::string::npos);
    EXPECT_EQ(testing::curl(d.dir.path(), "--cacert '" + d.pki.ca() + "'", url).status, 200);
}

TEST(ServeTls, metrics_need_their_bearer_token_when_configured) {
    TlsDaemon d("  metrics_token_file: metrics.token\n");
    testing::write_file(d.dir.file("metrics.token"), "prometheus-scrape-token-0123456789\n");
    ::chmod(d.dir.file("metrics.token").c_str(), 0600);
    DaemonProcess daemon({"serve", "--config", d.config}, d.dir.path(), d.dir.file("serve.log"));
    const int port = daemon.port();
    ASSERT_GT(port, 0) << daemon.log();
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/metrics";
    const std::string ca = "--cacert '" + d.pki.ca() + "'";
    EXPECT_EQ(testing::curl(d.dir.path(), ca, url).status, 401);
    EXPECT_EQ(testing::curl(d.dir.path(), ca + " -H 'Authorization: Bearer wrong-token-wrong-token'", url).status, 401);
    const auto ok = testing::curl(d.dir.path(), ca + " -H 'Authorization: Bearer prometheus-scrape-token-0123456789'", url);
    EXPECT_EQ(ok.status, 200);
    EXPECT_NE(ok.body.find("spiegel_build_info"), std::string::npos);
}

TEST(ServeTls, a_key_that_does_not_load_is_a_configuration_error) {
    TlsDaemon d;
    EXPECT_EQ(testing::run_spiegeld({"check", "--config", d.config}, d.dir.path()).exit_code, 0);
    testing::write_file(d.pki.server_key(), "not a key\n");
    const auto r = testing::run_spiegeld({"serve", "--config", d.config}, d.dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("http.tls"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("server.key"), std::string::npos) << r.err;
    const auto checked = testing::run_spiegeld({"check", "--config", d.config}, d.dir.path());
    EXPECT_EQ(checked.exit_code, 2);
    EXPECT_NE(checked.err.find("server.key"), std::string::npos) << checked.err;
}

}  // namespace
}  // namespace spiegel::app
