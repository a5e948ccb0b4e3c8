// tests/sim/pop3/session_test.cpp - client_session + server_session over the
// in-memory network, in virtual time: the fetch, the trace, the lock, drops
// and timers.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/net/network.hpp"
#include "sim/pop3/client_session.hpp"
#include "sim/pop3/memory_maildrop.hpp"
#include "sim/pop3/server_session.hpp"

using namespace std::chrono_literals;
using namespace sim::pop3;

namespace {

const std::string server_host = "mx1.example.org";
const std::string server_ip = "198.51.100.10";
const std::string client_host = "pc.example.org";
const std::string message_one = "Subject: one\r\n\r\nhello\r\n";
const std::string message_two = "Subject: two\r\n\r\n.dot\r\n..\r\n.\r\n";

struct world {
  world() {
    net.add_host(client_host, "192.0.2.10");
    net.add_host(server_host, server_ip);
    drop.add_user("bob@example.org", "pw");
    drop.deliver("bob@example.org", message_one);
    drop.deliver("bob@example.org", message_two);
  }
  void listen(server_options options = {}) {
    options.host = server_host;
    net.listen(server_host, 110, [this, options](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
      spawn(server_session(std::move(s), drop, clk, tr, options));
    });
  }
  // An awaitable, or a coroutine lambda (co_spawn keeps the lambda, and so
  // its captures, alive until it finishes).
  template <typename F>
  void spawn(F&& f) {
    asio::co_spawn(ctx, std::forward<F>(f), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  asio::awaitable<std::shared_ptr<sim::net::stream>> connect() {
    auto c = co_await net.connect(client_host, server_ip, 110, 30s);
    co_return c.conn;
  }
  // Runs one fetch to completion.
  fetch_result fetch(fetch_config config) {
    fetch_result out;
    spawn([&]() -> asio::awaitable<void> {
      auto conn = co_await connect();
      client_options options{client_host, config, limits::reply_timeout};
      out = co_await client_session(conn, clk, tr, std::move(options));
    });
    clk.run();
    return out;
  }
  // The `line` of each event with this name.
  std::vector<std::string> lines(const std::string& event) const {
    std::vector<std::string> out;
    for (const auto& e : tr.events()) {
      if (e["event"] == event) out.push_back(e["line"].get<std::string>());
    }
    return out;
  }

  asio::io_context ctx;
  sim::virtual_clock clk{ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::recording_trace tr{&clk};
  sim::net::network net{clk, tr};
  memory_maildrop drop;
};

// A raw client: sends `input`, then reads until the server closes.
asio::awaitable<std::string> converse(world& w, std::string input, bool reset_after) {
  auto conn = co_await w.connect();
  co_await conn->write_all(input);
  std::string got;
  std::array<char, 64> buf;
  if (reset_after) {
    co_await w.clk.sleep_for(1s);
    conn->reset();
    co_return got;
  }
  for (;;) {
    auto r = co_await conn->read_some(std::span<char>(buf));
    if (r.ec) break;
    got.append(buf.data(), r.bytes);
  }
  co_return got;
}

}  // namespace

TEST_CASE("pop3 session: the MUA fetches and deletes every message") {
  world w;
  w.listen();
  auto got = w.fetch({"bob@example.org", "pw", true});
  CHECK(got.error == fetch_error::none);
  REQUIRE(got.messages.size() == 2);
  CHECK(got.messages[0].content == message_one);
  CHECK(got.messages[1].content == message_two);
  CHECK(w.drop.messages("bob@example.org").empty());
  CHECK_FALSE(w.drop.is_locked("bob@example.org"));

  CHECK(w.lines("pop3.command") == std::vector<std::string>{"USER bob@example.org", "PASS ********", "STAT",
                                                           "RETR 1", "DELE 1", "RETR 2", "DELE 2", "QUIT"});
  auto total = std::to_string(message_one.size() + message_two.size());
  CHECK(w.lines("pop3.reply") ==
        std::vector<std::string>{"+OK POP3 server ready", "+OK send PASS",
                                 "+OK maildrop has 2 messages (" + total + " octets)", "+OK 2 " + total,
                                 "+OK " + std::to_string(message_one.size()) + " octets", "+OK message 1 deleted",
                                 "+OK " + std::to_string(message_two.size()) + " octets", "+OK message 2 deleted",
                                 "+OK POP3 server signing off (maildrop empty)"});
  // Who said what, in which session; the password appears nowhere.
  std::string session = w.tr.events().front()["session"];
  std::string last;
  for (const auto& e : w.tr.events()) {
    CHECK(e.dump().find("\"PASS pw") == std::string::npos);
    if (e["event"] == "pop3.command") {
      CHECK(e["host"] == client_host);
      CHECK(e["agent"] == "mua");
      CHECK(e["peer"] == server_host);
      CHECK(e["session"] == session);
      CHECK(last == "pop3.reply");  // one command per response, in turn
    } else if (e["event"] == "pop3.reply") {
      CHECK(e["host"] == server_host);
      CHECK(e["agent"] == "pop3");
      CHECK(e["peer"] == client_host);
      CHECK(e["session"] == session);
    }
    last = e["event"];
  }
}

TEST_CASE("pop3 session: delete=false leaves the messages, and writes split anywhere change nothing") {
  world w;
  w.net.set_split_writes(sim::random_stream(7));
  w.listen();
  auto got = w.fetch({"bob@example.org", "pw", false});
  CHECK(got.error == fetch_error::none);
  REQUIRE(got.messages.size() == 2);
  CHECK(got.messages[1].content == message_two);
  CHECK(w.drop.messages("bob@example.org").size() == 2);
  CHECK(w.lines("pop3.command").size() == 6);
}

TEST_CASE("pop3 session: a locked maildrop gives -ERR [IN-USE], a bad password [AUTH]") {
  world w;
  w.listen();
  REQUIRE(w.drop.try_lock("bob@example.org"));
  auto got = w.fetch({"bob@example.org", "pw", true});
  CHECK(got.error == fetch_error::in_use);
  CHECK(got.reply == "-ERR [IN-USE] maildrop is locked by another session");
  CHECK(got.messages.empty());
  w.drop.unlock("bob@example.org");
  got = w.fetch({"bob@example.org", "wrong", true});
  CHECK(got.error == fetch_error::auth);
  CHECK(w.drop.messages("bob@example.org").size() == 2);
  CHECK_FALSE(w.drop.is_locked("bob@example.org"));
}

TEST_CASE("pop3 session: a dropped connection deletes nothing and releases the lock") {
  world w;
  w.listen();
  w.spawn([&]() -> asio::awaitable<void> {
    co_await converse(w, "USER bob@example.org\r\nPASS pw\r\nDELE 1\r\nDELE 2\r\n", true);
  });
  w.clk.run();
  CHECK(w.drop.messages("bob@example.org").size() == 2);
  CHECK_FALSE(w.drop.is_locked("bob@example.org"));
  CHECK(w.lines("pop3.reply").back() == "+OK message 2 deleted");
}

TEST_CASE("pop3 session: the idle timer closes silently after 10 minutes, without UPDATE") {
  world w;
  w.listen();
  std::string got;
  sim::time_point closed_at;
  w.spawn([&]() -> asio::awaitable<void> {
    got = co_await converse(w, "USER bob@example.org\r\nPASS pw\r\nDELE 1\r\n", false);
    closed_at = w.clk.now();
  });
  w.clk.run();
  CHECK(got.ends_with("+OK message 1 deleted\r\n"));  // nothing after it
  CHECK(closed_at >= sim::time_point{} + limits::idle_timeout);
  CHECK(closed_at < sim::time_point{} + limits::idle_timeout + 1s);
  CHECK(w.drop.messages("bob@example.org").size() == 2);
  CHECK_FALSE(w.drop.is_locked("bob@example.org"));
}

TEST_CASE("pop3 session: in live mode the server traces the client's commands, masked") {
  world w;
  server_options options;
  options.trace_commands = true;
  w.listen(options);
  w.spawn([&]() -> asio::awaitable<void> {
    co_await converse(w, "USER bob@example.org\r\nPASS pw\r\nQUIT\r\n", false);
  });
  w.clk.run();
  CHECK(w.lines("pop3.command") == std::vector<std::string>{"USER bob@example.org", "PASS ********", "QUIT"});
  for (const auto& e : w.tr.events()) {
    if (e["event"] == "pop3.command") {
      CHECK(e["host"] == server_host);
      CHECK(e["agent"] == "pop3");
      CHECK(e["peer"] == client_host);
    }
  }
}

TEST_CASE("pop3 session: the MUA gives up on a server that never answers") {
  world w;
  std::vector<std::shared_ptr<sim::net::stream>> held;
  w.net.listen(server_host, 110, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    held.push_back(std::move(s));
  });
  auto got = w.fetch({"bob@example.org", "pw", true});
  CHECK(got.error == fetch_error::timeout);
  CHECK(w.clk.now() >= sim::time_point{} + limits::reply_timeout);
  CHECK(w.lines("pop3.command").empty());
}

TEST_CASE("pop3 session: the server going away mid-dialogue is a closed fetch") {
  world w;
  w.net.listen(server_host, 110, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    w.spawn([s]() -> asio::awaitable<void> {
      co_await s->write_all("+OK hi\r\n");
      s->close();
    });
  });
  auto got = w.fetch({"bob@example.org", "pw", true});
  CHECK(got.error == fetch_error::closed);
  CHECK(w.lines("pop3.command") == std::vector<std::string>{"USER bob@example.org"});
}

TEST_CASE("pop3 session: ten wrong passwords over many connections lock the client out, the right one included") {
  world w;
  login_limiter limiter(10, 1h);
  server_options o;
  o.limiter = &limiter;
  w.listen(o);
  std::vector<std::string> answers;
  // Nine connections of one wrong guess each, then one of two: 11 guesses.
  for (int i = 0; i < 10; ++i) {
    std::string guesses = "USER bob@example.org\r\nPASS guess\r\n";
    if (i == 9) guesses += guesses;
    w.spawn([&w, &answers, guesses]() -> asio::awaitable<void> {
      answers.push_back(co_await converse(w, guesses + "QUIT\r\n", false));
    });
    w.clk.run();
  }
  CHECK(answers[8].find("-ERR [AUTH]") != std::string::npos);
  CHECK(answers[9].find("-ERR [SYS/TEMP] too many failed logins") != std::string::npos);
  // Now even the right password is refused, and the connection closes.
  w.spawn([&w, &answers]() -> asio::awaitable<void> {
    answers.push_back(co_await converse(w, "USER bob@example.org\r\nPASS pw\r\nSTAT\r\n", false));
  });
  w.clk.run();
  CHECK(answers[10] == "+OK POP3 server ready\r\n+OK send PASS\r\n"
                       "-ERR [SYS/TEMP] too many failed logins from your address, try again later\r\n");
  CHECK_FALSE(w.drop.is_locked("bob@example.org"));
  std::size_t rejected = 0, refused = 0;
  for (const auto& e : w.tr.events()) {
    if (e["event"] != "policy.check") continue;
    CHECK(e["check"] == "pop3_login");
    rejected += e["result"] == "reject";
    refused += e["result"] == "refused";
  }
  CHECK(rejected == 10);
  CHECK(refused == 2);
  // An hour after the first failure the address may try again.
  w.spawn([&w, &answers]() -> asio::awaitable<void> {
    co_await w.clk.sleep_for(1h);
    answers.push_back(co_await converse(w, "USER bob@example.org\r\nPASS pw\r\nQUIT\r\n", false));
  });
  w.clk.run();
  CHECK(answers[11].find("+OK maildrop has 2 messages") != std::string::npos);
}
