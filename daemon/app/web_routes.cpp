#include "daemon/app/web_routes.h"

#include <charconv>

#include "daemon/app/web_lists_html.h"
#include "daemon/app/web_page.h"
#include "daemon/cards/card_json.h"
#include "daemon/cards/record_summary.h"
#include "daemon/metrics/exporter.h"
#include "daemon/util/csv.h"
#include "daemon/util/printable.h"

namespace spiegel::app {
namespace {

using http::Request;
using http::Response;

constexpr std::size_t k_max_page = 100000;

Response bad_request(bool html, const std::string& message) {
    if (html) {
        return page(400, "Dat klopt niet", "<p class=\"error\" role=\"alert\">" + util::html_escape(message) + "</p>\n",
                    std::nullopt);
    }
    return http::json_error(400, message);
}

Response forbidden(bool html, const char* api_message, const char* page_message, const std::optional<ActiveSession>& s) {
    if (html) {
        return page(403, "Niet toegestaan", std::string("<p class=\"error\" role=\"alert\">") + page_message + "</p>\n", s);
    }
    return http::json_error(403, api_message);
}

Response json_page(const nlohmann::json& j) {
    Response r = http::json_response(200, j);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// Why a worklist query is malformed: for API clients and, in Dutch, for
// people; empty when it is fine.
struct QueryProblem {
    std::string api;
    std::string page;
    bool empty() const { return api.empty(); }
};

QueryProblem parse_query(const Request& request, const cards::CardCatalog& catalog, cards::WorklistQuery& q) {
    q.region = query_param(request.query, "region");
    if (!q.region.empty() && !catalog.codes.regions.contains(q.region)) {
        return {"unknown region (expected a code of rules/codes/regions.csv such as AM21)",
                "Deze regio kennen we niet. Kies een arbeidsmarktregio uit de lijst."};
    }
    q.target_group = query_param(request.query, "target_group");
    if (!q.target_group.empty() && !catalog.codes.target_groups.contains(q.target_group)) {
        return {"unknown target_group (see rules/codes/target_groups.csv)",
                "Deze doelgroep kennen we niet. Kies een doelgroep uit de lijst."};
    }
    const std::string visible = query_param(request.query, "visible");
    if (visible == "ja") {
        q.visible = true;
    } else if (visible == "nee") {
        q.visible = false;
    } else if (!visible.empty()) {
        return {"visible must be ja or nee", "Kies bij zichtbaar: ja of nee."};
    }
    const std::string page_text = query_param(request.query, "page");
    if (!page_text.empty()) {
        std::size_t n = 0;
        const auto [end, ec] = std::from_chars(page_text.data(), page_text.data() + page_text.size(), n);
        if (ec != std::errc() || end != page_text.data() + page_text.size() || n < 1 || n > k_max_page) {
            return {"page must be a whole number from 1 to 100000",
                    "Deze pagina bestaat niet. Een pagina is een getal van 1 tot 100.000."};
        }
        q.page = n;
    }
    return {};
}

std::string filters_text(const cards::WorklistQuery& q, std::size_t shown) {
    return "region=" + q.region + ";target_group=" + q.target_group +
           ";visible=" + (q.visible ? (*q.visible ? "ja" : "nee") : "") + ";page=" + std::to_string(q.page) +
           ";ids=" + std::to_string(shown);
}

}  // namespace

WebRoutes::WebRoutes(CardRoutesOptions options, std::shared_ptr<CardRoutes> cards)
    : m_options(std::move(options)), m_cards(std::move(cards)) {}
WebRoutes::~WebRoutes() = default;

std::unique_ptr<store::ResultLists> WebRoutes::lease(const cards::CardSource& source) {
    std::lock_guard lock(m_mutex);
    const std::string key = source.state_db + '\n' + source.source_db;
    if (!m_idle.empty() && m_idle_key == key) {
        auto lists = std::move(m_idle.back());
        m_idle.pop_back();
        return lists;
    }
    return store::open_result_lists(source.state_db, source.source_db, source.source_pg);
}

void WebRoutes::give_back(std::unique_ptr<store::ResultLists> lists, const cards::CardSource& source) {
    std::lock_guard lock(m_mutex);
    const std::string key = source.state_db + '\n' + source.source_db;
    if (m_idle_key != key) {
        m_idle.clear();
        m_idle_key = key;
    }
    m_idle.push_back(std::move(lists));
}

util::Status WebRoutes::audit(const store::Principal& who, const char* list, const std::string& what, int status) {
    auto written = m_options.audit->record(
        store::AccessRow{m_options.clock->wall_seconds(), who.name, who.role, list, what, status});
    if (!written && m_options.exporter) {
        m_options.exporter->audit_failure();
    }
    return written;
}

std::variant<Caller, Response> WebRoutes::admit(const cards::CardSource& source, const Request& request, bool html,
                                                store::Role role) {
    if (!source.catalog || !m_options.audit || !m_options.auth || !m_cards) {
        return http::json_error(500, "lists are not available");
    }
    auto who = m_options.auth->identify(request);
    if (auto* refusal = std::get_if<Response>(&who)) {
        if (html && refusal->status == 401 && request.header("Authorization").empty()) {
            return to_sign_in(request);
        }
        return std::move(*refusal);
    }
    Caller& caller = std::get<Caller>(who);
    RateLimiter& limiter = m_cards->personal_reads();
    limiter.set_limit(source.personal_cards_per_hour);
    if (!limiter.allow(caller.principal.name)) {
        const std::int64_t wait = limiter.retry_after(caller.principal.name);
        return html ? busy_page(wait, caller.session)
                    : too_many_requests("too many personal reads with this token; try again later", wait);
    }
    if (caller.principal.role != role) {
        const char* list = role == store::Role::adviser ? "worklist" : role == store::Role::employer ? "employer" : "overview";
        if (!audit(caller.principal, list, "", 403)) {
            return http::json_error(500, "the request could not be audit-logged");
        }
        return forbidden(html, "this token's role may not open this page",
                         "Deze pagina is niet voor uw rol. Gebruik het menu bovenaan.", caller.session);
    }
    return std::move(caller);
}

util::Expected<std::shared_ptr<const cards::WorklistIndex>> WebRoutes::index(const cards::CardSource& source,
                                                                            store::ResultLists& lists) {
    auto scan = lists.current_scan();
    if (!scan) {
        return scan.error();
    }
    const std::int64_t scan_id = *scan ? (*scan)->id : 0;
    const auto fresh = [&] {
        std::lock_guard lock(m_mutex);
        return m_index && m_index_scan == scan_id && m_index_catalog == source.catalog.get() ? m_index : nullptr;
    };
    if (auto cached = fresh()) {
        return cached;
    }
    std::lock_guard build(m_build_mutex);
    if (auto cached = fresh()) {
        return cached;  // built by another thread meanwhile
    }
    auto built = std::make_shared<cards::WorklistIndex>();
    const cards::CardCatalog& catalog = *source.catalog;
    if (auto read = lists.for_each_cv([&](engine::ResultRow&& row) { built->add(row, catalog); }); !read) {
        return read.error();
    }
    built->freeze();
    std::lock_guard lock(m_mutex);
    m_index = built;
    m_index_scan = scan_id;
    m_index_catalog = source.catalog.get();
    m_index_catalog_owner = source.catalog;
    return std::shared_ptr<const cards::WorklistIndex>(built);
}

Response WebRoutes::worklist(const cards::CardSource& source, CardFormat format, const Request& request) {
    const bool html = format == CardFormat::html;
    auto admitted = admit(source, request, html, store::Role::adviser);
    if (auto* refusal = std::get_if<Response>(&admitted)) {
        return std::move(*refusal);
    }
    const Caller& caller = std::get<Caller>(admitted);
    cards::WorklistQuery query;
    if (const QueryProblem problem = parse_query(request, *source.catalog, query); !problem.empty()) {
        return bad_request(html, html ? problem.page : problem.api);
    }
    if (query.region.empty()) {
        if (!html) {
            return bad_request(false, "region is required (a code such as AM21)");
        }
        return page(200, "Werklijst", worklist_body(nullptr, *source.catalog), caller.session);
    }
    auto lists = lease(source);
    auto built = index(source, *lists);
    if (!built) {
        return http::json_error(500, "cannot read the stored results");
    }
    give_back(std::move(lists), source);
    const cards::WorklistPage found = (*built)->page(query);
    if (!audit(caller.principal, "worklist", filters_text(query, found.items.size()), 200)) {
        return http::json_error(500, "the list could not be audit-logged, so it is not shown");
    }
    const nlohmann::json j = cards::worklist_json(found, query, *source.catalog);
    if (!html) {
        return json_page(j);
    }
    return page(200, "Werklijst", worklist_body(j, *source.catalog), caller.session);
}

Response WebRoutes::employer_page(const cards::CardSource& source, const Request& request) {
    auto admitted = admit(source, request, true, store::Role::employer);
    if (auto* refusal = std::get_if<Response>(&admitted)) {
        return std::move(*refusal);
    }
    const Caller& caller = std::get<Caller>(admitted);
    if (caller.principal.employer.empty()) {
        return forbidden(true, "", "Deze code hoort bij geen werkgever.", caller.session);
    }
    auto lists = lease(source);
    auto rows = lists->vacancies_of(caller.principal.employer);
    if (!rows) {
        return http::json_error(500, "cannot read the stored results");
    }
    give_back(std::move(lists), source);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& row : *rows) {
        const auto fix = cards::top_fix(row, *source.catalog);
        const cards::Grade grade = cards::grade_for(row.score);
        nlohmann::json f = nullptr;
        if (fix) {
            f = {{"rule", fix->rule->id}, {"title", fix->rule->title}, {"score_if_fixed", fix->score_if_fixed}, {"gain", fix->gain}};
        }
        items.push_back({{"id", row.id},
                         {"occupation", row.occupation.empty() ? "" : cards::occupation_title(source.catalog->codes, row.occupation)},
                         {"score", row.score},
                         {"score_text", cards::score_text(row.score)},
                         {"grade", grade.letter},
                         {"grade_label", grade.label},
                         {"fix", std::move(f)}});
    }
    if (!audit(caller.principal, "employer", "ids=" + std::to_string(items.size()), 200)) {
        return http::json_error(500, "the list could not be audit-logged, so it is not shown");
    }
    return page(200, "Mijn vacatures", employer_body({{"items", std::move(items)}}), caller.session);
}

}  // namespace spiegel::app
