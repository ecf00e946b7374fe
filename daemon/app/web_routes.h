#pragma once
// The pages people work from (docs/web.md):
//   GET /werklijst?region=AMxx[&target_group=CODE][&visible=ja|nee][&page=N]
//   GET /api/v1/worklist?...                 adviser: the worklist (HTML / JSON)
//   GET /mijn-vacatures                      employer: its own vacancies
//   GET /overzicht, GET /overzicht.csv       officer: quality per region and target group
// Each passes, like a personal card: the address throttle, a bearer token
// or session cookie (a browser without one is sent to /inloggen), the
// per-token personal-read limit (shared with the cards: one read per list
// page), the role (403), then an audit row (card_type worklist, employer,
// overview; record_id holds the filters and the number of ids shown) that
// must commit before the page is served. Thread-safe; handlers run on the
// handler pool.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/app/card_routes.h"
#include "daemon/cards/worklist.h"
#include "daemon/store/result_lists.h"

namespace spiegel::app {

class WebRoutes {
public:
    WebRoutes(CardRoutesOptions options, std::shared_ptr<CardRoutes> cards);
    ~WebRoutes();

    http::Response worklist(const cards::CardSource& source, CardFormat format, const http::Request& request);
    http::Response employer_page(const cards::CardSource& source, const http::Request& request);
    http::Response overview(const cards::CardSource& source, bool csv, const http::Request& request);

private:
    struct Admitted;
    // Authentication, limit and role; a response when refused.
    std::variant<Caller, http::Response> admit(const cards::CardSource& source, const http::Request& request,
                                               bool html, store::Role role);
    util::Status audit(const store::Principal& who, const char* list, const std::string& what, int status);
    std::unique_ptr<store::ResultLists> lease(const cards::CardSource& source);
    void give_back(std::unique_ptr<store::ResultLists> lists, const cards::CardSource& source);
    // The index of the current scan (built on first use after a scan).
    util::Expected<std::shared_ptr<const cards::WorklistIndex>> index(const cards::CardSource& source,
                                                                     store::ResultLists& lists);

    CardRoutesOptions m_options;
    std::shared_ptr<CardRoutes> m_cards;
    std::mutex m_mutex;  // the pool and the cached index
    std::vector<std::unique_ptr<store::ResultLists>> m_idle;
    std::string m_idle_key;  // the databases the idle readers read
    std::mutex m_build_mutex;  // one index build at a time
    std::shared_ptr<const cards::WorklistIndex> m_index;
    std::int64_t m_index_scan = -1;
    const cards::CardCatalog* m_index_catalog = nullptr;
    std::shared_ptr<const cards::CardCatalog> m_index_catalog_owner;
};

}  // namespace spiegel::app
