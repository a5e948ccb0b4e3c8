// sim/core/real_clock.cpp - live mode's clock: steady_clock and Asio timers.
#include "sim/core/real_clock.hpp"

namespace sim {

real_clock::real_clock(asio::io_context& ctx, wall_time start)
    : clock(start), ctx_(ctx), origin_(std::chrono::steady_clock::now()) {}

real_clock::~real_clock() {
  for (auto& [id, timer] : timers_) timer->cancel();
}

wall_time real_clock::system_now() {
  return std::chrono::floor<duration>(std::chrono::system_clock::now());
}

time_point real_clock::now() const {
  return time_point{std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - origin_)};
}

clock::timer_id real_clock::call_at(time_point t, callback fn) {
  timer_id id = next_id_++;
  auto timer = std::make_shared<asio::steady_timer>(ctx_);
  timer->expires_at(origin_ + t.time_since_epoch());
  timers_.emplace(id, timer);
  timer->async_wait([this, id, fn = std::move(fn)](error_code ec) mutable {
    if (ec) return;
    timers_.erase(id);
    fn();
  });
  return id;
}

bool real_clock::cancel(timer_id id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return false;
  it->second->cancel();
  timers_.erase(it);
  return true;
}

void real_clock::start_wait(time_point t, wait_handler handler) {
  auto timer = std::make_shared<asio::steady_timer>(ctx_);
  timer->expires_at(origin_ + t.time_since_epoch());
  // The timer lives as long as the wait; Asio's own timer honours the
  // handler's cancellation slot.
  auto slot = asio::get_associated_cancellation_slot(handler);  // before the move below
  timer->async_wait(asio::bind_cancellation_slot(
      slot, [timer, h = std::move(handler)](error_code ec) mutable { std::move(h)(ec); }));
}

}  // namespace sim
