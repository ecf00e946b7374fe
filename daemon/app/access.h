#pragma once
// Who may read which card (docs/cards.md, "Access and tokens"): a pure
// policy over a store::Principal, a per-token sliding-window rate limit for
// personal cards, and a per-address throttle of failed authentication
// (docs/serving.md). The HTTP routes check, in order: the address throttle
// (429), the token (401), the token's rate limit (429), authorize() (403),
// then audit the read.

#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "daemon/store/access_db.h"
#include "daemon/util/clock.h"

namespace spiegel::app {

enum class CardKind { cv, vacancy, aggregate };

inline constexpr int k_status_ok = 200;
inline constexpr int k_status_forbidden = 403;

// 200 or 403. adviser: cv and vacancy cards; employer: only vacancy cards
// whose employer id equals its bound employer (never an empty one);
// officer: aggregates only. Aggregate cards (occupation) are open to every
// role. Pure, thread-safe.
int authorize(const store::Principal& principal, CardKind card, std::string_view record_employer);

// At most `limit` allowed calls per token within any `window_seconds`
// window: a call at `now` counts the allowed calls at times > now - window.
// Refused calls are not counted. Thread-safe.
class RateLimiter {
public:
    RateLimiter(int limit, std::int64_t window_seconds, const util::Clock& clock);

    bool allow(const std::string& token_name);
    // Seconds until a call of token_name would be allowed again (0: now).
    std::int64_t retry_after(const std::string& token_name);
    // A reloaded limit; calls already counted stay counted.
    void set_limit(int limit);

private:
    int m_limit;
    std::int64_t m_window;
    const util::Clock& m_clock;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::int64_t>> m_calls;
};

// Failed authentications per client address in fixed one-minute windows:
// after `per_minute` failures an address is refused until its window ends,
// whatever it sends. At most `max_addresses` are tracked; the least
// recently seen is forgotten first, so a flood of addresses costs bounded
// memory. Thread-safe.
class FailedAuthThrottle {
public:
    FailedAuthThrottle(int per_minute, const util::Clock& clock, std::size_t max_addresses = 10000);

    // Seconds until `address` may authenticate again; 0: now.
    std::int64_t retry_after(const std::string& address);
    void failed(const std::string& address);
    void set_limit(int per_minute);

private:
    struct Window {
        std::int64_t start = 0;
        int failures = 0;
        std::list<std::string>::iterator lru;
    };
    Window& window(const std::string& address, std::int64_t now);

    int m_limit;
    const util::Clock& m_clock;
    std::size_t m_max;
    std::mutex m_mutex;
    std::list<std::string> m_lru;  // most recently seen first
    std::unordered_map<std::string, Window> m_windows;
};

// Read-only connections to the access database kept between requests, one
// per concurrent caller. A caller whose query failed drops its reader
// instead of giving it back, so the next take() opens a fresh one.
// Thread-safe.
class AccessReaderPool {
public:
    explicit AccessReaderPool(std::string path) : m_path(std::move(path)) {}
    // An idle reader or a newly opened one; null when there is no access
    // database (path "") or it does not open.
    std::unique_ptr<store::AccessDb> take();
    void give_back(std::unique_ptr<store::AccessDb> reader);

private:
    std::string m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<store::AccessDb>> m_idle;
};

}  // namespace spiegel::app
