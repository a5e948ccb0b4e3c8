// bench_scheduler - virtual-clock timer events per second.
//
// 1000 coroutines each sleep random virtual delays in a loop; every wakeup
// is one timer event through the kernel (schedule, jump, fire, resume).
// Also plain callbacks (call_at) without coroutines.
#include <cstdlib>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "sim/core/random.hpp"
#include "sim/core/virtual_clock.hpp"

int main(int argc, char** argv) {
  const long total = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  {
    asio::io_context ctx;
    sim::virtual_clock clk(ctx, sim::wall_time{});
    sim::random_source src(1);
    const int workers = 1000;
    for (int w = 0; w < workers; ++w) {
      asio::co_spawn(ctx, [&clk, rng = src.stream(fmt::format("w{}", w)), n = total / workers]() mutable
                         -> asio::awaitable<void> {
        for (long i = 0; i < n; ++i) co_await clk.sleep_for(sim::duration{rng.between(1, 60'000)});
      }, asio::detached);
    }
    double s = bench::seconds_for([&] { clk.run(); });
    bench::report("coroutine sleeps (timer events)", static_cast<double>(clk.fired_timers()), s);
  }
  {
    asio::io_context ctx;
    sim::virtual_clock clk(ctx, sim::wall_time{});
    sim::random_stream rng(2);
    long fired = 0;
    std::function<void()> tick = [&] {
      if (++fired < total) clk.call_after(sim::duration{rng.between(1, 60'000)}, tick);
    };
    for (int i = 0; i < 1000; ++i) clk.call_after(sim::duration{rng.between(1, 60'000)}, tick);
    double s = bench::seconds_for([&] { clk.run(); });
    bench::report("call_at callbacks (timer events)", static_cast<double>(clk.fired_timers()), s);
  }
}
