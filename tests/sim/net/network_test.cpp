// Tests for sim/net/network: connect, faults, crash and restart.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace std::chrono_literals;
using sim::net::connect_error;
using sim::net::fault;
using sim::net::testing::read_all;
using sim::net::testing::world;

namespace {

struct attempt {
  connect_error error = connect_error::none;
  std::int64_t at = -1;
};

attempt try_connect(world& w, const std::string& ip, std::uint16_t port, sim::duration timeout = 30s) {
  attempt out;
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client", ip, port, timeout);
    out.error = c.error;
    out.at = sim::millis(w.clk.now());
    if (c.conn) c.conn->close();
  });
  w.clk.run();
  return out;
}

void setup(world& w) {
  w.net.add_host("client", "192.0.2.1");
  w.net.add_host("mx1.example.org", "198.51.100.10");
  w.net.listen("mx1.example.org", 25, [](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    s->close();
  });
}

}  // namespace

TEST_CASE("a connection to a listening port is established after a round trip") {
  world w;
  setup(w);
  auto got = try_connect(w, "198.51.100.10", 25);
  CHECK(got.error == connect_error::none);
  CHECK(got.at == 10);
  const auto& e = w.tr.events().front();
  CHECK(e["event"] == "net.connect");
  CHECK(e["host"] == "client");
  CHECK(e["peer"] == "mx1.example.org");
  CHECK(e["ip"] == "198.51.100.10");
  CHECK(e["port"] == 25);
  CHECK(e["session"] == "s1");
}

TEST_CASE("nothing listening means refused at once") {
  world w;
  setup(w);
  auto got = try_connect(w, "198.51.100.10", 587);
  CHECK(got.error == connect_error::refused);
  CHECK(w.event_names() == std::vector<std::string>{"net.connect.refused"});
}

TEST_CASE("an address nobody has times out after the client's connect timeout") {
  world w;
  setup(w);
  auto got = try_connect(w, "203.0.113.99", 25, 30s);
  CHECK(got.error == connect_error::timeout);
  CHECK(got.at == 30'000);
  CHECK(w.tr.events().front()["peer"] == "203.0.113.99");
}

TEST_CASE("faults refuse, time out, reset and slow down, and heal") {
  world w;
  setup(w);
  SECTION("refuse") {
    w.net.add_fault("mx1.example.org", fault{fault::kind::refuse, std::nullopt, {}});
    CHECK(try_connect(w, "198.51.100.10", 25).error == connect_error::refused);
    w.net.clear_faults("mx1.example.org");
    CHECK(try_connect(w, "198.51.100.10", 25).error == connect_error::none);
  }
  SECTION("refuse on another port only") {
    w.net.add_fault("mx1.example.org", fault{fault::kind::refuse, 587, {}});
    CHECK(try_connect(w, "198.51.100.10", 25).error == connect_error::none);
  }
  SECTION("timeout") {
    w.net.add_fault("mx1.example.org", fault{fault::kind::timeout, 25, {}});
    auto got = try_connect(w, "198.51.100.10", 25, 45s);
    CHECK(got.error == connect_error::timeout);
    CHECK(got.at == 45'000);
    CHECK(w.event_names() == std::vector<std::string>{"net.connect.timeout"});
  }
  SECTION("reset") {
    w.net.add_fault("mx1.example.org", fault{fault::kind::reset, std::nullopt, {}});
    sim::error_code ec;
    w.spawn([&]() -> asio::awaitable<void> {
      auto c = co_await w.net.connect("client", "198.51.100.10", 25, 30s);
      ec = (co_await read_all(*c.conn)).second;
    });
    w.clk.run();
    CHECK(ec == asio::error::connection_reset);
    CHECK(w.event_names() == std::vector<std::string>{"net.connect", "net.reset"});
  }
  SECTION("slow") {
    world v;
    v.net.add_host("client", "192.0.2.1");
    v.net.add_host("srv", "192.0.2.2");
    v.net.add_fault("srv", fault{fault::kind::slow, std::nullopt, 2s});
    std::int64_t greeting_at = -1;
    v.net.listen("srv", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
      v.spawn([s]() -> asio::awaitable<void> {
        co_await s->write_all("220 hi\r\n");
        s->close();
      });
    });
    v.spawn([&]() -> asio::awaitable<void> {
      auto c = co_await v.net.connect("client", "192.0.2.2", 25, 30s);
      std::vector<char> buf(64);
      co_await c.conn->read_some(buf);
      greeting_at = sim::millis(v.clk.now());
    });
    v.clk.run();
    CHECK(greeting_at == 10 + 5 + 2000);
  }
}

TEST_CASE("a crashed host resets its streams, refuses nothing and times out until restart") {
  world w;
  w.net.add_host("client", "192.0.2.1");
  w.net.add_host("srv", "192.0.2.2");
  sim::error_code client_saw;
  w.net.listen("srv", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([s]() -> asio::awaitable<void> { co_await read_all(*s); });
  });
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client", "192.0.2.2", 25, 30s);
    client_saw = (co_await read_all(*c.conn)).second;
  });
  w.clk.call_at(sim::at_millis(1000), [&] { w.net.crash("srv"); });
  w.clk.run();
  CHECK(client_saw == asio::error::connection_reset);
  CHECK(w.net.is_down("srv"));
  CHECK(try_connect(w, "192.0.2.2", 25, 30s).error == connect_error::timeout);
  w.net.restart("srv");
  CHECK(try_connect(w, "192.0.2.2", 25).error == connect_error::refused);  // nothing listens yet
  w.net.listen("srv", 25, [](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) { s->close(); });
  CHECK(try_connect(w, "192.0.2.2", 25).error == connect_error::none);
}

TEST_CASE("an outside host is reached through the outside connector, and without one it refuses") {
  world w;
  setup(w);
  w.net.add_host("postfix.sender.test", "192.0.2.25");
  w.net.mark_outside("postfix.sender.test");
  CHECK(w.net.is_outside("postfix.sender.test"));
  CHECK_FALSE(w.net.is_outside("mx1.example.org"));
  CHECK_FALSE(w.net.is_outside("nobody.example"));
  // No connector: no listener of ours is there, the connection is refused.
  auto before = try_connect(w, "192.0.2.25", 25, 10s);
  CHECK(before.error == connect_error::refused);
  std::vector<std::string> calls;
  w.net.set_outside_connector([&](std::string from, std::string to, std::string ip, std::uint16_t port,
                                  sim::duration timeout) -> asio::awaitable<sim::net::connect_result> {
    calls.push_back(from + ">" + to + "@" + ip + ":" + std::to_string(port) + "/" +
                    std::to_string(timeout.count()));
    co_return sim::net::connect_result{nullptr, connect_error::refused};
  });
  auto after = try_connect(w, "192.0.2.25", 25, 10s);
  CHECK(after.error == connect_error::refused);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == "client>postfix.sender.test@192.0.2.25:25/10000");
  // Simulated hosts are still reached through the simulated network.
  CHECK(try_connect(w, "198.51.100.10", 25).error == connect_error::none);
  CHECK(calls.size() == 1);
}
