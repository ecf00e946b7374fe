#include "daemon/app/access.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace spiegel::app {

int authorize(const store::Principal& principal, CardKind card, std::string_view record_employer) {
    if (card == CardKind::aggregate) {
        return k_status_ok;
    }
    switch (principal.role) {
        case store::Role::adviser:
            return k_status_ok;
        case store::Role::employer:
            return card == CardKind::vacancy && !principal.employer.empty() &&
                           principal.employer == record_employer
                       ? k_status_ok
                       : k_status_forbidden;
        case store::Role::officer:
            return k_status_forbidden;
    }
    return k_status_forbidden;
}

RateLimiter::RateLimiter(int limit, std::int64_t window_seconds, Clock clock)
    : m_limit(limit), m_window(window_seconds), m_clock(std::move(clock)) {}

bool RateLimiter::allow(const std::string& token_name) {
    return allow(token_name, m_clock());
}

bool RateLimiter::allow(const std::string& token_name, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    auto& calls = m_calls[token_name];
    while (!calls.empty() && calls.front() <= now - m_window) {
        calls.pop_front();
    }
    if (static_cast<std::int64_t>(calls.size()) >= m_limit) {
        return false;
    }
    calls.push_back(now);
    return true;
}

std::int64_t RateLimiter::retry_after(const std::string& token_name) {
    return retry_after(token_name, m_clock());
}

std::int64_t RateLimiter::retry_after(const std::string& token_name, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    const auto found = m_calls.find(token_name);
    if (found == m_calls.end() || static_cast<std::int64_t>(found->second.size()) < m_limit) {
        return 0;
    }
    // The oldest call that would have to leave the window first.
    const auto& calls = found->second;
    const std::int64_t oldest = calls[calls.size() - static_cast<std::size_t>(m_limit)];
    return std::max<std::int64_t>(0, oldest + m_window - now);
}

std::int64_t system_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace spiegel::app
