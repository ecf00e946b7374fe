#include "daemon/model/arena.h"

#include <cstring>

namespace spiegel::model {

std::string_view Arena::copy(std::string_view s) {
    if (s.empty()) {
        return {};
    }
    auto* p = static_cast<char*>(m_resource.allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
}

std::span<Value> Arena::values(std::size_t n) { return array<Value>(n); }

std::span<Member> Arena::members(std::size_t n) { return array<Member>(n); }

}  // namespace spiegel::model
