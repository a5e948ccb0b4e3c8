// tests/sim/http/server_support.hpp - a server with the fake world on 127.0.0.1, and a raw client.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "sim/core/real_clock.hpp"
#include "sim/core/timeout.hpp"
#include "sim/http/server.hpp"
#include "tests/sim/http/fake_world.hpp"

namespace sim::http::testing {

namespace bhttp = boost::beast::http;
using asio::as_tuple;
using asio::use_awaitable;
using namespace std::chrono_literals;

struct live {
  asio::io_context& ctx;
  sim::real_clock& clock;
  fake_world& world;
  server& srv;
  std::uint16_t port;
};

// Short timers, so that timeouts are seen within a second.
inline server_options quick_options() {
  server_options o;
  o.timers.head = 400ms;
  o.timers.body = 400ms;
  o.timers.idle = 2s;
  o.timers.write = 400ms;
  o.timers.heartbeat = 150ms;
  return o;
}

// Runs `body` against a fresh server; stops the server when it ends and
// waits for every connection to finish.  A 30 s watchdog fails a hang.
inline void run_live(server_options options, std::function<asio::awaitable<void>(live)> body) {
  asio::io_context ctx;
  sim::real_clock clock(ctx, sim::real_clock::system_now());
  fake_world world;
  server srv(ctx, clock, world, options);
  auto address = srv.start("127.0.0.1:0");
  auto port = static_cast<std::uint16_t>(std::stoul(address.substr(address.rfind(':') + 1)));
  std::exception_ptr failure;
  bool hung = false;
  auto watchdog = clock.call_after(30s, [&] {
    hung = true;
    ctx.stop();
  });
  asio::co_spawn(ctx, body(live{ctx, clock, world, srv, port}), [&](std::exception_ptr e) {
    failure = e;
    srv.stop();
    clock.cancel(watchdog);
  });
  ctx.run();
  REQUIRE_FALSE(hung);
  if (failure) std::rethrow_exception(failure);
  CHECK(srv.open_connections() == 0);
}

class client {
 public:
  explicit client(live& l) : l_(l), socket_(l.ctx) {}

  // (Catch's macros are never given a co_await expression: GCC 12 mishandles
  // temporaries of an awaited call inside them.)
  asio::awaitable<error_code> try_connect() {
    auto [ec] = co_await socket_.async_connect({asio::ip::make_address("127.0.0.1"), l_.port}, as_tuple(use_awaitable));
    co_return ec;
  }
  asio::awaitable<void> connect() {
    auto ec = co_await try_connect();
    REQUIRE_FALSE(ec);
  }
  asio::awaitable<void> send(std::string bytes) {
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(bytes), as_tuple(use_awaitable));
    REQUIRE_FALSE(ec);
  }
  // One response (Content-Length, chunked or up to the end); nullopt when the connection ended first.
  asio::awaitable<std::optional<bhttp::response<bhttp::string_body>>> response(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    auto got = co_await sim::with_timeout(l_.clock, 5s, bhttp::async_read(socket_, buffer_, parser, as_tuple(use_awaitable)));
    if (!got || std::get<0>(*got)) co_return std::nullopt;
    co_return parser.release();
  }
  // Everything until the server closes (at most 5 s): "" at once when it closed already.
  asio::awaitable<std::string> until_closed() {
    std::string out(static_cast<const char*>(buffer_.cdata().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    std::array<char, 65536> chunk;
    while (true) {
      auto got = co_await sim::with_timeout(l_.clock, 5s, socket_.async_read_some(asio::buffer(chunk), as_tuple(use_awaitable)));
      REQUIRE(got);  // not closed within 5 s: a hang
      if (std::get<0>(*got)) co_return out;
      out.append(chunk.data(), std::get<1>(*got));
    }
  }
  asio::ip::tcp::socket& socket() { return socket_; }
  boost::beast::flat_buffer& buffer() { return buffer_; }

 private:
  live& l_;
  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

inline std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra) + "\r\n";
}

inline std::string post(std::string_view target, std::string_view body, std::string_view extra = "") {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

inline json body_of(const bhttp::response<bhttp::string_body>& r) { return json::parse(r.body()); }

}  // namespace sim::http::testing
