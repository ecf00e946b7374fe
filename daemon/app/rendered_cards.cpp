#include "daemon/app/rendered_cards.h"

namespace spiegel::app {

std::shared_ptr<const std::string> RenderedCards::find(const std::string& key,
                                                       const std::shared_ptr<const void>& generation) {
    std::lock_guard lock(m_mutex);
    if (generation != m_generation) {  // rendered with other settings
        start_over(m_scope, generation);
        return nullptr;
    }
    const auto it = m_index.find(key);
    if (it == m_index.end()) {
        return nullptr;
    }
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return it->second->body;
}

void RenderedCards::put(const std::string& key, const std::string& scope, std::shared_ptr<const void> generation,
                        std::shared_ptr<const std::string> body) {
    const std::size_t size = key.size() + body->size();
    if (size > m_max_bytes) {
        return;
    }
    std::lock_guard lock(m_mutex);
    if (scope != m_scope || generation != m_generation) {
        start_over(scope, generation);
    }
    if (const auto it = m_index.find(key); it != m_index.end()) {
        erase(it->second);
    }
    m_lru.push_front({key, std::move(body)});
    m_index.emplace(key, m_lru.begin());
    m_bytes += size;
    while (m_bytes > m_max_bytes) {
        erase(std::prev(m_lru.end()));
    }
}

std::size_t RenderedCards::bytes() const {
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

void RenderedCards::start_over(const std::string& scope, const std::shared_ptr<const void>& generation) {
    m_lru.clear();
    m_index.clear();
    m_bytes = 0;
    m_scope = scope;
    m_generation = generation;
}

void RenderedCards::erase(std::list<Entry>::iterator it) {
    m_bytes -= it->key.size() + it->body->size();
    m_index.erase(it->key);
    m_lru.erase(it);
}

}  // namespace spiegel::app
