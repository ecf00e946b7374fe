#pragma once
// TLS in tests: a throw-away PKI made with the openssl command (a CA, a
// server certificate for 127.0.0.1/localhost, a second one for reload
// tests, a client certificate, and a certificate of another CA), and curl
// as an independent HTTPS client. Header-only.

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/support/test_support.h"

namespace spiegel::testing {

// Runs a shell command quietly; true on exit status 0.
inline bool shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

struct TestPki {
    std::string dir;
    std::string ca() const { return dir + "/ca.crt"; }
    std::string server_cert() const { return dir + "/server.crt"; }
    std::string server_key() const { return dir + "/server.key"; }
    std::string server2_cert() const { return dir + "/server2.crt"; }
    std::string server2_key() const { return dir + "/server2.key"; }
    std::string client_cert() const { return dir + "/client.crt"; }
    std::string client_key() const { return dir + "/client.key"; }
    std::string stranger_cert() const { return dir + "/stranger.crt"; }
    std::string stranger_key() const { return dir + "/stranger.key"; }
};

// Makes the PKI in `dir` (EC P-256 keys: fast). False when openssl fails.
inline bool make_test_pki(const std::string& dir, TestPki& pki) {
    pki.dir = dir;
    const std::string d = "'" + dir + "'";
    const auto key = [&](const std::string& name) {
        return shell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + d + "/" + name + ".key");
    };
    const auto ca = [&](const std::string& name, const std::string& cn) {
        return key(name) && shell("openssl req -x509 -new -key " + d + "/" + name + ".key -subj '/CN=" + cn +
                                  "' -days 2 -out " + d + "/" + name + ".crt");
    };
    const auto leaf = [&](const std::string& name, const std::string& issuer, const std::string& cn,
                          const std::string& ext) {
        testing::write_file(dir + "/" + name + ".ext", ext + "\n");
        return key(name) &&
               shell("openssl req -new -key " + d + "/" + name + ".key -subj '/CN=" + cn + "' -out " + d + "/" + name +
                     ".csr") &&
               shell("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/" + issuer + ".crt -CAkey " + d +
                     "/" + issuer + ".key -CAcreateserial -days 2 -extfile " + d + "/" + name + ".ext -out " + d +
                     "/" + name + ".crt");
    };
    const std::string server_ext = "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth";
    return ca("ca", "Spiegel test CA") && ca("otherca", "Another CA") &&
           leaf("server", "ca", "spiegel test server", server_ext) &&
           leaf("server2", "ca", "spiegel test server two", server_ext) &&
           leaf("client", "ca", "prometheus", "extendedKeyUsage=clientAuth") &&
           leaf("stranger", "otherca", "stranger", "extendedKeyUsage=clientAuth");
}

struct CurlResult {
    int status = 0;  // 0: no HTTP answer (handshake refused, connection failed)
    std::string headers;  // lower-cased
    std::string body;
};

// curl -sS with `args` (already shell-quoted) against `url`.
inline CurlResult curl(const std::string& dir, const std::string& args, const std::string& url) {
    const std::string body = dir + "/curl.body";
    const std::string headers = dir + "/curl.headers";
    std::remove(body.c_str());
    std::remove(headers.c_str());
    const std::string command = "curl -sS --max-time 10 -o '" + body + "' -D '" + headers + "' -w '%{http_code}' " +
                                args + " '" + url + "' 2>/dev/null";
    CurlResult out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[64] = {};
        const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, pipe);
        pclose(pipe);
        out.status = std::atoi(std::string(buffer, n).c_str());
    }
    out.headers = testing::read_text(headers);
    for (char& c : out.headers) {  // header names are case-insensitive: compare in lower case
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    out.body = testing::read_text(body);
    return out;
}

}  // namespace spiegel::testing
