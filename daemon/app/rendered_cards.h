#pragma once
// Rendered anonymous cards (the occupation card), kept per state version.
// Such a card is the same bytes for every caller as long as the state
// database holds the same completed scan and the daemon the same code
// lists and privacy.min_cell, so it is rendered once and then copied out
// of memory: a card's cost no longer includes reading and decoding its
// peer groups and building its JSON or HTML (docs/serving.md).
// Least recently used entries go first once the bodies pass max_bytes.
// Thread-safe.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace spiegel::app {

class RenderedCards {
public:
    explicit RenderedCards(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

    // The body stored under key, rendered with `generation` (an object that
    // stands for the settings it was rendered with, such as the code lists:
    // a reload brings new ones); null when none. Every body held is of one
    // generation: asking with another drops them all.
    std::shared_ptr<const std::string> find(const std::string& key, const std::shared_ptr<const void>& generation);
    // Stores body under key. `scope` names what every key of the moment
    // shares (the state version): a body of another scope or generation
    // than the last one stored first drops all others, which no request
    // asks for any more, and the code lists they hold.
    void put(const std::string& key, const std::string& scope, std::shared_ptr<const void> generation,
             std::shared_ptr<const std::string> body);
    std::size_t bytes() const;

private:
    struct Entry {
        std::string key;
        std::shared_ptr<const std::string> body;
    };
    void erase(std::list<Entry>::iterator it);
    // Drops every body; those stored next are of scope and generation.
    void start_over(const std::string& scope, const std::shared_ptr<const void>& generation);

    mutable std::mutex m_mutex;
    std::list<Entry> m_lru;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
    std::size_t m_bytes = 0;
    const std::size_t m_max_bytes;
    std::string m_scope;                      // of the bodies held
    std::shared_ptr<const void> m_generation;  // of the bodies held; kept alive: its address names it
};

}  // namespace spiegel::app
