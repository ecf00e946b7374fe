#include "daemon/app/card_routes.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <memory>
#include <variant>

#include "daemon/app/web_page.h"
#include "daemon/cards/card_html.h"
#include "daemon/metrics/exporter.h"
#include "daemon/model/schema.h"
#include "daemon/store/access_db.h"

namespace spiegel::app {
namespace {

using http::Response;

constexpr std::int64_t k_card_window_seconds = 3600;

// The value of `name` in a query string ("" when absent or malformed).
std::string query_value(const std::string& query, std::string_view name) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        const std::size_t end = std::min(query.find('&', pos), query.size());
        const std::string_view part(query.data() + pos, end - pos);
        const std::size_t eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name) {
            std::string out;
            return http::percent_decode(part.substr(eq + 1), out) ? out : std::string("?");
        }
        pos = end + 1;
    }
    return "";
}

int status_of(cards::CardErrorKind kind) {
    switch (kind) {
        case cards::CardErrorKind::not_found:
            return 404;
        case cards::CardErrorKind::bad_request:
            return 400;
        case cards::CardErrorKind::forbidden:
            return 403;
        case cards::CardErrorKind::failure:
            break;
    }
    return 500;
}

Response forbidden(const char* message) { return http::json_error(403, message); }

const char* card_type(CardKind kind) { return kind == CardKind::cv ? "cv" : "vacancy"; }

// What the audit log stores for a requested id that is not a record id
// (docs/records.md: 1..64 of [A-Za-z0-9._-]): such a text may be personal
// data (an e-mail address typed into the path), so the log keeps only
// that it was not an id. The brackets cannot occur in an id.
constexpr const char* k_invalid_id_audited = "<not an id>";

Response card_error(const cards::CardError& error) { return http::json_error(status_of(error.kind), error.message); }

// A browser's refusal or miss as a Dutch page (the API keeps its JSON
// error), with the navigation when it came with a session.
Response html_refusal(int status, const std::optional<ActiveSession>& session) {
    if (status == 404) {
        return page(404, "Niet gevonden", "<p>Deze kaart bestaat niet (meer). Misschien is het record verwijderd.</p>\n",
                    session);
    }
    return page(status, "Niet toegestaan",
                "<p class=\"error\" role=\"alert\">U mag deze kaart niet openen met uw rol of organisatie.</p>\n",
                session);
}

// A card's JSON text as served. Personal data: never cached by a browser
// or a proxy.
Response json_card(std::string text) {
    Response r = Response::json(200, std::move(text));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// The card's HTML page; a signed-in browser's page gets the navigation and
// sign-out form of the daemon's pages, and their CSP (forms post to this
// origin). Never cached either.
Response render_html(CardKind kind, const nlohmann::json& card, const std::optional<ActiveSession>& session) {
    std::string html = kind == CardKind::cv ? cards::cv_card_html(card) : cards::vacancy_card_html(card);
    Response r = Response::html(200, session ? with_session_nav(std::move(html), *session) : std::move(html));
    r.headers.emplace_back("Content-Security-Policy", session ? k_page_csp : k_card_csp);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

// A card reader taken from the pool for one request, given back afterwards.
class CardRoutes::Lease {
public:
    Lease(CardRoutes& owner, std::unique_ptr<store::CardReader> reader) : m_owner(owner), m_reader(std::move(reader)) {}
    Lease(Lease&&) = default;
    ~Lease() {
        if (m_reader) {
            std::lock_guard lock(m_owner.m_mutex);
            m_owner.m_idle.push_back(std::move(m_reader));
        }
    }
    store::CardReader& operator*() { return *m_reader; }

private:
    CardRoutes& m_owner;
    std::unique_ptr<store::CardReader> m_reader;
};

CardRoutes::CardRoutes(CardRoutesOptions options)
    : m_options(std::move(options)), m_limiter(300, k_card_window_seconds, *m_options.clock) {}

CardRoutes::~CardRoutes() = default;

CardRoutes::Lease CardRoutes::lease(const cards::CardSource& source) {
    std::unique_ptr<store::CardReader> reader;
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            reader = std::move(m_idle.back());
            m_idle.pop_back();
        }
    }
    // Readers of other databases (a test's second world) are replaced.
    if (!reader || reader->state_db() != source.state_db || reader->source_db() != source.source_db) {
        reader = std::make_unique<store::CardReader>(source.state_db, source.source_db, source.source_pg,
                                                     m_peer_groups);
    }
    return Lease(*this, std::move(reader));
}

Response CardRoutes::occupation(const cards::CardSource& source, CardFormat format, const http::Request& request) {
    Lease readers = lease(source);
    const auto it = request.params.find("isco");
    const std::string isco = it == request.params.end() ? "" : it->second;
    const std::string region = query_value(request.query, "region");
    const auto respond = [format](std::string body) {
        if (format == CardFormat::json) {
            return Response::json(200, std::move(body));
        }
        Response r = Response::html(200, std::move(body));
        r.headers.emplace_back("Content-Security-Policy", k_card_csp);
        return r;
    };
    // The same scan, code lists and min_cell: the same bytes. The version
    // is read before the card: a scan that commits in between only makes
    // the stored body newer than its key, and the next request, reading the
    // new version, renders again.
    std::string scope, key;
    if (source.catalog) {
        if (auto version = (*readers).state_version(); version && !version->empty()) {
            scope = source.state_db + '\x1f' + *version + '\x1f' + std::to_string(source.min_cell);
            key = scope + '\x1f' + (format == CardFormat::json ? "json" : "html") + '\x1f' + isco + '\x1f' + region;
            if (auto body = m_occupation_cards.find(key, source.catalog)) {
                return respond(*body);
            }
        }
    }
    auto card = cards::occupation_card_json(source, *readers, isco, region);
    if (const auto* failed = std::get_if<cards::CardError>(&card)) {
        return card_error(*failed);
    }
    const auto& json = std::get<nlohmann::json>(card);
    std::string body = format == CardFormat::json ? cards::card_text(json) : cards::occupation_card_html(json);
    if (!key.empty()) {
        m_occupation_cards.put(key, scope, source.catalog, std::make_shared<const std::string>(body));
    }
    return respond(std::move(body));
}

Response CardRoutes::personal(const cards::CardSource& source, CardKind kind, CardFormat format,
                              const http::Request& request) {
    auto answer = std::make_shared<std::promise<Response>>();
    auto future = answer->get_future();
    personal_async(source, kind, format, request,
                   http::reply_once([answer](Response r) { answer->set_value(std::move(r)); }));
    return future.get();
}

void CardRoutes::personal_async(const cards::CardSource& source, CardKind kind, CardFormat format,
                                const http::Request& request, http::Reply reply) {
    if (!source.catalog || !m_options.audit || !m_options.auth) {
        return reply(http::json_error(500, "cards are not available"));
    }
    auto who = m_options.auth->identify(request);
    if (auto* refusal = std::get_if<Response>(&who)) {
        // A browser without a session (or with an ended one) signs in first.
        if (format == CardFormat::html && refusal->status == 401 && request.header("Authorization").empty()) {
            return reply(to_sign_in(request));
        }
        return reply(std::move(*refusal));
    }
    const Caller& caller = std::get<Caller>(who);
    const store::Principal& principal = caller.principal;
    // Only reads within the token's limit reach the audit log, so a
    // hammering client cannot flood it; 429s show in the HTTP metrics.
    m_limiter.set_limit(source.personal_cards_per_hour);
    if (!m_limiter.allow(principal.name)) {
        const std::int64_t wait = m_limiter.retry_after(principal.name);
        return reply(format == CardFormat::html
                         ? busy_page(wait, caller.session)
                         : too_many_requests("too many personal cards read with this token; try again later", wait));
    }
    const auto it = request.params.find("id");
    const std::string id = it == request.params.end() ? "" : it->second;
    Outcome outcome;
    {
        Lease reader = lease(source);
        outcome = serve_card(source, *reader, principal, caller.session, kind, format, id);
    }
    if (!outcome.audit_status) {
        return reply(std::move(outcome.response));
    }
    reply_after_audit(
        store::AccessRow{m_options.clock->wall_seconds(), principal.name, principal.role, card_type(kind),
                         model::valid_id(id) ? id : std::string(k_invalid_id_audited), *outcome.audit_status},
        std::move(outcome), std::move(reply));
}

// The answer waits for the audit commit on the writer's callback, not on
// this pool thread; a failed or late commit refuses the card.
void CardRoutes::reply_after_audit(const store::AccessRow& row, Outcome outcome, http::Reply reply) {
    auto response = std::make_shared<Response>(std::move(outcome.response));
    m_options.audit->record_async(row, [reply = std::move(reply), response, exporter = m_options.exporter,
                                        read = outcome.read, role = row.role](util::Status written) {
        if (!written) {
            if (exporter) {
                exporter->audit_failure();
            }
            return reply(http::json_error(500, read ? "the read could not be audit-logged, so the card is not shown"
                                                    : "the request could not be audit-logged"));
        }
        if (read && exporter) {
            exporter->personal_card_read(store::role_name(role));
        }
        reply(std::move(*response));
    });
}

CardRoutes::Outcome CardRoutes::serve_card(const cards::CardSource& source, store::CardReader& reader,
                                           const store::Principal& who,
                                           const std::optional<ActiveSession>& session, CardKind kind,
                                           CardFormat format, const std::string& id) {
    // Refusals and misses of a valid token are audited too (probing shows).
    const auto refuse = [&](Response r) {
        const int status = r.status;
        return Outcome{format == CardFormat::html ? html_refusal(status, session) : std::move(r), status, false};
    };
    // Role first; an employer's binding is checked once the vacancy is known.
    if (authorize(who, kind, who.role == store::Role::employer ? who.employer : "") != k_status_ok) {
        return refuse(forbidden("this token's role may not read this card"));
    }
    if (!model::valid_id(id)) {  // no record has it: a miss, found without a read
        return refuse(http::json_error(404, "not a record id (1 to 64 of A-Z a-z 0-9 . _ -)"));
    }
    const auto may_read = [&](const std::string& employer) { return authorize(who, kind, employer) == k_status_ok; };
    const auto failed_card = [&](const cards::CardError& failed) {
        if (failed.kind == cards::CardErrorKind::failure) {
            return Outcome{card_error(failed), std::nullopt, false};
        }
        return refuse(card_error(failed));
    };
    if (format == CardFormat::json) {  // written straight into the served text, no tree
        std::string text;
        text.reserve(8192);
        util::JsonTextSink sink(text, 2);
        const auto failed = kind == CardKind::cv
                                ? cards::cv_card_to(sink, source, reader, id, who.role == store::Role::adviser)
                                : cards::vacancy_card_to(sink, source, reader, id, may_read,
                                                         who.role == store::Role::employer);
        if (failed) {
            return failed_card(*failed);
        }
        text += '\n';
        return Outcome{json_card(std::move(text)), 200, true};  // sent once the audit row is committed
    }
    cards::CardResult card = kind == CardKind::cv
                                 ? cards::cv_card_json(source, reader, id, who.role == store::Role::adviser)
                                 : cards::vacancy_card_json(source, reader, id, may_read,
                                                              who.role == store::Role::employer);
    if (const auto* failed = std::get_if<cards::CardError>(&card)) {
        return failed_card(*failed);
    }
    // Rendered now, sent only once the audit row is committed.
    return Outcome{render_html(kind, std::get<nlohmann::json>(card), session), 200, true};
}

}  // namespace spiegel::app
