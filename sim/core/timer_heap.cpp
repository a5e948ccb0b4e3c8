// sim/core/timer_heap.cpp - the timers of a clock.
#include "sim/core/timer_heap.hpp"

#include <algorithm>
#include <functional>

namespace sim {

std::uint32_t timer_heap::take_slot(time_point due) {
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
  heap_.push_back(entry{due, order_++, index, s.generation});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  return index;
}

void timer_heap::release(std::uint32_t index) {
  slot& s = slots_[index];
  s.armed = false;
  ++s.generation;
  free_.push_back(index);
  --live_;
}

clock::timer_id timer_heap::arm(time_point due, callback fn) {
  std::uint32_t index = take_slot(due);
  slots_[index].content.fn = std::move(fn);
  return make_id(index, slots_[index].generation);
}

clock::timer_id timer_heap::arm(time_point due, wait_handler waiter) {
  std::uint32_t index = take_slot(due);
  slots_[index].content.waiter.emplace(std::move(waiter));
  return make_id(index, slots_[index].generation);
}

timer_heap::slot* timer_heap::armed_slot(timer_id id) {
  auto index = static_cast<std::uint32_t>(id & 0xffffffffu);
  auto generation = static_cast<std::uint32_t>(id >> 32);
  if (index >= slots_.size()) return nullptr;
  slot& s = slots_[index];
  return s.armed && s.generation == generation ? &s : nullptr;
}

bool timer_heap::cancel(timer_id id) {
  slot* s = armed_slot(id);
  if (!s) return false;
  s->content.fn = nullptr;
  s->content.waiter.reset();
  release(static_cast<std::uint32_t>(id & 0xffffffffu));
  if (++dead_ > 1024 && dead_ * 2 > heap_.size()) drop_dead_entries();
  return true;
}

std::optional<clock::wait_handler> timer_heap::take_waiter(timer_id id) {
  slot* s = armed_slot(id);
  if (!s || !s->content.waiter) return std::nullopt;
  std::optional<wait_handler> out;
  out.emplace(std::move(*s->content.waiter));
  s->content.waiter.reset();
  return out;
}

// Pops come in (due, order) order, which is unique per entry, so the
// heap's layout never changes what comes up when.
void timer_heap::drop_dead_entries() {
  std::erase_if(heap_, [this](const entry& e) { return slots_[e.index].generation != e.generation; });
  std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
  dead_ = 0;
}

std::optional<time_point> timer_heap::next_due() {
  while (!heap_.empty() && slots_[heap_.front().index].generation != heap_.front().generation) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
    if (dead_ > 0) --dead_;
  }
  if (heap_.empty()) return std::nullopt;
  return heap_.front().due;
}

// The payload is moved out before the slot is freed: what it runs may arm
// timers and so grow slots_.
timer_heap::payload timer_heap::pop() {
  entry next = heap_.front();
  std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
  heap_.pop_back();
  slot& s = slots_[next.index];
  payload out;
  out.fn = std::move(s.content.fn);
  s.content.fn = nullptr;
  if (s.content.waiter) {
    out.waiter.emplace(std::move(*s.content.waiter));
    s.content.waiter.reset();
  }
  release(next.index);
  return out;
}

void timer_heap::clear_if_idle() {
  if (live_ != 0) return;
  heap_.clear();
  dead_ = 0;
}

}  // namespace sim
