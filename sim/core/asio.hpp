// sim/core/asio.hpp - the one place that names Boost.Asio for the project.
//
// Only sessions, agents, the kernel and the program include this; the
// sans-I/O protocol cores never do (see cmake/mailsim.cmake).
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

namespace asio = boost::asio;

namespace sim {
using error_code = boost::system::error_code;
}  // namespace sim
