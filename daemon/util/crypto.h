#pragma once
// Hashing, randomness and comparison for secrets (bearer tokens, session
// ids), from OpenSSL's libcrypto. Pure apart from the randomness source;
// thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "daemon/util/expected.h"

namespace spiegel::util {

// Lower-case hex of the SHA-256 digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// `count` bytes from the operating system's CSPRNG (RAND_bytes). Error:
// the generator could not be seeded.
Expected<std::string> random_bytes(std::size_t count);

// RFC 4648 base64url without padding.
std::string base64url(std::string_view bytes);

// True when a and b are equal. Inputs of equal length are compared in time
// independent of their content (CRYPTO_memcmp); a length mismatch returns
// false at once (lengths of hashes and tokens are public).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace spiegel::util
