// sim/cli/world_clock.hpp - `mailsim world --wait-ready`: t = 0 is COMMAND's readiness.
//
// A clock over the world's real_clock.  Until become_ready() virtual time
// stands at 0 (everything traced while COMMAND starts up has t = 0) while
// timers armed meanwhile still count real time from the moment they are
// armed, so probes of the world's services see their timeouts and delays.
// Timers armed while hold() is on (the timeline, scheduled by
// world::start()) wait for readiness and then run at readiness + t.  From
// become_ready() on, t counts real time from that moment.
#pragma once

#include <vector>

#include "sim/core/real_clock.hpp"

namespace sim::cli {

class world_clock final : public clock {
 public:
  // ready: t = 0 is now (no waiting, the world as without --wait-ready).
  world_clock(real_clock& inner, bool ready);

  time_point now() const override;
  asio::any_io_executor executor() override { return inner_.executor(); }
  bool is_virtual() const override { return false; }
  timer_id call_at(time_point t, callback fn) override;
  bool cancel(timer_id id) override;

  // While on, call_at() keeps its timers until become_ready().
  void hold(bool on) { holding_ = on; }
  bool ready() const { return ready_; }
  // t = 0 from now; the held timers are armed at now + their t.
  void become_ready();

 protected:
  void start_wait(time_point t, wait_handler handler) override;

 private:
  struct held_timer {
    timer_id id;  // a do-nothing timer of the real clock that reserves the id
    time_point at;
    callback fn;
  };
  struct moved_timer {
    timer_id id;    // the reserved id, the one the caller knows
    timer_id real;  // the timer that runs fn
  };
  time_point to_inner(time_point t) const;

  real_clock& inner_;
  bool ready_;
  bool holding_ = false;
  duration origin_{0};  // the real clock's time at readiness
  std::vector<held_timer> held_;
  std::vector<moved_timer> moved_;
};

}  // namespace sim::cli
