// Tests for sim/net/tcp_stream: the live-mode twin over loopback TCP.
#include <catch2/catch.hpp>

#include <optional>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/real_clock.hpp"
#include "sim/core/timeout.hpp"
#include "sim/net/tcp_stream.hpp"

using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

TEST_CASE("tcp_stream carries bytes and EOF over loopback, and reads honour timeouts") {
  asio::io_context ctx;
  sim::real_clock clk(ctx, sim::real_clock::system_now());
  sim::recording_trace tr;
  tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto port = acceptor.local_endpoint().port();
  std::string server_got, client_got;
  sim::error_code server_end;
  bool client_timed_out = false;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    auto sock = co_await acceptor.async_accept(asio::use_awaitable);
    sim::net::tcp_stream s(std::move(sock), "s1", {"srv", "127.0.0.1", port}, {"-", "127.0.0.1", 0}, &tr);
    std::vector<char> buf(3);
    while (server_got.size() < 19) {
      auto r = co_await s.read_some(buf);
      if (r.ec) break;
      server_got.append(buf.data(), r.bytes);
    }
    co_await clk.sleep_for(200ms);  // say nothing for a while: the client's read times out
    co_await s.write_all("bye\r\n");
    auto r = co_await s.read_some(buf);
    server_end = r.ec;
    s.close();
  }, asio::detached);
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    tcp::socket sock(ctx);
    co_await sock.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
    sim::net::tcp_stream c(std::move(sock), "c1", {"-", "127.0.0.1", 0}, {"srv", "127.0.0.1", port});
    co_await c.write_all("hello over loopback");
    std::vector<char> buf(64);
    auto first = co_await sim::with_timeout(clk, 50ms, c.read_some(buf));
    client_timed_out = !first.has_value();
    auto r = co_await c.read_some(buf);
    if (!r.ec) client_got.assign(buf.data(), r.bytes);
    c.close();
  }, asio::detached);
  ctx.run_for(5s);
  CHECK(server_got == "hello over loopback");
  CHECK(client_timed_out);
  CHECK(client_got == "bye\r\n");
  CHECK(server_end == asio::error::eof);
  REQUIRE(tr.events().size() == 1);
  CHECK(tr.events()[0]["event"] == "net.close");
}

// write_now: a short write goes out at once; one larger than the socket's
// buffers is cut short, and the write_all that follows sends only the rest
// (every byte arrives once, in order).
TEST_CASE("tcp_stream write_now sends at once and a write cut short is finished by write_all") {
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto port = acceptor.local_endpoint().port();
  std::string big(32 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  std::string got;
  std::optional<sim::error_code> small_done, big_done;
  sim::error_code rest;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    auto sock = co_await acceptor.async_accept(asio::use_awaitable);
    std::vector<char> buf(65536);
    while (true) {
      auto [ec, n] = co_await sock.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      got.append(buf.data(), n);
    }
  }, asio::detached);
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    tcp::socket sock(ctx);
    co_await sock.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
    sim::net::tcp_stream c(std::move(sock), "c1", {"-", "127.0.0.1", 0}, {"srv", "127.0.0.1", port});
    small_done = c.write_now("250 2.0.0 Ok\r\n");
    big_done = c.write_now(big);
    if (!big_done) rest = co_await c.write_all(big);
    c.close();
  }, asio::detached);
  ctx.run_for(10s);
  REQUIRE(small_done.has_value());
  CHECK(!*small_done);
  CHECK(!big_done.has_value());  // 32 MiB never fits the loopback buffers at once
  CHECK(!rest);
  REQUIRE(got.size() == 14 + big.size());
  CHECK(got.substr(0, 14) == "250 2.0.0 Ok\r\n");
  CHECK(got.substr(14) == big);
}
