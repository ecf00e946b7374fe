#pragma once
// The open connections of a server (docs/serving.md, "Connections"): how
// many in total and per client address, and which of them are waiting
// without a complete request (a fresh connection, an unfinished head or
// body, an idle keep-alive, a closing one), oldest wait first. At the total
// cap a new connection evicts the oldest waiter; when every open connection
// is busy (its request being handled or its response written) the new one
// is refused, as is one beyond the per-client cap.
//
// Every call is O(1) (a hash map and two linked lists). Not thread-safe:
// the server's io thread owns the registry and every entry in it.

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>

#include "daemon/http/asio.h"

namespace spiegel::http {

class ConnectionRegistry {
public:
    // What the registry keeps of a connection; a session derives from it and
    // calls remove() in its destructor.
    class Entry {
    public:
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;

    protected:
        Entry() = default;
        virtual ~Entry() = default;
        // Closes the connection now. The registry has already forgotten it.
        virtual void evict() = 0;

    private:
        friend class ConnectionRegistry;
        bool m_registered = false;
        bool m_waiting = false;
        std::string m_client;
        std::list<Entry*>::iterator m_in_all;
        std::list<Entry*>::iterator m_in_waiting;
    };

    enum class Admission {
        admitted,              // counted and waiting (for its first request)
        admitted_by_eviction,  // the same, after evicting the connection waiting longest
        client_at_cap,         // refused: its client already has max_per_client connections
        all_busy,              // refused: at the total cap and no connection was waiting
    };

    ConnectionRegistry(std::size_t max_total, std::size_t max_per_client);
    ConnectionRegistry(const ConnectionRegistry&) = delete;
    ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

    // A new connection from `client` (see client_key). At the total cap the
    // connection waiting longest is evicted first to make room.
    Admission admit(Entry& entry, std::string client);
    // The entry waits for (the rest of) a request from now on; no change
    // when it is already waiting (its wait started earlier).
    void waiting(Entry& entry);
    // The entry has a complete request (or an error) to answer.
    void busy(Entry& entry);
    // Forgets the entry; no-op when it is not registered.
    void remove(Entry& entry);
    // Evicts every entry (the server stops).
    void evict_all();

    std::size_t open() const { return m_all.size(); }
    std::size_t waiting_count() const { return m_waiting.size(); }
    std::size_t open_from(const std::string& client) const;

private:
    void evict_oldest_waiting();

    std::size_t m_max_total;
    std::size_t m_max_per_client;
    std::list<Entry*> m_all;
    std::list<Entry*> m_waiting;  // front: waiting longest
    std::unordered_map<std::string, std::size_t> m_per_client;
};

// The address as text without port ("127.0.0.1", "::1"); an IPv4-mapped
// IPv6 address as its IPv4 form.
std::string address_text(const boost::asio::ip::address& address);
// The key of the per-client cap: the IPv4 address, or the /64 prefix of an
// IPv6 address (one host usually holds a whole /64).
std::string client_key(const boost::asio::ip::address& address);

}  // namespace spiegel::http
