// tests/sim/imap/session_test.cpp - client_session + server_session over the
// in-memory network, in virtual time: the fetch, the trace, IDLE with a
// second session and a delivery, the autologout timer, broken servers.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/imap/client_session.hpp"
#include "sim/imap/memory_mail_store.hpp"
#include "sim/imap/server_session.hpp"
#include "sim/net/network.hpp"

using namespace std::chrono_literals;
using namespace sim::imap;

namespace {

const std::string server_host = "mx1.example.org";
const std::string server_ip = "198.51.100.10";
const std::string client_host = "pc.example.org";
const std::string message_one = "Subject: one\r\n\r\nhello\r\n";
const std::string message_two = "Subject: two\r\n\r\n.dot\r\n{5}\r\n";

struct world {
  world() {
    net.add_host(client_host, "192.0.2.10");
    net.add_host(server_host, server_ip);
    store.add_user("bob@example.org", "pw");
    store.deliver("bob@example.org", message_one, clk.wall_now());
    store.deliver("bob@example.org", message_two, clk.wall_now());
  }
  void listen(server_options options = {}) {
    options.host = server_host;
    net.listen(server_host, 143, [this, options](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
      spawn(server_session(std::move(s), store, clk, tr, options));
    });
  }
  template <typename F>
  void spawn(F&& f) {
    asio::co_spawn(ctx, std::forward<F>(f), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  asio::awaitable<std::shared_ptr<sim::net::stream>> connect() {
    auto c = co_await net.connect(client_host, server_ip, 143, 30s);
    co_return c.conn;
  }
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
  memory_mail_store store;
};

// A scripted client: writes, then reads until `until` has arrived.
struct raw_client {
  std::shared_ptr<sim::net::stream> conn;
  std::string got;

  asio::awaitable<void> say(std::string bytes) { co_await conn->write_all(bytes); }
  asio::awaitable<bool> wait_for(std::string until) {
    std::array<char, 256> buf;
    while (got.find(until) == std::string::npos) {
      auto r = co_await conn->read_some(std::span<char>(buf));
      if (r.ec) co_return false;
      got.append(buf.data(), r.bytes);
    }
    co_return true;
  }
  // Everything until the server closes.
  asio::awaitable<void> drain() {
    std::array<char, 256> buf;
    for (;;) {
      auto r = co_await conn->read_some(std::span<char>(buf));
      if (r.ec) co_return;
      got.append(buf.data(), r.bytes);
    }
  }
};

}  // namespace

TEST_CASE("imap session: the MUA fetches unseen mail, marks it seen, and it stays") {
  world w;
  w.listen();
  auto got = w.fetch({"bob@example.org", "pw", "INBOX", false});
  CHECK(got.error == fetch_error::none);
  REQUIRE(got.messages.size() == 2);
  CHECK(got.messages[0].content == message_one);
  CHECK(got.messages[1].content == message_two);
  CHECK(got.uidvalidity == 1);
  auto left = w.store.messages("bob@example.org", "INBOX");
  REQUIRE(left.size() == 2);
  CHECK(left[0].flags == flag_list{"\\Seen"});
  CHECK(w.lines("imap.command") ==
        std::vector<std::string>{"m1 AUTHENTICATE PLAIN ********", "m2 SELECT INBOX", "m3 UID SEARCH UNSEEN",
                                 "m4 UID FETCH 1 BODY.PEEK[]", "m5 UID STORE 1 +FLAGS.SILENT (\\Seen)",
                                 "m6 UID FETCH 2 BODY.PEEK[]", "m7 UID STORE 2 +FLAGS.SILENT (\\Seen)",
                                 "m8 LOGOUT"});
  auto responses = w.lines("imap.response");
  CHECK(responses.front().starts_with("* OK [CAPABILITY IMAP4rev1 "));
  CHECK(std::find(responses.begin(), responses.end(),
                  "* 2 FETCH (UID 2 BODY[] {" + std::to_string(message_two.size()) + "}") != responses.end());
  CHECK(responses.back() == "m8 OK LOGOUT completed");
  for (const auto& e : w.tr.events()) {
    CHECK(e.dump().find("AHBi") == std::string::npos);  // no base64 credentials anywhere
    if (e["event"] == "imap.command") {
      CHECK(e["host"] == client_host);
      CHECK(e["agent"] == "mua");
      CHECK(e["peer"] == server_host);
    } else if (e["event"] == "imap.response") {
      CHECK(e["host"] == server_host);
      CHECK(e["agent"] == "imap");
      CHECK(e["peer"] == client_host);
    }
  }
  // A second fetch finds nothing unseen.
  got = w.fetch({"bob@example.org", "pw", "INBOX", false});
  CHECK(got.error == fetch_error::none);
  CHECK(got.messages.empty());
}

TEST_CASE("imap session: delete=true expunges what was fetched, writes split anywhere") {
  world w;
  w.net.set_split_writes(sim::random_stream(7));
  w.listen();
  auto got = w.fetch({"bob@example.org", "pw", "INBOX", true});
  CHECK(got.error == fetch_error::none);
  CHECK(got.messages.size() == 2);
  CHECK(w.store.messages("bob@example.org", "INBOX").empty());
  CHECK(w.lines("imap.command").at(7) == "m8 UID EXPUNGE 1:2");
}

TEST_CASE("imap session: a wrong password, and a folder that does not exist") {
  world w;
  w.listen();
  auto got = w.fetch({"bob@example.org", "nope", "INBOX", false});
  CHECK(got.error == fetch_error::auth);
  CHECK(got.reply == "m1 NO [AUTHENTICATIONFAILED] invalid user name or password");
  got = w.fetch({"bob@example.org", "pw", "Archive", false});
  CHECK(got.error == fetch_error::select);
  CHECK(got.reply == "m2 NO [NONEXISTENT] no such mailbox");
  CHECK(w.lines("imap.command").back() == "m3 LOGOUT");
}

TEST_CASE("imap session: IDLE hears another session's expunge and a delivery at once") {
  world w;
  w.listen();
  raw_client idler, other;
  std::string pushed;
  sim::time_point pushed_at{};
  w.spawn([&]() -> asio::awaitable<void> {
    idler.conn = co_await w.connect();
    co_await idler.say("a LOGIN bob@example.org pw\r\nb SELECT INBOX\r\nc IDLE\r\n");
    REQUIRE(co_await idler.wait_for("+ idling\r\n"));
    idler.got.clear();
    REQUIRE(co_await idler.wait_for("* 2 EXISTS\r\n"));
    pushed = idler.got;
    pushed_at = w.clk.now();
    co_await idler.say("DONE\r\nd LOGOUT\r\n");
    co_await idler.drain();
  });
  w.spawn([&]() -> asio::awaitable<void> {
    co_await w.clk.sleep_for(1min);
    other.conn = co_await w.connect();
    co_await other.say("a LOGIN bob@example.org pw\r\nb SELECT INBOX\r\nc STORE 1 +FLAGS.SILENT (\\Flagged)\r\n");
    REQUIRE(co_await other.wait_for("c OK"));
    co_await w.clk.sleep_for(1min);
    co_await other.say("d STORE 1 +FLAGS.SILENT (\\Deleted)\r\ne EXPUNGE\r\nf LOGOUT\r\n");
    co_await other.drain();
    co_await w.clk.sleep_for(1min);
    w.store.deliver("bob@example.org", "Subject: three\r\n\r\nnew\r\n", w.clk.wall_now());
  });
  w.clk.run();
  // The flag change, the expunge (the flag that came with it is moot), then
  // the new message, each as it happened.  The idler selected first, so the
  // messages are \Recent for it.
  CHECK(pushed == "* 1 FETCH (FLAGS (\\Flagged \\Recent))\r\n* 1 EXPUNGE\r\n* 2 EXISTS\r\n* 2 RECENT\r\n");
  CHECK(pushed_at >= sim::time_point{} + 3min);
  CHECK(pushed_at < sim::time_point{} + 3min + 1s);
  CHECK(idler.got.ends_with("c OK IDLE terminated\r\n* BYE IMAP4rev1 server logging out\r\nd OK LOGOUT completed\r\n"));
}

TEST_CASE("imap session: autologout after 30 minutes without input, IDLE included") {
  world w;
  w.listen();
  raw_client c;
  sim::time_point closed_at{};
  w.spawn([&]() -> asio::awaitable<void> {
    c.conn = co_await w.connect();
    co_await c.say("a LOGIN bob@example.org pw\r\nb SELECT INBOX\r\nc IDLE\r\n");
    co_await c.drain();
    closed_at = w.clk.now();
  });
  w.clk.run();
  CHECK(c.got.ends_with("+ idling\r\n* BYE autologout; idle for too long\r\n"));
  CHECK(closed_at >= sim::time_point{} + limits::idle_timeout);
  CHECK(closed_at < sim::time_point{} + limits::idle_timeout + 1s);
}

TEST_CASE("imap session: in live mode the server traces client lines, passwords masked") {
  world w;
  server_options options;
  options.trace_commands = true;
  w.listen(options);
  raw_client c;
  w.spawn([&]() -> asio::awaitable<void> {
    c.conn = co_await w.connect();
    co_await c.say("a AUTHENTICATE PLAIN\r\n");
    REQUIRE(co_await c.wait_for("+ \r\n"));
    co_await c.say("AGJvYkBleGFtcGxlLm9yZwBwdw==\r\nb LOGOUT\r\n");
    co_await c.drain();
  });
  w.clk.run();
  CHECK(w.lines("imap.command") == std::vector<std::string>{"a AUTHENTICATE PLAIN", "********", "b LOGOUT"});
  CHECK(c.got.find("a OK [CAPABILITY") != std::string::npos);
}

// A stand-in for the TLS handshake that reads the client's "hello" from
// the stream itself: it only gets it if the session's reader has stopped.
asio::awaitable<std::optional<sim::net::tls_info>> fake_handshake(std::shared_ptr<sim::net::stream>& conn) {
  std::string hello;
  std::array<char, 64> buf;
  while (hello.find("\r\n") == std::string::npos) {
    auto r = co_await conn->read_some(std::span<char>(buf));
    if (r.ec) co_return std::nullopt;
    hello.append(buf.data(), r.bytes);
  }
  if (hello != "HELLO\r\n") co_return std::nullopt;
  co_await conn->write_all("HI\r\n");
  co_return sim::net::simulated_tls();
}

TEST_CASE("imap session: STARTTLS hands the stream to the handshake and drops pipelined plaintext") {
  world w;
  server_options options;
  options.trace_commands = true;
  options.tls = sim::net::tls_mode::require;
  options.start_tls = fake_handshake;
  w.listen(options);
  raw_client c;
  w.spawn([&]() -> asio::awaitable<void> {
    c.conn = co_await w.connect();
    REQUIRE(co_await c.wait_for("LOGINDISABLED] mx1.example.org"));
    co_await c.say("a STARTTLS\r\nb LOGIN bob@example.org pw\r\n");
    REQUIRE(co_await c.wait_for("a OK Begin TLS negotiation now\r\n"));
    co_await c.say("HELLO\r\n");
    REQUIRE(co_await c.wait_for("HI\r\n"));
    co_await c.say("c SELECT INBOX\r\nd CAPABILITY\r\ne LOGIN bob@example.org pw\r\nf LOGOUT\r\n");
    co_await c.drain();
  });
  w.clk.run();
  CHECK(w.lines("imap.command") ==
        std::vector<std::string>{"a STARTTLS", "c SELECT INBOX", "d CAPABILITY", "e LOGIN bob@example.org ********",
                                 "f LOGOUT"});
  CHECK(c.got.find("c BAD SELECT is not allowed in the not authenticated state") != std::string::npos);
  CHECK(c.got.find("CHILDREN SASL-IR AUTH=PLAIN\r\nd OK") != std::string::npos);
  CHECK(c.got.find("e OK [CAPABILITY") != std::string::npos);
  std::size_t handshakes = 0;
  for (const auto& e : w.tr.events()) handshakes += e["event"] == "tls.handshake" && e["protocol"] == "TLSv1.3";
  CHECK(handshakes == 1);
}

TEST_CASE("imap session: a failed STARTTLS handshake ends the session") {
  world w;
  server_options options;
  options.tls = sim::net::tls_mode::offer;
  options.start_tls = fake_handshake;
  w.listen(options);
  raw_client c;
  w.spawn([&]() -> asio::awaitable<void> {
    c.conn = co_await w.connect();
    co_await c.say("a STARTTLS\r\n");
    REQUIRE(co_await c.wait_for("a OK Begin TLS negotiation now\r\n"));
    co_await c.say("GARBAGE\r\n");
    co_await c.drain();
  });
  w.clk.run();
  CHECK(c.got.ends_with("a OK Begin TLS negotiation now\r\n"));
  for (const auto& e : w.tr.events()) CHECK(e["event"] != "tls.handshake");
}

TEST_CASE("imap session: the durability hook is awaited before the OK that reports a change") {
  world w;
  server_options options;
  std::vector<sim::time_point> synced;
  options.sync = [&]() -> asio::awaitable<void> {
    co_await w.clk.sleep_for(5s);
    synced.push_back(w.clk.now());
  };
  w.listen(options);
  raw_client c;
  sim::time_point ok_at{};
  w.spawn([&]() -> asio::awaitable<void> {
    c.conn = co_await w.connect();
    co_await c.say("a LOGIN bob@example.org pw\r\nb APPEND INBOX {9+}\r\nSubject:\r\nc LOGOUT\r\n");
    REQUIRE(co_await c.wait_for("b OK [APPENDUID 1 3] APPEND completed\r\n"));
    ok_at = w.clk.now();
    co_await c.drain();
  });
  w.clk.run();
  REQUIRE(synced.size() == 1);
  CHECK(ok_at >= synced[0]);
  CHECK(w.store.messages("bob@example.org", "INBOX").size() == 3);
}

TEST_CASE("imap session: the MUA gives up on a silent server, a server going away is a closed fetch") {
  world w;
  std::vector<std::shared_ptr<sim::net::stream>> held;
  w.net.listen(server_host, 143, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    held.push_back(std::move(s));
  });
  auto got = w.fetch({"bob@example.org", "pw", "INBOX", false});
  CHECK(got.error == fetch_error::timeout);
  CHECK(w.clk.now() >= sim::time_point{} + limits::reply_timeout);

  world v;
  v.net.listen(server_host, 143, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) {
    v.spawn([s]() -> asio::awaitable<void> {
      co_await s->write_all("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n");
      s->close();
    });
  });
  got = v.fetch({"bob@example.org", "pw", "INBOX", false});
  CHECK(got.error == fetch_error::closed);
  CHECK(v.lines("imap.command") == std::vector<std::string>{"m1 AUTHENTICATE PLAIN ********"});
}
