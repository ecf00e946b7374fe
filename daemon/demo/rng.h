#pragma once
// A small deterministic PRNG (xoshiro256**, seeded via splitmix64) with its
// own integer, real and weighted-choice functions, so that the demo data are
// byte-identical across compilers and standard libraries (std::
// distributions are implementation-defined). Not thread-safe; cheap to copy.

#include <cstdint>
#include <span>

namespace spiegel::demo {

// One splitmix64 step: advances `state` and returns a well-mixed value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Rng {
  public:
    // A stream for (seed, stream, index): records are generated from their own
    // stream, so a record does not depend on the order or batch it is made in.
    Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
        std::uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ULL) ^ (index * 0x8CB92BA72F3D8DD7ULL);
        splitmix64(s);
        for (auto& word : m_s) {
            word = splitmix64(s);
        }
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 bits.
    double real() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [lo, hi] (inclusive); lo when hi <= lo.
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        if (hi <= lo) {
            return lo;
        }
        const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
        // Rejection of the short top range makes the draw exactly uniform.
        const std::uint64_t threshold = (0 - span) % span;
        std::uint64_t r = next();
        while (r < threshold) {
            r = next();
        }
        return lo + static_cast<std::int64_t>(r % span);
    }

    // Uniform index in [0, n); 0 when n == 0.
    std::size_t index(std::size_t n) {
        return n == 0 ? 0 : static_cast<std::size_t>(between(0, static_cast<std::int64_t>(n) - 1));
    }

    bool chance(double p) { return p > 0 && real() < p; }

    // Index drawn with probability proportional to weights[i].
    std::size_t weighted(std::span<const double> weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = real() * total;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (x < weights[i]) {
                return i;
            }
            x -= weights[i];
        }
        return weights.empty() ? 0 : weights.size() - 1;
    }

    template <class T>
    const T& pick(std::span<const T> items) {
        return items[index(items.size())];
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4];
};

}  // namespace spiegel::demo
