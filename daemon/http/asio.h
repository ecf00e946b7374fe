#pragma once
// The one way to include Boost.Asio and Boost.Beast in this project.
// Boost 1.74 Asio does not compile as C++20 with GCC 12 unless <utility> is
// included first ('exchange' is not a member of 'std' in awaitable.hpp), so
// every Asio/Beast user includes this header instead of Boost directly.

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
