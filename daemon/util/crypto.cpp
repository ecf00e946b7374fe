#include "daemon/util/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <limits>

namespace spiegel::util {

namespace {

// SHA-256 fetched from the default provider once: EVP_sha256() is looked
// up again (a property query under a lock) on every digest, and a digest
// runs for every request that carries a token.
const EVP_MD* sha256() {
    static const EVP_MD* const md = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        return fetched != nullptr ? fetched : EVP_sha256();
    }();
    return md;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    // EVP_Digest with the built-in SHA-256 cannot fail short of memory exhaustion.
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, sha256(), nullptr) != 1) {
        throw std::bad_alloc();
    }
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i) {
        out += k_digits[digest[i] >> 4];
        out += k_digits[digest[i] & 0xf];
    }
    return out;
}

Expected<std::string> random_bytes(std::size_t count) {
    std::string out(count, '\0');
    if (count > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        return Error{"cannot read random bytes from the system's generator"};
    }
    return out;
}

std::string base64url(std::string_view bytes) {
    static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += k_alphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += k_alphabet[(buffer << (6 - bits)) & 0x3f];
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace spiegel::util
