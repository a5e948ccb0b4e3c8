// sim/core/timer_heap.hpp - the timers of a clock: slots reused, a min-heap on (due, order).
//
// Both clocks keep their timers here (virtual_clock fires them when time
// jumps, real_clock behind one Asio timer).  A timer's payload (a callback
// or a wait's handler) lives in a slot; the heap holds (due, order, slot,
// generation).  Cancelling empties the slot; its heap entry is skipped when
// it comes up (its generation no longer matches), or dropped with the
// others once they are the heap's majority (deadlines are cancelled by the
// thousand and would otherwise sit there until due).  Timers due at the same
// time come up in the order they were armed, whatever the heap's layout.
// Arming and cancelling allocate nothing in the steady state.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/clock.hpp"

namespace sim {

class timer_heap {
 public:
  using timer_id = clock::timer_id;
  using wait_handler = clock::wait_handler;

  // What a timer held, taken out of its slot when it comes up.
  struct payload {
    callback fn;
    std::optional<wait_handler> waiter;  // emplace only: never move-assign it (Asio 1.26)
  };

  timer_id arm(time_point due, callback fn);
  timer_id arm(time_point due, wait_handler waiter);
  // Forgets a timer that has not come up; false when it already has.
  bool cancel(timer_id id);
  // A wait's handler, taken out, while its timer is armed (for a wait whose
  // cancellation slot fires: the caller completes it with operation_aborted).
  std::optional<wait_handler> take_waiter(timer_id id);

  // The due time of the earliest armed timer (cancelled entries before it are dropped).
  std::optional<time_point> next_due();
  // Takes the earliest armed timer out (next_due() must have said there is one).
  payload pop();

  std::size_t live() const { return live_; }
  // Forgets every entry: only when no timer is armed.
  void clear_if_idle();

 private:
  struct slot {
    std::uint32_t generation = 0;
    bool armed = false;
    payload content;
  };
  struct entry {
    time_point due;
    std::uint64_t order;
    std::uint32_t index;
    std::uint32_t generation;
    bool operator>(const entry& o) const { return due != o.due ? due > o.due : order > o.order; }
  };
  std::uint32_t take_slot(time_point due);
  void release(std::uint32_t index);
  slot* armed_slot(timer_id id);
  void drop_dead_entries();
  static timer_id make_id(std::uint32_t index, std::uint32_t generation) {
    return (static_cast<timer_id>(generation) << 32) | index;
  }

  std::uint64_t order_ = 0;
  std::vector<entry> heap_;  // a min-heap on (due, order)
  std::vector<slot> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;  // heap entries of cancelled timers, not yet popped
};

}  // namespace sim
