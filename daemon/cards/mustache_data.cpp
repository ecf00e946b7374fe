#include "daemon/cards/mustache_data.h"

#include "daemon/util/json_text.h"

namespace spiegel::cards {

// kainjow's set() and push_back() take their value by const reference and
// copy it, so building nested data with them copies every subtree once per
// level above it (a card's data several times over, a sixth of an HTML
// card's CPU). Children are moved into place instead: set() stores a cheap
// placeholder, which is then move-assigned through the non-const object
// that get() and list_value() expose as const.
kainjow::mustache::data to_mustache_data(const nlohmann::json& j) {
    namespace mu = kainjow::mustache;
    if (j.is_object()) {
        mu::data d{mu::data::type::object};
        for (const auto& [key, value] : j.items()) {
            d.set(key, mu::data{false});
            *const_cast<mu::data*>(d.get(key)) = to_mustache_data(value);
        }
        return d;
    }
    if (j.is_array()) {
        mu::data list{mu::data::type::list};
        auto& items = const_cast<mu::basic_list<std::string>&>(list.list_value());
        items.reserve(j.size());
        for (const auto& item : j) {
            items.push_back(to_mustache_data(item));
        }
        return list;
    }
    if (j.is_null()) {
        return mu::data{false};
    }
    if (j.is_boolean()) {
        return mu::data{j.get<bool>()};
    }
    if (j.is_string()) {
        return mu::data{j.get<std::string>()};
    }
    return mu::data{util::json_text(j)};
}

namespace {

constexpr std::string_view k_stylesheet =
#include "daemon/cards/personal_style.inc"
    ;

}  // namespace

std::string with_stylesheet(std::string_view page_template) {
    constexpr std::string_view k_tag = "{{>style}}";
    std::string out;
    out.reserve(page_template.size() + k_stylesheet.size());
    std::size_t from = 0;
    for (std::size_t at = page_template.find(k_tag); at != std::string_view::npos;
         at = page_template.find(k_tag, from)) {
        out.append(page_template.substr(from, at - from));
        out.append(k_stylesheet);
        from = at + k_tag.size();
    }
    out.append(page_template.substr(from));
    return out;
}

}  // namespace spiegel::cards
