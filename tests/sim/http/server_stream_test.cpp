// Trace streams (Server-Sent Events) on a real socket: follow, limit, heartbeat,
// resume, backpressure, and what stop() does to every kind of connection.
#include "tests/sim/http/server_support.hpp"

using namespace sim::http;
using namespace sim::http::testing;

namespace {

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A stream being read: its head, then its body as it grows.
class stream_reader {
 public:
  explicit stream_reader(client& c) : c_(c) { parser_.body_limit(64 * 1024 * 1024); }

  asio::awaitable<void> open(live& l, std::string request) {
    co_await c_.connect();
    co_await c_.send(std::move(request));
    auto head = co_await sim::with_timeout(l.clock, 5s, bhttp::async_read_header(c_.socket(), c_.buffer(), parser_, as_tuple(use_awaitable)));
    REQUIRE(head);
    REQUIRE_FALSE(std::get<0>(*head));
  }
  // Reads until `done(body)` or the end of the message; false when 5 s pass first.
  asio::awaitable<bool> until(live& l, std::function<bool(const std::string&)> done) {
    while (!done(body()) && !parser_.is_done()) {
      auto got = co_await sim::with_timeout(l.clock, 5s, bhttp::async_read_some(c_.socket(), c_.buffer(), parser_, as_tuple(use_awaitable)));
      if (!got) co_return false;
      if (std::get<0>(*got)) break;
    }
    co_return done(body()) || parser_.is_done();
  }
  const std::string& body() { return parser_.get().body(); }
  const bhttp::response<bhttp::string_body>& head() { return parser_.get(); }
  bool ended() const { return parser_.is_done(); }

 private:
  client& c_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

TEST_CASE("?follow: past events, then each new one as it happens") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    l.world.emit("mx1.example.org", "sim", "tick", {{"n", 1}});
    client c(l);
    stream_reader s(c);
    co_await s.open(l, get("/api/v1/trace?follow"));
    CHECK(s.head().result_int() == 200);
    CHECK(s.head()[bhttp::field::content_type] == "text/event-stream");
    CHECK(s.head().chunked());
    CHECK(s.head()[bhttp::field::cache_control] == "no-store");
    bool read1 = co_await s.until(l, [](const std::string& b) { return count_of(b, "\n\n") >= 2; });
    REQUIRE(read1);
    CHECK(s.body().starts_with("id: 0\ndata: {\"seq\":0,"));
    CHECK(s.body().find("id: 1\ndata: {\"seq\":1,\"t\":0,\"host\":\"mx1.example.org\",\"agent\":\"sim\",\"event\":\"tick\",\"n\":1}\n\n") !=
          std::string::npos);
    l.world.advance(1500ms);
    l.world.send({{"from", "alice@sender.test"}, {"to", {"bob@example.org"}}, {"subject", "live"}});
    bool read2 = co_await s.until(l, [](const std::string& b) { return b.find("\"event\":\"lda.deliver\"") != std::string::npos; });
    REQUIRE(read2);
    CHECK(s.body().find("id: 2\ndata: {\"seq\":2,\"t\":1500,") != std::string::npos);
    CHECK_FALSE(s.ended());
    CHECK(l.world.watchers() == 1);
  });
}

TEST_CASE("?limit ends the stream with the last chunk, Last-Event-ID resumes after it") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    for (int i = 0; i < 5; ++i) l.world.emit("h", "sim", "tick", {{"n", i}});
    client c(l);
    stream_reader s(c);
    co_await s.open(l, get("/api/v1/trace?follow&since=1&limit=3"));
    bool read3 = co_await s.until(l, [](const std::string&) { return false; });
    REQUIRE(read3);
    CHECK(s.ended());
    CHECK(count_of(s.body(), "id: ") == 3);
    CHECK(s.body().starts_with("id: 1\n"));
    auto rest4 = co_await c.until_closed();
    CHECK(rest4.empty());
    client again(l);
    stream_reader r(again);
    co_await r.open(l, get("/api/v1/trace?follow&limit=2", "Last-Event-ID: 3\r\n"));
    bool read5 = co_await r.until(l, [](const std::string&) { return false; });
    REQUIRE(read5);
    CHECK(r.body().starts_with("id: 4\n"));
    CHECK(count_of(r.body(), "id: ") == 2);
  });
}

TEST_CASE("an idle stream gets a comment every heartbeat") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    client c(l);
    stream_reader s(c);
    co_await s.open(l, get("/api/v1/trace?follow&since=1"));
    bool read6 = co_await s.until(l, [](const std::string& b) { return count_of(b, ": keep-alive\n\n") >= 2; });
    REQUIRE(read6);
    CHECK(s.body().find("id: ") == std::string::npos);
  });
}

TEST_CASE("HTTP/1.0: the stream is not chunked and ends with the connection") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) l.world.emit("h", "sim", "tick");
    client c(l);
    co_await c.connect();
    co_await c.send("GET /api/v1/trace?follow&limit=2 HTTP/1.0\r\n\r\n");
    auto all = co_await c.until_closed();
    CHECK(all.starts_with("HTTP/1.0 200 OK\r\n"));
    CHECK(all.find("Transfer-Encoding") == std::string::npos);
    CHECK(all.ends_with("\r\n\r\nid: 0\ndata: {\"seq\":0,\"t\":0,\"host\":\"-\",\"agent\":\"sim\",\"event\":\"sim.start\",\"scenario\":\"fake\",\"seed\":1}\n\n"
                        "id: 1\ndata: {\"seq\":1,\"t\":0,\"host\":\"h\",\"agent\":\"sim\",\"event\":\"tick\"}\n\n"));
  });
}

TEST_CASE("backpressure: a reader that stops reading stops the feed, and is dropped after the write timeout") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    client c(l);
    stream_reader s(c);
    co_await s.open(l, get("/api/v1/trace?follow"));
    asio::socket_base::receive_buffer_size small(4096);
    c.socket().set_option(small);
    const std::string filler(64 * 1024, 'x');
    const int total = 600;  // about 40 MB: far more than the socket buffers hold
    for (int i = 0; i < total; ++i) {
      l.world.emit("h", "sim", "big", {{"filler", filler}});
      if (i % 50 == 0) co_await l.clock.sleep_for(1ms);
    }
    co_await l.clock.sleep_for(1500ms);
    CHECK(l.srv.open_connections() == 0);
    CHECK(l.world.watchers() == 0);
    CHECK(l.world.handed_out() < static_cast<std::uint64_t>(total / 2));
  });
}

TEST_CASE("stop(): idle connections close, a stream ends with its last chunk, nothing new is accepted") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    client idle(l);
    co_await idle.connect();
    co_await idle.send(get("/api/v1/hosts"));
    auto reply7 = co_await idle.response();
    REQUIRE(reply7);
    client watcher(l);
    stream_reader s(watcher);
    co_await s.open(l, get("/api/v1/trace?follow"));
    bool read8 = co_await s.until(l, [](const std::string& b) { return b.find("id: 0") != std::string::npos; });
    REQUIRE(read8);
    CHECK(l.srv.open_connections() == 2);
    l.srv.stop();
    auto rest9 = co_await idle.until_closed();
    CHECK(rest9.empty());
    bool read10 = co_await s.until(l, [](const std::string&) { return false; });
    REQUIRE(read10);
    CHECK(s.ended());
    auto rest11 = co_await watcher.until_closed();
    CHECK(rest11.empty());
    client late(l);
    auto refused = co_await late.try_connect();
    CHECK(refused);
    CHECK(l.srv.open_connections() == 0);
  });
}
