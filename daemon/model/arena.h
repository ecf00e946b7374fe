#pragma once
// A bump allocator for the values of a batch of records. Not thread-safe;
// one arena per batch per thread. reset() frees everything at once but keeps
// the blocks for the next batch, so a scan that resets its arena per chunk
// allocates (and page-faults) its memory once, not once per chunk.

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "daemon/model/value.h"

namespace spiegel::model {

class Arena {
public:
    explicit Arena(std::size_t initial_bytes = 1 << 16) : m_next_size(initial_bytes < 64 ? 64 : initial_bytes) {}
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    std::string_view copy(std::string_view s);
    // n null values / empty members (zero bytes are a valid null Value).
    std::span<Value> values(std::size_t n) { return zeroed<Value>(n); }
    std::span<Member> members(std::size_t n) { return zeroed<Member>(n); }
    template <class T>
    std::span<T> array(std::size_t n) {
        auto* p = static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
        for (std::size_t i = 0; i < n; ++i) {
            new (p + i) T();
        }
        return {p, n};
    }
    // Raw storage for n bytes, aligned to `align` (a power of two <= 16).
    void* allocate(std::size_t bytes, std::size_t align) {
        const std::size_t start = (m_used + align - 1) & ~(align - 1);
        if (start + bytes <= m_size) {
            m_used = start + bytes;
            return m_base + start;
        }
        return allocate_slow(bytes);
    }
    // Forgets every allocation; keeps the blocks (the largest ones, up to a cap).
    void reset();

private:
    // Value and Member are implicit-lifetime types whose all-zero bytes are
    // the default value, so a block of them is one memset, not a loop.
    template <class T>
    std::span<T> zeroed(std::size_t n) {
        static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
        if (n == 0) {
            return {};
        }
        void* p = allocate(n * sizeof(T), alignof(T));
        std::memset(p, 0, n * sizeof(T));
        return {std::launder(static_cast<T*>(p)), n};
    }
    void* allocate_slow(std::size_t bytes);

    struct Block {
        std::unique_ptr<std::byte[]> data;
        std::size_t size = 0;
    };
    std::vector<Block> m_blocks;  // m_blocks[m_current] is being filled
    std::size_t m_current = 0;
    std::byte* m_base = nullptr;
    std::size_t m_size = 0;
    std::size_t m_used = 0;
    std::size_t m_next_size;
};

}  // namespace spiegel::model
