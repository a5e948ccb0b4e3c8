// Tests for sim/core/virtual_clock: the simulation kernel.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/core/timeout.hpp"
#include "sim/core/virtual_clock.hpp"

using namespace std::chrono_literals;

namespace {
sim::wall_time start() { return *sim::parse_rfc3339("2026-01-05T09:00:00Z"); }
}  // namespace

TEST_CASE("timers due at the same time fire in the order they were scheduled") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  std::vector<int> got;
  for (int i = 0; i < 5; ++i) clk.call_at(sim::at_millis(100), [&got, i] { got.push_back(i); });
  clk.call_at(sim::at_millis(50), [&got] { got.push_back(-1); });
  CHECK(clk.run() == sim::virtual_clock::stop_reason::idle);
  CHECK(got == std::vector<int>{-1, 0, 1, 2, 3, 4});
  CHECK(clk.now() == sim::at_millis(100));
}

TEST_CASE("the clock advances only when nothing is ready") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  std::vector<std::pair<std::string, std::int64_t>> got;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    got.emplace_back("a", sim::millis(clk.now()));
    for (int i = 0; i < 100; ++i) co_await asio::post(ctx, asio::use_awaitable);
    got.emplace_back("b", sim::millis(clk.now()));
    co_await clk.sleep_for(1h);
    got.emplace_back("c", sim::millis(clk.now()));
  }, asio::detached);
  clk.call_at(sim::at_millis(1), [&] { got.emplace_back("timer", sim::millis(clk.now())); });
  clk.run();
  std::vector<std::pair<std::string, std::int64_t>> want{{"a", 0}, {"b", 0}, {"timer", 1}, {"c", 3'600'000}};
  CHECK(got == want);
}

TEST_CASE("run stops at the limit with the clock on the limit") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  bool fired = false;
  clk.call_at(sim::at_millis(10'000), [&] { fired = true; });
  CHECK(clk.run(sim::at_millis(5'000)) == sim::virtual_clock::stop_reason::limit);
  CHECK_FALSE(fired);
  CHECK(clk.now() == sim::at_millis(5'000));
  CHECK(clk.run() == sim::virtual_clock::stop_reason::idle);
  CHECK(fired);
}

TEST_CASE("cancelled timers never fire") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  int fired = 0;
  auto id = clk.call_at(sim::at_millis(10), [&] { ++fired; });
  clk.call_at(sim::at_millis(20), [&] { ++fired; });
  CHECK(clk.cancel(id));
  CHECK_FALSE(clk.cancel(id));
  clk.run();
  CHECK(fired == 1);
  CHECK(clk.now() == sim::at_millis(20));
}

TEST_CASE("with_timeout bounds an awaitable in virtual time") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  std::optional<int> fast, slow;
  std::int64_t slow_done_at = -1;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    auto work = [&](sim::duration d) -> asio::awaitable<int> {
      co_await clk.sleep_for(d);
      co_return 42;
    };
    fast = co_await sim::with_timeout(clk, 5min, work(1min));
    slow = co_await sim::with_timeout(clk, 5min, work(2h));
    slow_done_at = sim::millis(clk.now());
  }, asio::detached);
  clk.run();
  CHECK(fast == 42);
  CHECK_FALSE(slow.has_value());
  CHECK(slow_done_at == 6 * 60'000);
  // The cancelled 2h sleep left no timer behind: the run ended at 6 minutes.
  CHECK(clk.now() == sim::at_millis(6 * 60'000));
}

TEST_CASE("a deadline cancels the operation bound to it, one that wins leaves no timer") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  bool fast_ok = false, slow_expired = false, outer_expired = true;
  sim::error_code slow_ec, outer_ec;
  std::size_t timers_after_fast = 99;
  std::int64_t slow_done_at = -1;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    {
      sim::deadline d(clk, 5min);
      auto [ec] = co_await clk.async_wait_until(clk.now() + 1min, d.bind(asio::as_tuple(asio::use_awaitable)));
      fast_ok = !ec && !d.expired();
    }
    timers_after_fast = clk.pending_timers();
    sim::deadline d(clk, 5min);
    auto [ec] = co_await clk.async_wait_until(clk.now() + 2h, d.bind(asio::as_tuple(asio::use_awaitable)));
    slow_ec = ec;
    slow_expired = d.expired();
    slow_done_at = sim::millis(clk.now());
  }, asio::detached);
  // Cancelling the coroutine itself (a host crashing) reaches the bound
  // operation too, through follow().
  asio::cancellation_signal crash;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    sim::deadline d(clk, 1h);
    auto cancellation = co_await asio::this_coro::cancellation_state;
    d.follow(cancellation.slot());
    auto [ec] = co_await clk.async_wait_until(clk.now() + 2h, d.bind(asio::as_tuple(asio::use_awaitable)));
    outer_ec = ec;
    outer_expired = d.expired();
  }, asio::bind_cancellation_slot(crash.slot(), asio::detached));
  clk.call_at(sim::at_millis(30'000), [&] { crash.emit(asio::cancellation_type::terminal); });
  clk.run();
  CHECK(fast_ok);
  CHECK(timers_after_fast == 0);  // the winner took its deadline with it
  CHECK(slow_ec == asio::error::operation_aborted);
  CHECK(slow_expired);
  CHECK(slow_done_at == 6 * 60'000);
  CHECK(outer_ec == asio::error::operation_aborted);
  CHECK_FALSE(outer_expired);
  CHECK(clk.now() == sim::at_millis(6 * 60'000));
}

TEST_CASE("five simulated days of timers run to completion") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  std::uint64_t ticks = 0;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    while (clk.now() < sim::at_millis(5LL * 86'400'000)) {
      co_await clk.sleep_for(1s);
      ++ticks;
    }
  }, asio::detached);
  clk.run();
  CHECK(ticks == 5 * 86'400);
  CHECK(clk.now() == sim::at_millis(5LL * 86'400'000));
  CHECK(clk.wall_now() == start() + std::chrono::days{5});
}

TEST_CASE("a session deadline re-armed for each operation cancels only the late one") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, start());
  std::vector<std::pair<std::string, std::int64_t>> got;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    sim::session_deadline d(clk);
    auto cancellation = co_await asio::this_coro::cancellation_state;
    for (auto wait : {1s, 10s, 2s}) {
      d.arm(5s, cancellation.slot());
      auto [ec] = co_await clk.async_wait_until(clk.now() + wait, d.bind(asio::as_tuple(asio::use_awaitable)));
      bool expired = d.expired();
      d.disarm();
      got.emplace_back(ec ? (expired ? "expired" : "error") : "done", sim::millis(clk.now()));
    }
  }, asio::detached);
  clk.run();
  // The limit of 5 s cut the 10 s wait; the others finished, and no timer
  // was left behind (the clock stops at the last completion).
  std::vector<std::pair<std::string, std::int64_t>> want{{"done", 1000}, {"expired", 6000}, {"done", 8000}};
  CHECK(got == want);
  CHECK(clk.now() == sim::at_millis(8000));
}
