// bench_stream - request/reply round trips per second over the in-memory stream.
//
// A client writes a 16-byte request and waits for a 16-byte reply; the
// server echoes.  Zero latency (the kernel still schedules every delivery
// through the virtual clock).
#include <cstdlib>

#include "bench_util.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/net/network.hpp"

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  const long trips = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, sim::wall_time{});
  sim::trace tr(&clk);
  sim::net::network net(clk, tr);
  net.set_latency(0ms);
  net.add_host("client", "192.0.2.1");
  net.add_host("server", "192.0.2.2");
  net.listen("server", 7, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    asio::co_spawn(ctx, [s]() -> asio::awaitable<void> {
      char buf[64];
      for (;;) {
        auto r = co_await s->read_some(buf);
        if (r.ec) break;
        co_await s->write_all(std::string_view(buf, r.bytes));
      }
    }, asio::detached);
  });
  long done = 0;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    auto c = co_await net.connect("client", "192.0.2.2", 7, 30s);
    char buf[64];
    const std::string_view request = "0123456789abcdef";
    for (long i = 0; i < trips; ++i) {
      co_await c.conn->write_all(request);
      std::size_t got = 0;
      while (got < request.size()) {
        auto r = co_await c.conn->read_some(std::span<char>(buf, sizeof buf));
        if (r.ec) co_return;
        got += r.bytes;
      }
      ++done;
    }
    c.conn->close();
  }, asio::detached);
  double s = bench::seconds_for([&] { clk.run(); });
  bench::report("in-memory request/reply round trips", static_cast<double>(done), s);
}
