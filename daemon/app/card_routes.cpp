#include "daemon/app/card_routes.h"

#include <variant>

#include "daemon/cards/card_html.h"

namespace spiegel::app {
namespace {

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
        case cards::CardErrorKind::failure:
            break;
    }
    return 500;
}

std::variant<nlohmann::json, cards::CardError> card_for(const cards::CardSource& source,
                                                        const http::Request& request) {
    const auto it = request.params.find("isco");
    const std::string isco = it == request.params.end() ? "" : it->second;
    return cards::occupation_card_json(source, isco, query_value(request.query, "region"));
}

}  // namespace

http::Response occupation_card_api(const cards::CardSource& source, const http::Request& request) {
    auto card = card_for(source, request);
    if (const auto* error = std::get_if<cards::CardError>(&card)) {
        return http::json_error(status_of(error->kind), error->message);
    }
    return http::Response::json(200, cards::card_text(std::get<nlohmann::json>(card)));
}

http::Response occupation_card_page(const cards::CardSource& source, const http::Request& request) {
    auto card = card_for(source, request);
    if (const auto* error = std::get_if<cards::CardError>(&card)) {
        return http::json_error(status_of(error->kind), error->message);
    }
    http::Response r =
        http::Response::html(200, cards::occupation_card_html(std::get<nlohmann::json>(card)));
    r.headers.emplace_back("Content-Security-Policy", k_card_csp);
    return r;
}

}  // namespace spiegel::app
