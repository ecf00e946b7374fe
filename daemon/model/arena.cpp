#include "daemon/model/arena.h"

#include <algorithm>

namespace spiegel::model {
namespace {

// Blocks kept across reset(): enough for the chunks of a scan; a one-off
// huge batch does not pin its memory forever.
constexpr std::size_t k_keep_bytes = std::size_t{64} << 20;

}  // namespace

std::string_view Arena::copy(std::string_view s) {
    if (s.empty()) {
        return {};
    }
    auto* p = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
}

void* Arena::allocate_slow(std::size_t bytes) {
    // Blocks are 16-aligned (operator new[]), so offset 0 fits any alignment used here.
    if (m_base != nullptr) {
        ++m_current;
    }
    while (m_current < m_blocks.size() && m_blocks[m_current].size < bytes) {
        ++m_current;  // a kept block too small for this request stays unused this round
    }
    if (m_current >= m_blocks.size()) {
        const std::size_t size = std::max(bytes, m_next_size);
        m_next_size = std::min<std::size_t>(size * 2, std::size_t{16} << 20);
        m_blocks.push_back(Block{std::make_unique_for_overwrite<std::byte[]>(size), size});
        m_current = m_blocks.size() - 1;
    }
    Block& b = m_blocks[m_current];
    m_base = b.data.get();
    m_size = b.size;
    m_used = bytes;
    return m_base;
}

void Arena::reset() {
    std::size_t kept = 0;
    std::size_t n = 0;
    for (Block& b : m_blocks) {
        if (kept + b.size > k_keep_bytes) {
            break;
        }
        kept += b.size;
        ++n;
    }
    m_blocks.resize(n);
    m_current = 0;
    m_base = nullptr;
    m_size = 0;
    m_used = 0;
    if (!m_blocks.empty()) {
        m_base = m_blocks[0].data.get();
        m_size = m_blocks[0].size;
    }
}

}  // namespace spiegel::model
