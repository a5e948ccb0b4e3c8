// sim/cli/world_clock.cpp - virtual time 0 at COMMAND's readiness.
#include "sim/cli/world_clock.hpp"

#include <algorithm>
#include <chrono>

namespace sim::cli {
namespace {

// Far enough never to fire while a world runs: it only reserves an id.
constexpr duration reservation = std::chrono::hours(24 * 365);

}  // namespace

world_clock::world_clock(real_clock& inner, bool ready) : clock(inner.start()), inner_(inner), ready_(ready) {
  if (ready_) origin_ = inner_.now().time_since_epoch();
}

time_point world_clock::now() const {
  if (!ready_) return time_point{};
  return time_point{inner_.now().time_since_epoch() - origin_};
}

// Before readiness t is measured from a frozen 0: a timer at t runs t of
// real time after it was armed.
time_point world_clock::to_inner(time_point t) const {
  if (ready_) return t + origin_;
  return inner_.now() + std::max(t.time_since_epoch(), duration{0});
}

clock::timer_id world_clock::call_at(time_point t, callback fn) {
  if (holding_ && !ready_) {
    timer_id id = inner_.call_at(inner_.now() + reservation, [] {});
    held_.push_back({id, t, std::move(fn)});
    return id;
  }
  return inner_.call_at(to_inner(t), std::move(fn));
}

bool world_clock::cancel(timer_id id) {
  if (auto h = std::find_if(held_.begin(), held_.end(), [id](const held_timer& x) { return x.id == id; });
      h != held_.end()) {
    held_.erase(h);
    return inner_.cancel(id);
  }
  if (auto m = std::find_if(moved_.begin(), moved_.end(), [id](const moved_timer& x) { return x.id == id; });
      m != moved_.end()) {
    timer_id real = m->real;
    moved_.erase(m);
    inner_.cancel(id);
    return inner_.cancel(real);
  }
  return inner_.cancel(id);
}

void world_clock::become_ready() {
  if (ready_) return;
  origin_ = inner_.now().time_since_epoch();
  ready_ = true;
  auto held = std::move(held_);
  held_.clear();
  for (auto& h : held) {
    // The reserved id stays armed until the timer runs or is cancelled, so
    // the real clock cannot hand it out again meanwhile.
    timer_id real = inner_.call_at(h.at + origin_, [this, id = h.id, fn = std::move(h.fn)]() mutable {
      if (auto m = std::find_if(moved_.begin(), moved_.end(), [id](const moved_timer& x) { return x.id == id; });
          m != moved_.end())
        moved_.erase(m);
      inner_.cancel(id);
      fn();
    });
    moved_.push_back({h.id, real});
  }
}

void world_clock::start_wait(time_point t, wait_handler handler) {
  inner_.async_wait_until(to_inner(t), std::move(handler));
}

}  // namespace sim::cli
