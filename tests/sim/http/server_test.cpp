// The server on a real loopback socket: keep-alive, pipelining, byte splits, limits, timeouts.
#include "tests/sim/http/server_support.hpp"

#include <stdexcept>

using namespace sim::http;
using namespace sim::http::testing;

TEST_CASE("the server binds loopback addresses only") {
  asio::io_context ctx;
  sim::real_clock clock(ctx, sim::real_clock::system_now());
  fake_world world;
  server srv(ctx, clock, world);
  CHECK_THROWS_AS(srv.start("0.0.0.0:0"), std::invalid_argument);
  CHECK_THROWS_AS(srv.start("192.0.2.1:8025"), std::invalid_argument);
  CHECK_THROWS_AS(srv.start("localhost:8025"), std::invalid_argument);
  CHECK_THROWS_AS(srv.start("127.0.0.1"), std::invalid_argument);
  CHECK_THROWS_AS(srv.start("127.0.0.1:65536"), std::invalid_argument);
  auto bound = srv.start("127.0.0.1:0");
  CHECK(bound.starts_with("127.0.0.1:"));
  CHECK(bound != "127.0.0.1:0");
}

TEST_CASE("requests on one connection: keep-alive, HEAD, then Connection: close") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    client c(l);
    co_await c.connect();
    co_await c.send(get("/api/v1/hosts"));
    auto first = co_await c.response();
    REQUIRE(first);
    CHECK(first->result_int() == 200);
    CHECK((*first)[bhttp::field::content_type] == "application/json");
    CHECK(first->keep_alive());
    CHECK((*first)[bhttp::field::date].ends_with(" GMT"));
    CHECK(body_of(*first).size() == 3);
    co_await c.send("HEAD /api/v1/hosts HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto head = co_await c.response(true);
    REQUIRE(head);
    CHECK(head->result_int() == 200);
    CHECK((*head)[bhttp::field::content_length] == std::to_string(first->body().size()));
    CHECK(head->body().empty());
    co_await c.send(get("/api/v1/mailboxes", "Connection: close\r\n"));
    auto last = co_await c.response();
    REQUIRE(last);
    CHECK_FALSE(last->keep_alive());
    auto rest1 = co_await c.until_closed();
    CHECK(rest1.empty());
  });
}

TEST_CASE("pipelined requests are answered in order") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    client c(l);
    co_await c.connect();
    co_await c.send(get("/api/v1/hosts") + get("/nothing") + post("/api/v1/faults", R"({"host":"mx1.example.org","kind":"refuse"})") +
                    get("/api/v1/hosts"));
    auto a = co_await c.response();
    auto b = co_await c.response();
    auto f = co_await c.response();
    auto d = co_await c.response();
    REQUIRE((a && b && f && d));
    CHECK(a->result_int() == 200);
    CHECK(b->result_int() == 404);
    CHECK(f->result_int() == 200);
    CHECK(body_of(*a)[2]["faults"].empty());
    CHECK(body_of(*d)[2]["faults"].size() == 1);
  });
}

TEST_CASE("a request split at every byte offset gets the same answer") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    std::string body = R"({"from":"alice@sender.test","to":["bob@example.org"],"subject":"split"})";
    for (const std::string& request : {get("/api/v1/mailboxes/bob%40example.org/messages"), post("/api/v1/send", body)}) {
      for (std::size_t cut = 1; cut < request.size(); ++cut) {
        INFO("cut at " << cut);
        client c(l);
        co_await c.connect();
        co_await c.send(request.substr(0, cut));
        co_await l.clock.sleep_for(1ms);
        co_await c.send(request.substr(cut));
        auto r = co_await c.response();
        REQUIRE(r);
        CHECK(r->result_int() / 100 == 2);
      }
    }
    CHECK(l.world.messages("bob@example.org").value().size() == post("/api/v1/send", body).size() - 1);
  });
}

TEST_CASE("limits on the wire: 431, 414, 413, 400, each answered and the connection closed") {
  auto options = quick_options();
  options.request_limits.body_bytes = 1000;
  run_live(options, [](live l) -> asio::awaitable<void> {
    auto refused = [&](std::string request) -> asio::awaitable<int> {
      client c(l);
      co_await c.connect();
      co_await c.send(std::move(request));
      auto r = co_await c.response();
      REQUIRE(r);
      CHECK_FALSE(r->keep_alive());
      CHECK((*r)[bhttp::field::content_type] == "application/problem+json");
      co_await c.until_closed();
      co_return r->result_int();
    };
    std::string many;
    for (int i = 0; i < 150; ++i) many += "X-Field-" + std::to_string(i) + ": v\r\n";
    std::string chunked = "POST /api/v1/send HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) chunked += "200\r\n" + std::string(512, ' ') + "\r\n";
    const std::vector<std::pair<std::string, int>> cases = {
        {get("/api/v1/hosts", many), 431},
        {get("/api/v1/hosts", "Cookie: " + std::string(20000, 'c') + "\r\n"), 431},
        {get("/" + std::string(9000, 'a')), 414},
        {get("/" + std::string(40000, 'a')), 414},
        {"POST /api/v1/send HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{", 413},
        {chunked + "0\r\n\r\n", 413},
        {"HELLO\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
        {"GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417},
    };
    for (const auto& [request, status] : cases) {
      INFO(request.substr(0, 80));
      int got = co_await refused(request);
      CHECK(got == status);
    }
  });
}

TEST_CASE("Expect: 100-continue: Continue, then the answer, a body too large is refused unread") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    std::string body = R"({"host":"mx1.example.org","kind":"timeout"})";
    client c(l);
    co_await c.connect();
    co_await c.send("POST /api/v1/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
    std::array<char, 64> interim{};
    auto [ec, n] = co_await asio::async_read(c.socket(), asio::buffer(interim.data(), 25), as_tuple(use_awaitable));
    REQUIRE_FALSE(ec);
    CHECK(std::string(interim.data(), n) == "HTTP/1.1 100 Continue\r\n\r\n");
    co_await c.send(body);
    auto r = co_await c.response();
    REQUIRE(r);
    CHECK(r->result_int() == 200);
    client big(l);
    co_await big.connect();
    co_await big.send("POST /api/v1/faults HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                      "Content-Length: 5000000\r\n\r\n");
    auto refused = co_await big.response();
    REQUIRE(refused);
    CHECK(refused->result_int() == 413);
  });
}

TEST_CASE("timeouts: a silent client is closed, a slow head or body gets 408") {
  run_live(quick_options(), [](live l) -> asio::awaitable<void> {
    auto options = quick_options();
    client quiet(l);
    co_await quiet.connect();
    auto began = l.clock.now();
    auto rest2 = co_await quiet.until_closed();
    CHECK(rest2.empty());
    CHECK(l.clock.now() - began >= options.timers.idle - 50ms);
    client slow_head(l);
    co_await slow_head.connect();
    co_await slow_head.send("GET /api/v1/hosts HTTP/1.1\r\n");
    auto r = co_await slow_head.response();
    REQUIRE(r);
    CHECK(r->result_int() == 408);
    client slow_body(l);
    co_await slow_body.connect();
    co_await slow_body.send("POST /api/v1/send HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a");
    auto b = co_await slow_body.response();
    REQUIRE(b);
    CHECK(b->result_int() == 408);
  });
}

TEST_CASE("connections past the maximum are turned away with 503") {
  auto options = quick_options();
  options.max_connections = 2;
  run_live(options, [](live l) -> asio::awaitable<void> {
    client a(l), b(l), c(l);
    co_await a.connect();
    co_await b.connect();
    co_await a.send(get("/api/v1/hosts"));
    co_await b.send(get("/api/v1/hosts"));
    auto reply3 = co_await a.response();
    REQUIRE(reply3);
    auto reply4 = co_await b.response();
    REQUIRE(reply4);
    co_await c.connect();
    auto busy = co_await c.response();
    REQUIRE(busy);
    CHECK(busy->result_int() == 503);
    CHECK((*busy)[bhttp::field::retry_after] == "1");
    CHECK(l.srv.open_connections() == 2);
  });
}
