#pragma once
// Fast non-cryptographic 64-bit hashing (XXH3) for change detection: the
// digest of a stored result, the content of a source row, the cross-record
// index. Never for secrets (crypto.h). Pure; thread-safe.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace spiegel::util {

// XXH3 of bytes with a seed.
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);

// Bytes to hash, built field by field: every string with its length and
// every number with its bytes, so no two different sequences of fields
// give the same bytes. Reused (clear()) to avoid allocating per use.
class HashBytes {
public:
    void clear() { m_bytes.clear(); }
    void text(std::string_view s) {
        number(static_cast<std::uint64_t>(s.size()));
        m_bytes.append(s);
    }
    template <typename Strings>
    void texts(const Strings& v) {
        number(static_cast<std::uint64_t>(v.size()));
        for (const auto& s : v) {
            text(s);
        }
    }
    template <typename T>
    void number(T v) {
        static_assert(std::is_arithmetic_v<T>);
        char bytes[sizeof(T)];
        std::memcpy(bytes, &v, sizeof(T));
        m_bytes.append(bytes, sizeof(T));
    }
    // The hash of the bytes so far; never 0 (0 stands for "none" where
    // hashes are stored).
    std::uint64_t hash(std::uint64_t seed = 0) const {
        const std::uint64_t h = hash64(m_bytes, seed);
        return h == 0 ? 1 : h;
    }

private:
    std::string m_bytes;
};

}  // namespace spiegel::util
