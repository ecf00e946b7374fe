#include "daemon/cards/mustache_data.h"

namespace spiegel::cards {

kainjow::mustache::data to_mustache_data(const nlohmann::json& j) {
    namespace mu = kainjow::mustache;
    if (j.is_object()) {
        mu::data d{mu::data::type::object};
        for (const auto& [key, value] : j.items()) {
            d.set(key, to_mustache_data(value));
        }
        return d;
    }
    if (j.is_array()) {
        mu::data list{mu::data::type::list};
        for (const auto& item : j) {
            list.push_back(to_mustache_data(item));
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
    return mu::data{j.dump()};
}

}  // namespace spiegel::cards
