// sim/core/timeout.hpp - bound any awaitable by a timeout on a sim::clock.
//
// The operation and a timer race; the loser is cancelled (per-operation
// cancellation), so the operation must honour cancellation.  In simulation
// the timer is virtual, so a 5-minute command timeout costs nothing.
#pragma once

#include <optional>
#include <variant>

#include "sim/core/clock.hpp"

namespace sim {

// The operation's result, or nullopt when `limit` passed first.
template <typename T>
asio::awaitable<std::optional<T>> with_timeout(clock& c, duration limit, asio::awaitable<T> op) {
  using namespace asio::experimental::awaitable_operators;
  auto result = co_await (std::move(op) || c.sleep_for(limit));
  if (result.index() == 0) co_return std::optional<T>(std::get<0>(std::move(result)));
  co_return std::nullopt;
}

// For awaitable<void>: true when the operation finished in time.
inline asio::awaitable<bool> with_timeout(clock& c, duration limit, asio::awaitable<void> op) {
  using namespace asio::experimental::awaitable_operators;
  auto result = co_await (std::move(op) || c.sleep_for(limit));
  co_return result.index() == 0;
}

}  // namespace sim
