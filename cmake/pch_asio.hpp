// Precompiled header for sessions, agents, tests and the program.
#pragma once
#include "cmake/pch_light.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
