// sim/core/clock.hpp - the clock interface every agent uses.
//
// Two twins implement it: virtual_clock (simulation: time jumps to the next
// timer when nothing is ready) and real_clock (live mode: steady_clock).
// Agents never read time any other way.
#pragma once

#include <cstdint>
#include <functional>

#include "sim/core/asio.hpp"
#include "sim/core/callback.hpp"
#include "sim/core/time.hpp"
#include "sim/core/time_source.hpp"

namespace sim {

class clock : public time_source {
 public:
  using timer_id = std::uint64_t;
  using wait_handler = asio::any_completion_handler<void(error_code)>;

  explicit clock(wall_time start) : start_(start) {}
  virtual ~clock() = default;
  clock(const clock&) = delete;
  clock& operator=(const clock&) = delete;

  time_point now() const override = 0;
  wall_time wall_now() const { return start_ + now().time_since_epoch(); }
  wall_time start() const { return start_; }
  virtual asio::any_io_executor executor() = 0;
  virtual bool is_virtual() const = 0;

  // Calls fn once at t (at once, but never inline, when t <= now).
  virtual timer_id call_at(time_point t, callback fn) = 0;
  timer_id call_after(duration d, callback fn) { return call_at(now() + d, std::move(fn)); }
  // Forgets a timer that has not fired; false when it already fired.
  virtual bool cancel(timer_id id) = 0;

  // Asynchronous wait until t.  Honours per-operation cancellation (the
  // handler gets operation_aborted), so it composes with awaitable
  // operators and with_timeout().
  template <typename Token = asio::use_awaitable_t<>>
  auto async_wait_until(time_point t, Token&& token = {}) {
    return asio::async_initiate<Token, void(error_code)>(
        [this, t](auto handler) { start_wait(t, wait_handler(std::move(handler))); }, token);
  }
  // No coroutine frame of their own: the wait itself is the awaitable.
  asio::awaitable<void> sleep_until(time_point t) { return async_wait_until(t, asio::use_awaitable); }
  asio::awaitable<void> sleep_for(duration d) { return async_wait_until(now() + d, asio::use_awaitable); }

 protected:
  virtual void start_wait(time_point t, wait_handler handler) = 0;

 private:
  wall_time start_;
};

}  // namespace sim
