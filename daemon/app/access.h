#pragma once
// Who may read which card (docs/cards.md, "Access and tokens"): a pure
// policy over a store::Principal, and a per-token sliding-window rate limit
// for personal cards. The HTTP routes answer 401 without a valid token,
// then authorize(), then allow() (429 when refused), then audit the read.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "daemon/store/token_store.h"

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
    using Clock = std::function<std::int64_t()>;  // seconds
    RateLimiter(int limit, std::int64_t window_seconds, Clock clock);

    bool allow(const std::string& token_name);
    bool allow(const std::string& token_name, std::int64_t now);
    // Seconds until a call of token_name would be allowed again (0: now).
    std::int64_t retry_after(const std::string& token_name);
    std::int64_t retry_after(const std::string& token_name, std::int64_t now);

  private:
    int m_limit;
    std::int64_t m_window;
    Clock m_clock;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::int64_t>> m_calls;
};

// Wall-clock seconds since the epoch (the daemon's clock for RateLimiter).
std::int64_t system_seconds();

}  // namespace spiegel::app
