// sim/core/timeout.hpp - bound an operation by a timeout on a sim::clock.
//
// A deadline is one timer on the clock and one cancellation signal.  An
// operation bound to it (deadline::bind) runs in the caller's coroutine;
// when it completes first, the deadline's destructor forgets the timer
// (nothing fires, nothing throws: in simulation a cancelled timer is a slot
// freed in the clock's heap).  When the limit passes first, the timer
// cancels the operation (terminal cancellation), which completes with
// operation_aborted as an error code.  In simulation the timer is virtual,
// so a 5-minute command timeout costs nothing.
//
//   sim::deadline d(clk, 5min);
//   auto cancellation = co_await asio::this_coro::cancellation_state;
//   d.follow(cancellation.slot());
//   auto [ec, n] = co_await conn->async_read_some(buf, d.bind(asio::as_tuple(asio::use_awaitable)));
//   if (ec && d.expired()) ...timed out...
#pragma once

#include <exception>
#include <optional>
#include <tuple>

#include "sim/core/clock.hpp"

namespace sim {

class deadline {
 public:
  deadline(clock& c, duration limit) : clock_(c) {
    timer_ = c.call_at(c.now() + limit, [this] {
      expired_ = true;
      signal_.emit(asio::cancellation_type::terminal);
    });
  }
  ~deadline() {
    if (outer_.is_connected()) outer_.clear();
    if (!expired_) clock_.cancel(timer_);
  }
  deadline(const deadline&) = delete;
  deadline& operator=(const deadline&) = delete;

  // The limit passed (the operation was told to stop, if it was still running).
  bool expired() const { return expired_; }
  asio::cancellation_slot slot() { return signal_.slot(); }
  // Cancellation of the awaiting coroutine (a host crashing) reaches the
  // bound operation too: pass (co_await asio::this_coro::cancellation_state).slot().
  void follow(asio::cancellation_slot outer) {
    if (!outer.is_connected()) return;
    outer.assign([this](asio::cancellation_type t) { signal_.emit(t); });
    outer_ = outer;
  }
  template <typename Token>
  auto bind(Token&& token) {
    return asio::bind_cancellation_slot(signal_.slot(), std::forward<Token>(token));
  }

 private:
  clock& clock_;
  clock::timer_id timer_;
  asio::cancellation_signal signal_;
  asio::cancellation_slot outer_;
  bool expired_ = false;
};

// A deadline for one operation after another (a session's reads), kept by
// the session instead of a coroutine of its own for each: arm() before an
// operation (bind() it), disarm() when it completed; expired() as above.
// The signal is made once; the awaiting coroutine's cancellation is
// followed while armed, as deadline::follow() does.
class session_deadline {
 public:
  explicit session_deadline(clock& c) : clock_(c) {}
  ~session_deadline() { disarm(); }
  session_deadline(const session_deadline&) = delete;
  session_deadline& operator=(const session_deadline&) = delete;

  void arm(duration limit, asio::cancellation_slot outer) {
    disarm();
    expired_ = false;
    armed_ = true;
    timer_ = clock_.call_at(clock_.now() + limit, [this] {
      armed_ = false;
      expired_ = true;
      signal_.emit(asio::cancellation_type::terminal);
    });
    if (outer.is_connected()) {
      outer.assign([this](asio::cancellation_type t) { signal_.emit(t); });
      outer_ = outer;
    }
  }
  void disarm() {
    if (outer_.is_connected()) outer_.clear();
    outer_ = {};
    if (armed_) clock_.cancel(timer_);
    armed_ = false;
  }
  bool expired() const { return expired_; }
  template <typename Token>
  auto bind(Token&& token) {
    return asio::bind_cancellation_slot(signal_.slot(), std::forward<Token>(token));
  }

 private:
  clock& clock_;
  clock::timer_id timer_{};
  asio::cancellation_signal signal_;
  asio::cancellation_slot outer_;
  bool armed_ = false;
  bool expired_ = false;
};

// Any awaitable, bounded: its result, or nullopt when `limit` passed first.
// It runs as a child coroutine bound to a deadline, so it must honour
// cancellation.  An exception of its own is rethrown; the cancellation it
// receives when the limit passes is not an error.  Sessions bound their
// stream operations with a deadline directly (no child coroutine).
template <typename T>
asio::awaitable<std::optional<T>> with_timeout(clock& c, duration limit, asio::awaitable<T> op) {
  deadline d(c, limit);
  auto cancellation = co_await asio::this_coro::cancellation_state;
  d.follow(cancellation.slot());
  auto [failure, value] = co_await asio::co_spawn(co_await asio::this_coro::executor, std::move(op),
                                                  d.bind(asio::as_tuple(asio::use_awaitable)));
  if (d.expired()) co_return std::nullopt;
  if (failure) std::rethrow_exception(failure);
  co_return std::optional<T>(std::move(value));
}

// For awaitable<void>: true when the operation finished in time.
inline asio::awaitable<bool> with_timeout(clock& c, duration limit, asio::awaitable<void> op) {
  deadline d(c, limit);
  auto cancellation = co_await asio::this_coro::cancellation_state;
  d.follow(cancellation.slot());
  auto [failure] = co_await asio::co_spawn(co_await asio::this_coro::executor, std::move(op),
                                           d.bind(asio::as_tuple(asio::use_awaitable)));
  if (d.expired()) co_return false;
  if (failure) std::rethrow_exception(failure);
  co_return true;
}

}  // namespace sim
