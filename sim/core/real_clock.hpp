// sim/core/real_clock.hpp - the live-mode twin of virtual_clock.
//
// Same interface, backed by std::chrono::steady_clock; t = 0 is the moment
// the clock was made.  The only place (with random.cpp's seeding) allowed
// to read a real clock.
//
// Every session read and write in live mode arms a timeout and almost
// always cancels it, so timers are kept in a heap of our own (timer_heap,
// as in virtual_clock) behind one Asio timer.  That timer is moved only
// when a timer due earlier than it arrives; a cancelled timer leaves it
// alone (a spurious wake-up finds nothing due), unless it was the last.  Timers already due run
// from one posted drain, never through the reactor.  So arming and
// cancelling cost no allocation and no system call in the steady state
// (Asio's own timers re-armed the timerfd about ten times per message).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/timer_heap.hpp"

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
  std::size_t pending_timers() const { return timers_.live(); }

 protected:
  void start_wait(time_point t, wait_handler handler) override;

 private:
  void schedule(time_point t);
  void drain();

  asio::io_context& ctx_;
  std::chrono::steady_clock::time_point origin_;
  asio::steady_timer wake_;
  std::optional<time_point> wake_at_;  // when wake_ fires, if it waits
  bool drain_posted_ = false;
  std::shared_ptr<bool> alive_;  // handlers still queued after destruction see false
  timer_heap timers_;
};

}  // namespace sim
