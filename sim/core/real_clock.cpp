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

std::uint32_t real_clock::arm(time_point t) {
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  slot& s = slots_[index];
  s.armed = true;
  ++live_;
  heap_.push_back(entry{t, order_++, index, s.generation});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  schedule(t);
  return index;
}

void real_clock::release(std::uint32_t index) {
  slot& s = slots_[index];
  s.armed = false;
  ++s.generation;
  free_.push_back(index);
  --live_;
}

clock::timer_id real_clock::call_at(time_point t, callback fn) {
  std::uint32_t index = arm(t);
  slots_[index].fn = std::move(fn);
  return make_id(index, slots_[index].generation);
}

bool real_clock::cancel(timer_id id) {
  auto index = static_cast<std::uint32_t>(id & 0xffffffffu);
  auto generation = static_cast<std::uint32_t>(id >> 32);
  if (index >= slots_.size()) return false;
  slot& s = slots_[index];
  if (!s.armed || s.generation != generation) return false;
  s.fn = nullptr;
  s.waiter.reset();
  release(index);
  if (live_ == 0) {
    // Nothing left to wait for: let the io_context's run() return.
    heap_.clear();
    if (wake_at_) wake_.cancel();
    wake_at_.reset();
  } else {
    compact();
  }
  return true;
}

// A wait completes with success when its timer fires, or with
// operation_aborted when its cancellation slot is triggered first (the
// completion is posted, as every completion here).
void real_clock::start_wait(time_point t, wait_handler handler) {
  auto cancellation = asio::get_associated_cancellation_slot(handler);
  std::uint32_t index = arm(t);
  slots_[index].waiter.emplace(std::move(handler));
  timer_id id = make_id(index, slots_[index].generation);
  if (cancellation.is_connected()) {
    cancellation.assign([this, id](asio::cancellation_type) {
      auto i = static_cast<std::uint32_t>(id & 0xffffffffu);
      slot& s = slots_[i];
      if (!s.armed || s.generation != static_cast<std::uint32_t>(id >> 32)) return;
      asio::post(ctx_, [h = std::move(*s.waiter)]() mutable { std::move(h)(asio::error::operation_aborted); });
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
  while (!heap_.empty()) {
    entry next = heap_.front();
    slot& s = slots_[next.index];
    if (s.generation != next.generation) {  // cancelled
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      heap_.pop_back();
      continue;
    }
    if (next.due > t) {
      schedule(next.due);
      return;
    }
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
    // The callback may arm timers and so grow slots_: take what it needs first.
    callback fn = std::move(s.fn);
    s.fn = nullptr;
    std::optional<wait_handler> waiter;
    if (s.waiter) {
      waiter.emplace(std::move(*s.waiter));
      s.waiter.reset();
    }
    release(next.index);
    if (waiter) {
      auto cancellation = asio::get_associated_cancellation_slot(*waiter);
      if (cancellation.is_connected()) cancellation.clear();
      asio::post(ctx_, [h = std::move(*waiter)]() mutable { std::move(h)(error_code{}); });
    } else if (fn) {
      fn();
    }
  }
}

// Cancelled timeouts stay in the heap until they come up, which for a
// five-minute command timeout is long: rebuild the heap once they are the
// majority, so that memory follows the timers alive, not the timers made.
void real_clock::compact() {
  if (heap_.size() < 1024 || heap_.size() < 2 * live_) return;
  std::erase_if(heap_, [this](const entry& e) { return slots_[e.index].generation != e.generation; });
  std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

}  // namespace sim
