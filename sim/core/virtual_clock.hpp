// sim/core/virtual_clock.hpp - the simulation kernel: virtual time over one io_context.
//
// run() executes every ready handler; when none is ready it jumps the clock
// to the earliest pending timer and fires it.  Timers due at the same time
// fire in the order they were scheduled.  Nothing here reads a real clock.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/timer_heap.hpp"

namespace sim {

class virtual_clock final : public clock {
 public:
  enum class stop_reason { idle, limit, stopped };

  virtual_clock(asio::io_context& ctx, wall_time start);
  ~virtual_clock() override;

  time_point now() const override { return now_; }
  asio::any_io_executor executor() override { return ctx_.get_executor(); }
  bool is_virtual() const override { return true; }
  timer_id call_at(time_point t, callback fn) override;
  bool cancel(timer_id id) override;

  // Runs until nothing is ready and no timer is pending (idle), until the
  // next timer lies after `limit` (the clock then reads `limit`), or until
  // stop() is called from a handler.
  stop_reason run(time_point limit = time_point::max());
  void stop() { stopped_ = true; }
  std::size_t pending_timers() const { return timers_.live(); }
  std::uint64_t fired_timers() const { return fired_; }
  asio::io_context& context() { return ctx_; }

 protected:
  void start_wait(time_point t, wait_handler handler) override;

 private:
  void fire(timer_heap::payload& p);

  asio::io_context& ctx_;
  time_point now_{};
  timer_heap timers_;
  std::uint64_t fired_ = 0;
  bool stopped_ = false;
};

}  // namespace sim
