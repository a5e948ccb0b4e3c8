// Tests for sim/net/memory_stream: TCP semantics in virtual time.
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "sim/core/timeout.hpp"

using namespace std::chrono_literals;
using sim::net::testing::read_all;
using sim::net::testing::world;

namespace {

// A server that echoes everything back, then closes.
void listen_echo(world& w, const std::string& host, std::uint16_t port) {
  w.net.listen(host, port, [&w](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([s]() -> asio::awaitable<void> {
      std::vector<char> buf(5);
      for (;;) {
        auto r = co_await s->read_some(buf);
        if (r.ec) break;
        co_await s->write_all(std::string_view(buf.data(), r.bytes));
      }
      s->close();
    });
  });
}

std::string payload() {
  std::string p;
  for (int i = 0; i < 5000; ++i) p += static_cast<char>('a' + i % 26);
  return p;
}

}  // namespace

TEST_CASE("bytes arrive intact and in order whatever the split") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    world w;
    w.net.add_host("client", "192.0.2.1");
    w.net.add_host("server", "192.0.2.2");
    w.net.set_split_writes(sim::random_stream(seed));
    listen_echo(w, "server", 7);
    std::string got;
    w.spawn([&]() -> asio::awaitable<void> {
      auto c = co_await w.net.connect("client", "192.0.2.2", 7, 30s);
      REQUIRE(c.conn);
      auto p = payload();
      for (std::size_t i = 0; i < p.size(); i += 333) co_await c.conn->write_all(std::string_view(p).substr(i, 333));
      std::vector<char> buf(1 + seed % 13);
      while (got.size() < p.size()) {
        auto r = co_await c.conn->read_some(buf);
        if (r.ec) break;
        got.append(buf.data(), r.bytes);
      }
      c.conn->close();
    });
    w.clk.run();
    CHECK(got == payload());
  }
}

TEST_CASE("close gives the peer EOF after the bytes already sent") {
  world w;
  w.net.add_host("a", "192.0.2.1");
  w.net.add_host("b", "192.0.2.2");
  std::pair<std::string, sim::error_code> got;
  w.net.listen("b", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([&, s]() -> asio::awaitable<void> { got = co_await read_all(*s); });
  });
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("a", "192.0.2.2", 25, 30s);
    co_await c.conn->write_all("hello ");
    co_await c.conn->write_all("world");
    c.conn->close();
  });
  w.clk.run();
  CHECK(got.first == "hello world");
  CHECK(got.second == asio::error::eof);
  CHECK(w.event_names() == std::vector<std::string>{"net.connect", "net.close"});
}

TEST_CASE("reset reaches the peer at once and drops bytes in flight") {
  world w;
  w.net.set_latency(100ms);
  w.net.add_host("a", "192.0.2.1");
  w.net.add_host("b", "192.0.2.2");
  std::pair<std::string, sim::error_code> got;
  std::int64_t failed_at = -1;
  w.net.listen("b", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([&, s]() -> asio::awaitable<void> {
      got = co_await read_all(*s);
      failed_at = sim::millis(w.clk.now());
    });
  });
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("a", "192.0.2.2", 25, 30s);
    co_await c.conn->write_all("lost in flight");
    c.conn->reset();
  });
  w.clk.run();
  CHECK(got.first.empty());
  CHECK(got.second == asio::error::connection_reset);
  CHECK(failed_at == 200);  // the connect's round trip, then at once
  CHECK(w.tr.events().back()["event"] == "net.reset");
  CHECK(w.tr.events().back()["host"] == "a");
}

TEST_CASE("latency delays every write in virtual time") {
  world w;
  w.net.set_latency(40ms);
  w.net.add_host("a", "192.0.2.1");
  w.net.add_host("b", "192.0.2.2");
  std::int64_t arrived = -1;
  w.net.listen("b", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([&, s]() -> asio::awaitable<void> {
      std::vector<char> buf(16);
      co_await s->read_some(buf);
      arrived = sim::millis(w.clk.now());
    });
  });
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("a", "192.0.2.2", 25, 30s);
    co_await c.conn->write_all("x");
    c.conn->close();
  });
  w.clk.run();
  CHECK(arrived == 120);
}

TEST_CASE("a pending read can be cancelled by a timeout") {
  world w;
  w.net.add_host("a", "192.0.2.1");
  w.net.add_host("b", "192.0.2.2");
  std::shared_ptr<sim::net::stream> keep;
  w.net.listen("b", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) { keep = s; });
  std::optional<sim::net::read_result> got = sim::net::read_result{};
  std::int64_t gave_up = -1;
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("a", "192.0.2.2", 25, 30s);
    std::vector<char> buf(16);
    got = co_await sim::with_timeout(w.clk, 5min, c.conn->read_some(buf));
    gave_up = sim::millis(w.clk.now());
    c.conn->close();
  });
  w.clk.run();
  CHECK_FALSE(got.has_value());
  CHECK(gave_up == 10 + 300'000);
}
