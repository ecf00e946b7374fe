#include "daemon/http/tls.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "daemon/util/printable.h"

namespace spiegel::http {
namespace {

namespace ssl = boost::asio::ssl;

// A file name as messages show it (escaped, quoted).
std::string shown(const std::string& file) { return util::quoted(file, util::k_printable_path_bytes); }

// Why `file` cannot be opened for reading ("" when it can): OpenSSL's own
// answer to a missing file is only "asio.ssl error".
std::string unreadable(const std::string& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::strerror(errno);
    }
    ::close(fd);
    return "";
}

// The reason of the last OpenSSL error, without file contents, or why the
// file cannot be read at all.
std::string openssl_reason(const boost::system::error_code& ec, const std::string& file) {
    ERR_clear_error();
    if (std::string reason = unreadable(file); !reason.empty()) {
        return "cannot be read (" + reason + ")";
    }
    return ec.message();
}

}  // namespace

util::Expected<std::shared_ptr<ssl::context>> make_tls_context(const TlsFiles& files, TlsSetting* at_fault) {
    const auto fail = [at_fault](TlsSetting setting, std::string message) {
        if (at_fault != nullptr) {
            *at_fault = setting;
        }
        return util::Error{std::move(message)};
    };
    int min_version = 0;
    if (files.min_version == "TLS12") {
        min_version = TLS1_2_VERSION;
    } else if (files.min_version == "TLS13") {
        min_version = TLS1_3_VERSION;
    } else {
        return fail(TlsSetting::min_version, "TLS min_version must be TLS12 or TLS13");
    }
    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    if (SSL_CTX_set_min_proto_version(native, min_version) != 1) {
        return fail(TlsSetting::min_version, "cannot set the minimum TLS version");
    }
    // An idle keep-alive connection keeps no TLS record buffers (many may wait).
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                    SSL_OP_NO_TICKET);
    // No session resumption at all (TLS 1.3 would still hand out stateful
    // tickets from the cache), and a session id context, without which
    // OpenSSL aborts a resumed handshake when client certificates are required.
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(native, 0);
    static constexpr unsigned char k_session_context[] = "spiegel";
    SSL_CTX_set_session_id_context(native, k_session_context, sizeof k_session_context - 1);
    const auto key_mismatch = [&] {
        return fail(TlsSetting::key_file,
                    "TLS key " + shown(files.key_file) + " does not match the certificate " + shown(files.cert_file));
    };
    boost::system::error_code ec;
    context->use_certificate_chain_file(files.cert_file, ec);
    if (ec) {
        return fail(TlsSetting::cert_file,
                    "TLS certificate " + shown(files.cert_file) + " does not load: " + openssl_reason(ec, files.cert_file));
    }
    context->use_private_key_file(files.key_file, ssl::context::pem, ec);
    if (ec) {
        const std::string reason = openssl_reason(ec, files.key_file);
        if (reason.find("mismatch") != std::string::npos) {  // OpenSSL checks the pair while loading
            return key_mismatch();
        }
        return fail(TlsSetting::key_file, "TLS key " + shown(files.key_file) + " does not load: " + reason);
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        ERR_clear_error();
        return key_mismatch();
    }
    if (!files.client_ca_file.empty()) {
        context->load_verify_file(files.client_ca_file, ec);
        if (ec) {
            return fail(TlsSetting::client_ca_file, "TLS client CA " + shown(files.client_ca_file) +
                                                        " does not load: " + openssl_reason(ec, files.client_ca_file));
        }
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str());
        if (names != nullptr) {
            SSL_CTX_set_client_CA_list(native, names);  // takes ownership
        }
        context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return context;
}

TlsContexts::TlsContexts(TlsFiles files, std::shared_ptr<ssl::context> context)
    : m_files(std::move(files)), m_context(std::move(context)) {}

util::Expected<std::shared_ptr<TlsContexts>> TlsContexts::load(TlsFiles files, TlsSetting* at_fault) {
    auto context = make_tls_context(files, at_fault);
    if (!context) {
        return context.error();
    }
    return std::shared_ptr<TlsContexts>(new TlsContexts(std::move(files), std::move(*context)));
}

std::shared_ptr<ssl::context> TlsContexts::current() const {
    std::lock_guard lock(m_mutex);
    return m_context;
}

util::Status TlsContexts::reload() {
    auto context = make_tls_context(m_files);
    if (!context) {
        return context.error();
    }
    std::lock_guard lock(m_mutex);
    m_context = std::move(*context);
    return {};
}

}  // namespace spiegel::http
