// sim/core/virtual_clock.cpp - the simulation kernel.
#include "sim/core/virtual_clock.hpp"

#include <algorithm>

namespace sim {

virtual_clock::virtual_clock(asio::io_context& ctx, wall_time start) : clock(start), ctx_(ctx) {}

virtual_clock::~virtual_clock() = default;

// Takes a free slot and pushes its heap entry; due times in the past are now.
std::uint32_t virtual_clock::arm(time_point t) {
  if (t < now_) t = now_;
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
  return index;
}

clock::timer_id virtual_clock::call_at(time_point t, callback fn) {
  std::uint32_t index = arm(t);
  slots_[index].fn = std::move(fn);
  return make_id(index, slots_[index].generation);
}

bool virtual_clock::cancel(timer_id id) {
  auto index = static_cast<std::uint32_t>(id & 0xffffffffu);
  auto generation = static_cast<std::uint32_t>(id >> 32);
  if (index >= slots_.size()) return false;
  slot& s = slots_[index];
  if (!s.armed || s.generation != generation) return false;
  s.armed = false;
  s.fn = nullptr;
  s.waiter.reset();
  ++s.generation;
  free_.push_back(index);
  --live_;
  if (++dead_ > 1024 && dead_ * 2 > heap_.size()) drop_dead_entries();
  return true;
}

// Pops come in (due, order) order, which is unique per entry, so the
// heap's layout never changes what fires when.
void virtual_clock::drop_dead_entries() {
  std::erase_if(heap_, [this](const entry& e) { return slots_[e.index].generation != e.generation; });
  std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
  dead_ = 0;
}

// A wait completes with success when its timer fires, or with
// operation_aborted when its cancellation slot is triggered first.
// Everything runs on the one io_context, so completions are posted there.
void virtual_clock::start_wait(time_point t, wait_handler handler) {
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

void virtual_clock::fire(slot& s) {
  ++fired_;
  if (s.waiter) {
    wait_handler h(std::move(*s.waiter));
    s.waiter.reset();
    auto cancellation = asio::get_associated_cancellation_slot(h);
    if (cancellation.is_connected()) cancellation.clear();
    asio::post(ctx_, [h = std::move(h)]() mutable { std::move(h)(error_code{}); });
    return;
  }
  auto fn = std::move(s.fn);
  fn();
}

virtual_clock::stop_reason virtual_clock::run(time_point limit) {
  stopped_ = false;
  for (;;) {
    ctx_.restart();
    ctx_.poll();
    if (stopped_) return stop_reason::stopped;
    // Drop entries whose timer was cancelled.
    while (!heap_.empty() && slots_[heap_.front().index].generation != heap_.front().generation) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
      heap_.pop_back();
      --dead_;
    }
    if (heap_.empty()) return stop_reason::idle;
    entry next = heap_.front();
    if (next.due > limit) {
      now_ = limit;
      return stop_reason::limit;
    }
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
    now_ = next.due;
    slot& s = slots_[next.index];
    s.armed = false;
    ++s.generation;
    free_.push_back(next.index);
    --live_;
    // fire() may arm new timers and so grow slots_: work on a moved-out copy.
    slot taken;
    taken.fn = std::move(s.fn);
    if (s.waiter) {
      taken.waiter.emplace(std::move(*s.waiter));
      s.waiter.reset();
    }
    fire(taken);
  }
}

}  // namespace sim
