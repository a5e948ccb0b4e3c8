// sim/core/real_clock.cpp - live mode's clock: steady_clock, our own timer heap, one Asio timer.
#include "sim/core/real_clock.hpp"

#include <algorithm>

namespace sim {

real_clock::real_clock(asio::io_context& ctx, wall_time start)
    : clock(start), ctx_(ctx), origin_(std::chrono::steady_clock::now()), wake_(ctx),
      alive_(std::make_shared<bool>(true)) {}

real_clock::~real_clock() {
  *alive_ = false;
  wake_.cancel();
}

wall_time real_clock::system_now() {
  return std::chrono::floor<duration>(std::chrono::system_clock::now());
}

time_point real_clock::now() const {
  return time_point{std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - origin_)};
}

clock::timer_id real_clock::call_at(time_point t, callback fn) {
  timer_id id = timers_.arm(t, std::move(fn));
  schedule(t);
  return id;
}

bool real_clock::cancel(timer_id id) {
  if (!timers_.cancel(id)) return false;
  if (timers_.live() == 0) {
    // Nothing left to wait for: let the io_context's run() return.
    timers_.clear_if_idle();
    if (wake_at_) wake_.cancel();
    wake_at_.reset();
  }
  return true;
}

// A wait completes with success when its timer fires, or with
// operation_aborted when its cancellation slot is triggered first (the
// completion is posted, as every completion here).
void real_clock::start_wait(time_point t, wait_handler handler) {
  auto cancellation = asio::get_associated_cancellation_slot(handler);
  timer_id id = timers_.arm(t, std::move(handler));
  schedule(t);
  if (cancellation.is_connected()) {
    cancellation.assign([this, id](asio::cancellation_type) {
      auto h = timers_.take_waiter(id);
      if (!h) return;
      asio::post(ctx_, [h = std::move(*h)]() mutable { std::move(h)(asio::error::operation_aborted); });
      cancel(id);
    });
  }
}

// Due already: one posted drain runs it (and whatever else is due).  Due
// later than the Asio timer's wake-up: nothing to do.  Earlier: move it.
void real_clock::schedule(time_point t) {
  if (t <= now()) {
    if (drain_posted_) return;
    drain_posted_ = true;
    asio::post(ctx_, [this, alive = alive_] {
      if (!*alive) return;
      drain_posted_ = false;
      drain();
    });
    return;
  }
  if (wake_at_ && *wake_at_ <= t) return;
  wake_at_ = t;
  wake_.expires_at(origin_ + t.time_since_epoch());
  wake_.async_wait([this, alive = alive_](error_code ec) {
    if (!*alive || ec == asio::error::operation_aborted) return;
    wake_at_.reset();
    drain();
  });
}

// Runs every timer that is due, in (due, order) order, then points the Asio
// timer at the next one.
void real_clock::drain() {
  time_point t = now();
  while (auto due = timers_.next_due()) {
    if (*due > t) {
      schedule(*due);
      return;
    }
    auto p = timers_.pop();
    if (p.waiter) {
      auto cancellation = asio::get_associated_cancellation_slot(*p.waiter);
      if (cancellation.is_connected()) cancellation.clear();
      asio::post(ctx_, [h = std::move(*p.waiter)]() mutable { std::move(h)(error_code{}); });
    } else if (p.fn) {
      p.fn();
    }
  }
}

}  // namespace sim
