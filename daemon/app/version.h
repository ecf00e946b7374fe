#pragma once

#include <string_view>

namespace spiegel::app {

inline constexpr std::string_view k_version = "0.1.0";

}  // namespace spiegel::app
