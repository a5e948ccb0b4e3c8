// sim/core/virtual_clock.cpp - the simulation kernel.
#include "sim/core/virtual_clock.hpp"

#include <algorithm>

namespace sim {

virtual_clock::virtual_clock(asio::io_context& ctx, wall_time start) : clock(start), ctx_(ctx) {}

virtual_clock::~virtual_clock() = default;

// Due times in the past are now.
clock::timer_id virtual_clock::call_at(time_point t, callback fn) {
  return timers_.arm(std::max(t, now_), std::move(fn));
}

bool virtual_clock::cancel(timer_id id) { return timers_.cancel(id); }

// A wait completes with success when its timer fires, or with
// operation_aborted when its cancellation slot is triggered first.
// Everything runs on the one io_context, so completions are posted there.
void virtual_clock::start_wait(time_point t, wait_handler handler) {
  auto cancellation = asio::get_associated_cancellation_slot(handler);
  timer_id id = timers_.arm(std::max(t, now_), std::move(handler));
  if (cancellation.is_connected()) {
    cancellation.assign([this, id](asio::cancellation_type) {
      auto h = timers_.take_waiter(id);
      if (!h) return;
      asio::post(ctx_, [h = std::move(*h)]() mutable { std::move(h)(asio::error::operation_aborted); });
      timers_.cancel(id);
    });
  }
}

void virtual_clock::fire(timer_heap::payload& p) {
  ++fired_;
  if (p.waiter) {
    wait_handler h(std::move(*p.waiter));
    p.waiter.reset();
    auto cancellation = asio::get_associated_cancellation_slot(h);
    if (cancellation.is_connected()) cancellation.clear();
    asio::post(ctx_, [h = std::move(h)]() mutable { std::move(h)(error_code{}); });
    return;
  }
  auto fn = std::move(p.fn);
  fn();
}

virtual_clock::stop_reason virtual_clock::run(time_point limit) {
  stopped_ = false;
  for (;;) {
    ctx_.restart();
    ctx_.poll();
    if (stopped_) return stop_reason::stopped;
    auto due = timers_.next_due();
    if (!due) return stop_reason::idle;
    if (*due > limit) {
      now_ = limit;
      return stop_reason::limit;
    }
    now_ = *due;
    auto p = timers_.pop();
    fire(p);
  }
}

}  // namespace sim
