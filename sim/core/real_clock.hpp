// sim/core/real_clock.hpp - the live-mode twin of virtual_clock.
//
// Same interface, backed by std::chrono::steady_clock and Asio timers; t = 0
// is the moment the clock was made.  The only place (with random.cpp's
// seeding) allowed to read a real clock.
#pragma once

#include <map>
#include <memory>

#include "sim/core/clock.hpp"

namespace sim {

class real_clock final : public clock {
 public:
  real_clock(asio::io_context& ctx, wall_time start);
  ~real_clock() override;

  // The present wall-clock time (for the `start` of a live run).
  static wall_time system_now();

  time_point now() const override;
  asio::any_io_executor executor() override { return ctx_.get_executor(); }
  bool is_virtual() const override { return false; }
  timer_id call_at(time_point t, callback fn) override;
  bool cancel(timer_id id) override;

 protected:
  void start_wait(time_point t, wait_handler handler) override;

 private:
  asio::io_context& ctx_;
  std::chrono::steady_clock::time_point origin_;
  timer_id next_id_ = 1;
  std::map<timer_id, std::shared_ptr<asio::steady_timer>> timers_;
};

}  // namespace sim
