#include "daemon/app/access.h"

#include <algorithm>
#include <utility>

namespace spiegel::app {

namespace {
constexpr std::int64_t k_auth_window_seconds = 60;
}

int authorize(const store::Principal& principal, CardKind card, std::string_view record_employer) {
    if (card == CardKind::aggregate) {
        return k_status_ok;
    }
    switch (principal.role) {
        case store::Role::adviser:
            return k_status_ok;
        case store::Role::employer:
            return card == CardKind::vacancy && !principal.employer.empty() && principal.employer == record_employer
                       ? k_status_ok
                       : k_status_forbidden;
        case store::Role::officer:
            return k_status_forbidden;
    }
    return k_status_forbidden;
}

RateLimiter::RateLimiter(int limit, std::int64_t window_seconds, const util::Clock& clock)
    : m_limit(limit), m_window(window_seconds), m_clock(clock) {}

bool RateLimiter::allow(const std::string& token_name) {
    const std::int64_t now = m_clock.wall_seconds();
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
    const std::int64_t now = m_clock.wall_seconds();
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

void RateLimiter::set_limit(int limit) {
    std::lock_guard lock(m_mutex);
    m_limit = limit;
}

FailedAuthThrottle::FailedAuthThrottle(int per_minute, const util::Clock& clock, std::size_t max_addresses)
    : m_limit(per_minute), m_clock(clock), m_max(std::max<std::size_t>(1, max_addresses)) {}

FailedAuthThrottle::Window& FailedAuthThrottle::window(const std::string& address, std::int64_t now) {
    auto found = m_windows.find(address);
    if (found == m_windows.end()) {
        if (m_windows.size() >= m_max) {
            m_windows.erase(m_lru.back());
            m_lru.pop_back();
        }
        m_lru.push_front(address);
        found = m_windows.emplace(address, Window{now, 0, m_lru.begin()}).first;
    } else {
        m_lru.splice(m_lru.begin(), m_lru, found->second.lru);
    }
    Window& w = found->second;
    if (now - w.start >= k_auth_window_seconds) {
        w.start = now;
        w.failures = 0;
    }
    return w;
}

std::int64_t FailedAuthThrottle::retry_after(const std::string& address) {
    const std::int64_t now = m_clock.wall_seconds();
    std::lock_guard lock(m_mutex);
    const auto found = m_windows.find(address);
    if (found == m_windows.end()) {
        return 0;
    }
    const Window& w = window(address, now);
    return w.failures >= m_limit ? std::max<std::int64_t>(1, w.start + k_auth_window_seconds - now) : 0;
}

void FailedAuthThrottle::failed(const std::string& address) {
    const std::int64_t now = m_clock.wall_seconds();
    std::lock_guard lock(m_mutex);
    ++window(address, now).failures;
}

void FailedAuthThrottle::set_limit(int per_minute) {
    std::lock_guard lock(m_mutex);
    m_limit = per_minute;
}

std::unique_ptr<store::AccessDb> AccessReaderPool::take() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto reader = std::move(m_idle.back());
            m_idle.pop_back();
            return reader;
        }
    }
    if (m_path.empty()) {
        return nullptr;
    }
    auto opened = store::AccessDb::open(m_path, store::AccessDb::Mode::read_only);
    return opened ? std::move(*opened) : nullptr;
}

void AccessReaderPool::give_back(std::unique_ptr<store::AccessDb> reader) {
    std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(reader));
}

}  // namespace spiegel::app
