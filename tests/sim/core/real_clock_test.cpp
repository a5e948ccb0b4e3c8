// Tests for sim/core/real_clock: the live-mode twin behind the same interface.
#include <catch2/catch.hpp>

#include "sim/core/real_clock.hpp"
#include "sim/core/stopwatch.hpp"
#include "sim/core/timeout.hpp"

using namespace std::chrono_literals;

TEST_CASE("the real clock sleeps, calls back and bounds awaitables in real time") {
  asio::io_context ctx;
  sim::real_clock clk(ctx, sim::real_clock::system_now());
  std::vector<std::string> got;
  std::optional<int> timed_out = 1;
  clk.call_after(30ms, [&] { got.push_back("timer"); });
  auto never = clk.call_after(10s, [&] { got.push_back("never"); });
  CHECK(clk.cancel(never));
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    co_await clk.sleep_for(10ms);
    got.push_back("slept");
    auto slow = [&]() -> asio::awaitable<int> {
      co_await clk.sleep_for(10s);
      co_return 1;
    };
    timed_out = co_await sim::with_timeout(clk, 20ms, slow());
    got.push_back("bounded");
  }, asio::detached);
  ctx.run_for(5s);
  CHECK(got == std::vector<std::string>{"slept", "timer", "bounded"});
  CHECK_FALSE(timed_out.has_value());
  CHECK(clk.now() >= sim::at_millis(30));
  CHECK(clk.now() < sim::at_millis(5000));
}

TEST_CASE("real clock: timers fire in due order, cancelled ones never, and nothing holds run() once all are gone") {
  asio::io_context ctx;
  sim::real_clock clk(ctx, sim::real_clock::system_now());
  std::vector<int> got;
  auto now = clk.now();
  clk.call_at(now + 20ms, [&] { got.push_back(3); });
  auto early = clk.call_at(now + 5ms, [&] { got.push_back(0); });
  clk.call_at(now + 10ms, [&] { got.push_back(2); });
  clk.call_at(now, [&] { got.push_back(1); });  // due already: runs from a drain, never inline
  CHECK(got.empty());
  CHECK(clk.cancel(early));
  CHECK_FALSE(clk.cancel(early));
  // Many timeouts armed and cancelled, as sessions do for every read.
  for (int i = 0; i < 5000; ++i) CHECK(clk.cancel(clk.call_after(300s, [&] { got.push_back(-1); })));
  CHECK(clk.pending_timers() == 3);
  sim::stopwatch watch;
  ctx.run();  // returns when the last timer fired: no wake-up left for the cancelled ones
  CHECK(got == std::vector<int>{1, 2, 3});
  CHECK(clk.pending_timers() == 0);
  CHECK(watch.seconds() < 5.0);
}

TEST_CASE("real clock: a wait cancelled through its slot completes with operation_aborted") {
  asio::io_context ctx;
  sim::real_clock clk(ctx, sim::real_clock::system_now());
  asio::cancellation_signal signal;
  std::optional<sim::error_code> result;
  clk.async_wait_until(clk.now() + 300s,
                       asio::bind_cancellation_slot(signal.slot(), [&](sim::error_code ec) { result = ec; }));
  ctx.poll();
  CHECK_FALSE(result);
  signal.emit(asio::cancellation_type::terminal);
  ctx.run();
  REQUIRE(result);
  CHECK(*result == asio::error::operation_aborted);
  CHECK(clk.pending_timers() == 0);
}
