#include "daemon/app/web_setup.h"

#include <sys/stat.h>

#include <algorithm>

#include "daemon/util/file.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

constexpr std::size_t k_token_file_bytes = 4096;
constexpr std::size_t k_min_token = 16;
constexpr std::size_t k_max_token = 1024;

std::string shown(const std::string& path) { return util::quoted(path, util::k_printable_path_bytes); }

}  // namespace

util::Expected<std::shared_ptr<http::TlsContexts>> load_tls(const Config& config) {
    if (!config.http.tls.enabled) {
        return std::shared_ptr<http::TlsContexts>();
    }
    const auto& t = config.http.tls;
    http::TlsSetting at_fault = http::TlsSetting::cert_file;
    auto loaded =
        http::TlsContexts::load(http::TlsFiles{t.cert_file, t.key_file, t.min_version, t.client_ca_file}, &at_fault);
    if (!loaded) {
        const char* key = "http.tls.cert_file";
        switch (at_fault) {
            case http::TlsSetting::cert_file:
                break;
            case http::TlsSetting::key_file:
                key = "http.tls.key_file";
                break;
            case http::TlsSetting::min_version:
                key = "http.tls.min_version";
                break;
            case http::TlsSetting::client_ca_file:
                key = "http.tls.client_ca_file";
                break;
        }
        return util::Error{config.where(key) + ": " + loaded.error().message};
    }
    return std::move(*loaded);
}

util::Expected<std::string> read_metrics_token(const std::string& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return util::Error{shown(file) + ": must not be readable by group or others (chmod 600)"};
    }
    const util::FileText read = util::read_regular_file(file, k_token_file_bytes);
    if (read.failure != util::FileText::Failure::none) {
        return util::Error{shown(file) + ": cannot be read" +
                           (read.reason.empty() ? std::string() : " (" + read.reason + ")")};
    }
    std::string token = read.text;
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? "" : token.substr(first, last - first + 1);
    const bool printable = std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 127; });
    if (token.size() < k_min_token || token.size() > k_max_token || !printable) {
        return util::Error{shown(file) + ": must hold one token of 16 to 1024 printable characters without spaces"};
    }
    return token;
}

std::vector<std::string> web_setup_problems(const Config& config) {
    std::vector<std::string> problems;
    if (auto tls = load_tls(config); !tls) {
        problems.push_back(tls.error().message);
    }
    if (!config.http.metrics_token_file.empty()) {
        if (auto token = read_metrics_token(config.http.metrics_token_file); !token) {
            problems.push_back(config.where("http.metrics_token_file") + ": " + token.error().message);
        }
    }
    return problems;
}

}  // namespace spiegel::app
