#pragma once
// A bump allocator for the values of a batch of records. Not thread-safe;
// one arena per batch per thread. reset() frees everything at once.

#include <cstddef>
#include <memory_resource>
#include <span>
#include <string_view>

#include "daemon/model/value.h"

namespace spiegel::model {

class Arena {
public:
    explicit Arena(std::size_t initial_bytes = 1 << 16) : m_resource(initial_bytes) {}
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    std::string_view copy(std::string_view s);
    std::span<Value> values(std::size_t n);
    std::span<Member> members(std::size_t n);
    template <class T>
    std::span<T> array(std::size_t n) {
        auto* p = static_cast<T*>(m_resource.allocate(n * sizeof(T), alignof(T)));
        for (std::size_t i = 0; i < n; ++i) {
            new (p + i) T();
        }
        return {p, n};
    }
    void reset() { m_resource.release(); }

private:
    std::pmr::monotonic_buffer_resource m_resource;
};

}  // namespace spiegel::model
