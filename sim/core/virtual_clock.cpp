// sim/core/virtual_clock.cpp - the simulation kernel.
#include "sim/core/virtual_clock.hpp"

#include <memory>

namespace sim {

virtual_clock::virtual_clock(asio::io_context& ctx, wall_time start) : clock(start), ctx_(ctx) {}

virtual_clock::~virtual_clock() = default;

clock::timer_id virtual_clock::call_at(time_point t, std::function<void()> fn) {
  if (t < now_) t = now_;
  timer_id id = next_id_++;
  timers_.emplace(key{t, id}, std::move(fn));
  due_.emplace(id, t);
  return id;
}

bool virtual_clock::cancel(timer_id id) {
  auto it = due_.find(id);
  if (it == due_.end()) return false;
  timers_.erase(key{it->second, id});
  due_.erase(it);
  return true;
}

// A pending wait: completes with success when its timer fires, or with
// operation_aborted when its cancellation slot is triggered first.
void virtual_clock::start_wait(time_point t, wait_handler handler) {
  // Note: any_completion_handler's move assignment recurses forever in
  // Asio 1.26; handlers are only ever move-constructed here.
  struct wait_state {
    explicit wait_state(wait_handler h, asio::io_context& c) : handler(std::move(h)), ctx(&c) {}
    wait_handler handler;
    timer_id id = 0;
    bool done = false;
    asio::io_context* ctx = nullptr;
    // Everything runs on the one io_context, so completions are posted there.
    void complete(error_code ec) {
      done = true;
      asio::post(*ctx, [h = std::move(handler), ec]() mutable { std::move(h)(ec); });
    }
  };
  auto state = std::make_shared<wait_state>(std::move(handler), ctx_);
  auto slot = asio::get_associated_cancellation_slot(state->handler);
  state->id = call_at(t, [state, slot]() mutable {
    if (state->done) return;
    if (slot.is_connected()) slot.clear();
    state->complete(error_code{});
  });
  if (slot.is_connected()) {
    slot.assign([this, state](asio::cancellation_type) {
      if (state->done) return;
      cancel(state->id);
      state->complete(asio::error::operation_aborted);
    });
  }
}

virtual_clock::stop_reason virtual_clock::run(time_point limit) {
  stopped_ = false;
  for (;;) {
    ctx_.restart();
    ctx_.poll();
    if (stopped_) return stop_reason::stopped;
    if (timers_.empty()) return stop_reason::idle;
    auto first = timers_.begin();
    if (first->first.first > limit) {
      now_ = limit;
      return stop_reason::limit;
    }
    now_ = first->first.first;
    auto fn = std::move(first->second);
    due_.erase(first->first.second);
    timers_.erase(first);
    ++fired_;
    fn();
  }
}

}  // namespace sim
