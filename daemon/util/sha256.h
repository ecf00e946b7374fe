#pragma once
// SHA-256 (FIPS 180-4) and a constant-time comparison, for storing and
// checking bearer-token hashes without a crypto dependency. Pure, thread-safe.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace spiegel::util {

using Sha256Digest = std::array<std::uint8_t, 32>;

// The SHA-256 digest of `data` (any bytes).
Sha256Digest sha256(std::string_view data);

// Lower-case hex of a digest (64 characters).
std::string sha256_hex(std::string_view data);
std::string to_hex(const Sha256Digest& digest);

// True when a and b are equal. Takes time depending only on the lengths:
// every byte of the longer input is visited, no early exit on a mismatch.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace spiegel::util
