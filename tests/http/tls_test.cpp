// TLS in the server (daemon/http/tls.cpp, session.cpp): HTTPS with HSTS,
// the minimum version, mutual TLS, the handshake inside the request
// deadline, and certificates reloaded without dropping open connections.
// A test PKI is made with openssl; curl and a Beast client are the peers.
#include <gtest/gtest.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/beast/ssl.hpp>
#include <filesystem>
#include <optional>

#include "tests/http/server_fixture.h"
#include "tests/support/tls_support.h"

namespace spiegel::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class TlsServer : public ServerFixture {
protected:
    void SetUp() override { ASSERT_TRUE(testing::make_test_pki(m_dir.path(), m_pki)) << "openssl failed"; }
    // The request deadline counts from accept and so includes the handshake:
    // 300 ms (small_limits) can pass before a client of a sanitizer build
    // has sent its request, so the TLS tests allow 5 s unless they test it.
    static Limits tls_limits() {
        Limits limits = small_limits();
        limits.request_timeout = std::chrono::milliseconds(5000);
        return limits;
    }
    void start_tls(TlsFiles files, Limits limits = tls_limits()) {
        auto tls = TlsContexts::load(std::move(files));
        ASSERT_TRUE(tls) << tls.error().message;
        m_tls = *tls;
        start(limits);
    }
    TlsFiles server_files(const std::string& min_version = "TLS12") const {
        return TlsFiles{m_pki.server_cert(), m_pki.server_key(), min_version, ""};
    }
    std::string url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(m_port) + path; }
    testing::CurlResult get(const std::string& args, const std::string& path = "/hello") {
        return testing::curl(m_dir.path(), "--cacert '" + m_pki.ca() + "' " + args, url(path));
    }

    testing::TempDir m_dir;
    testing::TestPki m_pki;
};

TEST_F(TlsServer, serves_https_with_strict_transport_security) {
    start_tls(server_files());
    const auto r = get("");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hi");
    EXPECT_NE(r.headers.find("strict-transport-security: max-age=31536000"), std::string::npos) << r.headers;
}

TEST_F(TlsServer, plain_http_on_the_tls_port_gets_no_answer) {
    start_tls(server_files());
    const auto r = testing::curl(m_dir.path(), "", "http://127.0.0.1:" + std::to_string(m_port) + "/hello");
    EXPECT_NE(r.status, 200);
    EXPECT_EQ(r.body, "");
}

TEST_F(TlsServer, a_client_below_the_minimum_version_is_refused) {
    start_tls(server_files("TLS13"));
    EXPECT_EQ(get("--tls-max 1.2").status, 0);
    EXPECT_EQ(get("--tlsv1.3").status, 200);
}

TEST_F(TlsServer, tls12_is_the_default_minimum_and_accepted) {
    start_tls(server_files());
    EXPECT_EQ(get("--tlsv1.2 --tls-max 1.2").status, 200);
    EXPECT_EQ(get("--tlsv1.1 --tls-max 1.1").status, 0);
}

TEST_F(TlsServer, mutual_tls_requires_a_certificate_of_the_client_ca) {
    TlsFiles files = server_files();
    files.client_ca_file = m_pki.ca();
    start_tls(files);
    EXPECT_EQ(get("").status, 0);
    EXPECT_EQ(get("--cert '" + m_pki.client_cert() + "' --key '" + m_pki.client_key() + "'").status, 200);
    EXPECT_EQ(get("--cert '" + m_pki.stranger_cert() + "' --key '" + m_pki.stranger_key() + "'").status, 0);
}

// A client that connects and never sends its ClientHello holds the slot
// no longer than the request deadline (300 ms here).
TEST_F(TlsServer, a_silent_client_is_closed_by_the_request_deadline) {
    start_tls(server_files(), small_limits());  // a 300 ms deadline
    testing::RawConnection silent(m_port, 5);
    const auto before = std::chrono::steady_clock::now();
    EXPECT_TRUE(silent.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(4));
}

// A Beast HTTPS client on one connection.
class Client {
public:
    Client(int port, const std::string& ca) : m_ctx(asio::ssl::context::tls_client), m_stream(m_io, m_ctx) {
        m_ctx.load_verify_file(ca);
        m_ctx.set_verify_mode(asio::ssl::verify_peer);
        beast::get_lowest_layer(m_stream).connect(
            asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
        m_stream.handshake(asio::ssl::stream_base::client);
    }
    int get(const std::string& path) {
        beast::http::request<beast::http::empty_body> req{beast::http::verb::get, path, 11};
        req.set(beast::http::field::host, "127.0.0.1");
        beast::http::write(m_stream, req);
        beast::flat_buffer buffer;
        beast::http::response<beast::http::string_body> res;
        beast::http::read(m_stream, buffer, res);
        return static_cast<int>(res.result_int());
    }
    std::string peer_common_name() {
        X509* cert = SSL_get1_peer_certificate(m_stream.native_handle());
        char name[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof name);
        X509_free(cert);
        return name;
    }

private:
    asio::io_context m_io;
    asio::ssl::context m_ctx;
    beast::ssl_stream<beast::tcp_stream> m_stream;
};

TEST_F(TlsServer, reload_serves_new_certificates_to_new_connections_and_keeps_open_ones) {
    Limits limits = tls_limits();
    limits.idle_timeout = std::chrono::milliseconds(5000);
    start_tls(server_files(), limits);
    Client open(m_port, m_pki.ca());
    ASSERT_EQ(open.get("/hello"), 200);
    EXPECT_EQ(open.peer_common_name(), "spiegel test server");
    // The files are replaced in place, as a certificate renewal does.
    std::filesystem::copy_file(m_pki.server2_cert(), m_pki.server_cert(), std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(m_pki.server2_key(), m_pki.server_key(), std::filesystem::copy_options::overwrite_existing);
    ASSERT_TRUE(m_tls->reload());
    EXPECT_EQ(open.get("/hello"), 200);  // the open connection goes on
    Client fresh(m_port, m_pki.ca());
    EXPECT_EQ(fresh.get("/hello"), 200);
    EXPECT_EQ(fresh.peer_common_name(), "spiegel test server two");
}

TEST_F(TlsServer, a_failed_reload_keeps_the_old_certificates) {
    start_tls(server_files());
    testing::write_file(m_pki.server_key(), "not a key\n");
    const auto reloaded = m_tls->reload();
    ASSERT_FALSE(reloaded);
    EXPECT_NE(reloaded.error().message.find("server.key"), std::string::npos) << reloaded.error().message;
    EXPECT_EQ(get("").status, 200);
}

TEST_F(TlsServer, a_key_that_does_not_match_the_certificate_is_an_error) {
    TlsSetting at_fault = TlsSetting::cert_file;
    auto context = make_tls_context(TlsFiles{m_pki.server_cert(), m_pki.server2_key(), "TLS12", ""}, &at_fault);
    ASSERT_FALSE(context);
    EXPECT_NE(context.error().message.find("does not match"), std::string::npos) << context.error().message;
    EXPECT_EQ(at_fault, TlsSetting::key_file);
}

// Each error names the setting at fault, which the daemon's message
// points at in the config file.
TEST_F(TlsServer, missing_files_and_unknown_versions_are_errors) {
    const auto setting_at_fault = [](const TlsFiles& files) -> std::optional<TlsSetting> {
        TlsSetting at_fault = TlsSetting::cert_file;
        auto context = make_tls_context(files, &at_fault);
        return context ? std::nullopt : std::optional<TlsSetting>(at_fault);
    };
    EXPECT_EQ(setting_at_fault({m_dir.file("absent.crt"), m_pki.server_key(), "TLS12", ""}), TlsSetting::cert_file);
    EXPECT_EQ(setting_at_fault({m_pki.server_cert(), m_dir.file("absent.key"), "TLS12", ""}), TlsSetting::key_file);
    EXPECT_EQ(setting_at_fault({m_pki.server_cert(), m_pki.server_key(), "TLS11", ""}), TlsSetting::min_version);
    EXPECT_EQ(setting_at_fault({m_pki.server_cert(), m_pki.server_key(), "TLS12", m_dir.file("none.crt")}),
              TlsSetting::client_ca_file);
    EXPECT_EQ(setting_at_fault({m_pki.server_cert(), m_pki.server_key(), "TLS12", ""}), std::nullopt);
}

}  // namespace
}  // namespace spiegel::http
