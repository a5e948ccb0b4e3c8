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
  std::size_t pending_timers() const { return live_; }
  std::uint64_t fired_timers() const { return fired_; }
  asio::io_context& context() { return ctx_; }

 protected:
  void start_wait(time_point t, wait_handler handler) override;

 private:
  // A timer's payload lives in a slot; the heap holds (due, order, slot,
  // generation).  Cancelling empties the slot; the heap entry is skipped
  // when it comes up (its generation no longer matches), or dropped with
  // the others once they are the heap's majority (deadlines are cancelled
  // by the thousand and would otherwise sit there until due).
  struct slot {
    std::uint32_t generation = 0;
    bool armed = false;
    callback fn;
    std::optional<wait_handler> waiter;  // emplace only: never move-assign it (Asio 1.26)
  };
  struct entry {
    time_point due;
    std::uint64_t order;
    std::uint32_t index;
    std::uint32_t generation;
    bool operator>(const entry& o) const { return due != o.due ? due > o.due : order > o.order; }
  };
  std::uint32_t arm(time_point t);
  void drop_dead_entries();
  void fire(slot& s);
  static timer_id make_id(std::uint32_t index, std::uint32_t generation) {
    return (static_cast<timer_id>(generation) << 32) | index;
  }

  asio::io_context& ctx_;
  time_point now_{};
  std::uint64_t order_ = 0;
  std::vector<entry> heap_;  // a min-heap on (due, order)
  std::vector<slot> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;  // heap entries of cancelled timers, not yet popped
  std::uint64_t fired_ = 0;
  bool stopped_ = false;
};

}  // namespace sim
