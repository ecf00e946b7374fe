#include "daemon/app/sessions.h"

#include <algorithm>
#include <cctype>

#include "daemon/util/crypto.h"

namespace spiegel::app {
namespace {

constexpr std::size_t k_id_bytes = 32;
constexpr std::size_t k_max_cookie_value = 128;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

util::Expected<std::string> random_id() {
    auto bytes = util::random_bytes(k_id_bytes);
    if (!bytes) {
        return bytes.error();
    }
    return util::base64url(*bytes);
}

}  // namespace

std::string session_cookie_name(bool tls) { return tls ? "__Host-spiegel-sessie" : "spiegel-sessie"; }
std::string csrf_cookie_name(bool tls) { return tls ? "__Host-spiegel-csrf" : "spiegel-csrf"; }

std::string set_cookie(const std::string& name, const std::string& value, bool tls) {
    return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
}

std::string delete_cookie(const std::string& name, bool tls) {
    return name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
}

std::string cookie_value(const http::Request& request, std::string_view name) {
    for (const auto& [header, value] : request.headers) {
        if (!iequals(header, "Cookie")) {
            continue;
        }
        std::string_view rest = value;
        while (!rest.empty()) {
            const std::size_t semi = rest.find(';');
            const std::string_view pair = trim(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            const std::size_t eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
                const std::string_view v = pair.substr(eq + 1);
                return v.size() <= k_max_cookie_value ? std::string(v) : std::string();
            }
        }
    }
    return "";
}

Sessions::Sessions(SessionOptions options) : m_options(std::move(options)), m_readers(m_options.access_db) {}
Sessions::~Sessions() = default;

void Sessions::set_timeouts(std::int64_t idle_seconds, std::int64_t max_age_seconds) {
    std::lock_guard lock(m_mutex);
    m_options.idle_seconds = idle_seconds;
    m_options.max_age_seconds = max_age_seconds;
}

std::pair<std::int64_t, std::int64_t> Sessions::timeouts() {
    std::lock_guard lock(m_mutex);
    return {m_options.idle_seconds, m_options.max_age_seconds};
}

SessionLookup Sessions::lookup(const http::Request& request) {
    const std::string id = cookie_value(request, session_cookie_name(request.secure()));
    if (id.empty()) {
        return {};
    }
    const std::string id_hash = util::sha256_hex(id);
    auto reader = m_readers.take();
    if (!reader) {
        return {SessionLookup::Outcome::error, {}};
    }
    auto found = reader->find_session(id_hash);
    if (!found) {
        return {SessionLookup::Outcome::error, {}};  // the reader is dropped and reopened
    }
    m_readers.give_back(std::move(reader));
    if (!*found) {
        return {SessionLookup::Outcome::ended, {}};
    }
    std::int64_t idle = 0;
    std::int64_t max_age = 0;
    {
        std::lock_guard lock(m_mutex);
        idle = m_options.idle_seconds;
        max_age = m_options.max_age_seconds;
    }
    const store::WebSession& s = **found;
    const std::int64_t now = m_options.clock->wall_seconds();
    if (now - s.last_seen >= idle || now - s.created_at >= max_age) {
        return {SessionLookup::Outcome::ended, {}};
    }
    // The last use is written at most once a minute (a write per request
    // would make every page a write), but at least four times per idle
    // timeout: with a timeout of a minute, a session in use stays.
    const std::int64_t touch_after = std::max<std::int64_t>(1, std::min<std::int64_t>(k_touch_seconds, idle / 4));
    if (now - s.last_seen >= touch_after && m_options.writer) {
        // A failed touch only shortens the session; the request goes on.
        (void)m_options.writer->write([id_hash, now](store::AccessDb& db) { return db.touch_session(id_hash, now); });
    }
    return {SessionLookup::Outcome::active, ActiveSession{s.principal, s.csrf, id_hash}};
}

util::Expected<Sessions::Created> Sessions::create(const store::Principal& principal) {
    if (!m_options.writer) {
        return util::Error{"sessions are not available"};
    }
    auto id = random_id();
    auto csrf = random_id();
    if (!id || !csrf) {
        return util::Error{"no randomness for a session id"};
    }
    std::int64_t idle = 0;
    std::int64_t max_age = 0;
    {
        std::lock_guard lock(m_mutex);
        idle = m_options.idle_seconds;
        max_age = m_options.max_age_seconds;
    }
    const std::int64_t now = m_options.clock->wall_seconds();
    const std::string id_hash = util::sha256_hex(*id);
    const std::string token = principal.name;
    const std::string csrf_value = *csrf;
    auto written = m_options.writer->write([id_hash, token, csrf_value, now, idle, max_age](store::AccessDb& db) -> util::Status {
        (void)db.prune_sessions(now - idle, now - max_age);
        return db.create_session(id_hash, token, csrf_value, now);
    });
    if (!written) {
        return written.error();
    }
    return Created{std::move(*id), std::move(*csrf)};
}

util::Status Sessions::audit(const store::Principal& principal, const char* event) {
    if (!m_options.writer) {
        return util::Error{"sessions are not available"};
    }
    return m_options.writer->record(
        store::AccessRow{m_options.clock->wall_seconds(), principal.name, principal.role, "session", event, 200});
}

util::Status Sessions::end(const std::string& id_hash) {
    if (!m_options.writer) {
        return util::Error{"sessions are not available"};
    }
    return m_options.writer->write([id_hash](store::AccessDb& db) { return db.end_session(id_hash); });
}

}  // namespace spiegel::app
