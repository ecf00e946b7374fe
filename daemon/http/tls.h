#pragma once
// TLS for the HTTP server (docs/serving.md, "TLS"): an OpenSSL server
// context built from a certificate chain, its key, a minimum protocol
// version and, optionally, a CA whose client certificates are required
// (mutual TLS). TlsContexts holds the current context and swaps in a new
// one on reload(): connections accepted later use it, open connections
// keep the context they started with (each holds a reference), so a
// certificate rotation drops no connection.
//
// Thread-safe: current() and reload() may be called from any thread.

#include <memory>
#include <mutex>
#include <string>

#include "daemon/http/asio.h"
#include "daemon/util/expected.h"

#include <boost/asio/ssl.hpp>

namespace spiegel::http {

struct TlsFiles {
    std::string cert_file;        // PEM: the server certificate, then any intermediates
    std::string key_file;         // PEM: its private key
    std::string min_version = "TLS12";  // TLS12 or TLS13
    std::string client_ca_file;   // PEM CAs; empty: no client certificate asked
};

// The setting of TlsFiles an error is about.
enum class TlsSetting { cert_file, key_file, min_version, client_ca_file };

// A server context for `files`. Errors name the file at fault and never
// contain key material; `at_fault`, when given, is set to its setting.
util::Expected<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsFiles& files,
                                                                            TlsSetting* at_fault = nullptr);

class TlsContexts {
public:
    // Loads the files once; the error of make_tls_context().
    static util::Expected<std::shared_ptr<TlsContexts>> load(TlsFiles files, TlsSetting* at_fault = nullptr);

    // The context for a new connection.
    std::shared_ptr<boost::asio::ssl::context> current() const;
    // Reads the same files again; on error the old context stays.
    util::Status reload();
    const TlsFiles& files() const { return m_files; }

private:
    TlsContexts(TlsFiles files, std::shared_ptr<boost::asio::ssl::context> context);
    const TlsFiles m_files;
    mutable std::mutex m_mutex;
    std::shared_ptr<boost::asio::ssl::context> m_context;
};

}  // namespace spiegel::http
