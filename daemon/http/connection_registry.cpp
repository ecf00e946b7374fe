#include "daemon/http/connection_registry.h"

#include <cstdio>

namespace spiegel::http {

ConnectionRegistry::ConnectionRegistry(std::size_t max_total, std::size_t max_per_client)
    : m_max_total(max_total), m_max_per_client(max_per_client) {}

ConnectionRegistry::Admission ConnectionRegistry::admit(Entry& entry, std::string client) {
    if (open_from(client) >= m_max_per_client) {
        return Admission::client_at_cap;
    }
    Admission admission = Admission::admitted;
    if (m_all.size() >= m_max_total) {
        if (m_waiting.empty()) {
            return Admission::all_busy;
        }
        evict_oldest_waiting();
        admission = Admission::admitted_by_eviction;
    }
    ++m_per_client[client];
    entry.m_client = std::move(client);
    entry.m_in_all = m_all.insert(m_all.end(), &entry);
    entry.m_registered = true;
    waiting(entry);
    return admission;
}

void ConnectionRegistry::waiting(Entry& entry) {
    if (!entry.m_registered || entry.m_waiting) {
        return;
    }
    entry.m_in_waiting = m_waiting.insert(m_waiting.end(), &entry);
    entry.m_waiting = true;
}

void ConnectionRegistry::busy(Entry& entry) {
    if (!entry.m_waiting) {
        return;
    }
    m_waiting.erase(entry.m_in_waiting);
    entry.m_waiting = false;
}

void ConnectionRegistry::remove(Entry& entry) {
    if (!entry.m_registered) {
        return;
    }
    busy(entry);
    m_all.erase(entry.m_in_all);
    const auto count = m_per_client.find(entry.m_client);
    if (count != m_per_client.end() && --count->second == 0) {
        m_per_client.erase(count);
    }
    entry.m_registered = false;
}

void ConnectionRegistry::evict_oldest_waiting() {
    Entry* victim = m_waiting.front();
    remove(*victim);
    victim->evict();
}

void ConnectionRegistry::evict_all() {
    while (!m_all.empty()) {
        Entry* victim = m_all.front();
        remove(*victim);
        victim->evict();
    }
}

std::size_t ConnectionRegistry::open_from(const std::string& client) const {
    const auto count = m_per_client.find(client);
    return count == m_per_client.end() ? 0 : count->second;
}

std::string address_text(const boost::asio::ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
            .to_string();
    }
    return address.to_string();
}

std::string client_key(const boost::asio::ip::address& address) {
    if (address.is_v4() || (address.is_v6() && address.to_v6().is_v4_mapped())) {
        return address_text(address);
    }
    const auto bytes = address.to_v6().to_bytes();
    std::string key;
    char part[8];
    for (std::size_t i = 0; i < 8; i += 2) {
        std::snprintf(part, sizeof part, "%x:", (bytes[i] << 8) | bytes[i + 1]);
        key += part;
    }
    return key + ":/64";
}

}  // namespace spiegel::http
