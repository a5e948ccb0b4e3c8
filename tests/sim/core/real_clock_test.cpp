// Tests for sim/core/real_clock: the live-mode twin behind the same interface.
#include <catch2/catch.hpp>

#include "sim/core/real_clock.hpp"
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
