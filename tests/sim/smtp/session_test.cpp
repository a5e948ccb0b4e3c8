// Server and client sessions over the simulated network, in virtual time.
#include <catch2/catch.hpp>

#include <memory>
#include <tuple>

#include "tests/sim/smtp/session_harness.hpp"

using namespace sim::smtp;
using namespace std::chrono_literals;
using sim::smtp::test::smtp_world;

namespace {

std::vector<std::string> command_lines(const smtp_world& w) {
  std::vector<std::string> out;
  for (auto& e : w.events("smtp.command")) out.push_back(e["line"].get<std::string>());
  return out;
}

std::int64_t finished_at = -1;  // when the last deliver() got its report

delivery_report deliver(smtp_world& w, outgoing_message m, client_session_options o) {
  delivery_report got;
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client.test", "198.51.100.10", 25, 30s);
    got = co_await deliver_one(c.conn, w.clk, w.tr, o, std::move(m));
    finished_at = sim::millis(w.clk.now());
  });
  w.clk.run();
  return got;
}

}  // namespace

TEST_CASE("session: a full transaction, every line in the trace") {
  smtp_world w;
  w.hooks.refuse = {"nobody@mx.test"};
  w.listen();
  auto got = deliver(w, smtp_world::message({"bob@mx.test", "nobody@mx.test"}), w.client());
  REQUIRE(got.result == session_result::ok);
  REQUIRE(got.recipients[0].status == delivery_status::ok);
  REQUIRE(got.recipients[1].status == delivery_status::permfail);
  REQUIRE(got.recipients[1].server_reply->text() == "No such user");
  REQUIRE(w.hooks.contents == std::vector<std::string>{"Subject: hello\r\n\r\nHi.\r\n.leading dot\r\n"});
  REQUIRE(command_lines(w) == std::vector<std::string>{"EHLO client.test", "MAIL FROM:<alice@client.test> SIZE=37",
                                                       "RCPT TO:<bob@mx.test>", "RCPT TO:<nobody@mx.test>", "DATA",
                                                       "QUIT"});
  auto replies = w.events("smtp.reply");
  REQUIRE(replies.size() == 8);  // 220 EHLO MAIL RCPT RCPT 354 dot QUIT
  REQUIRE(replies[0]["lines"][0] == "220 mx.test ESMTP");
  REQUIRE(replies[1]["lines"][1] == "250-PIPELINING");
  REQUIRE(replies[1]["enhanced"].is_null());
  REQUIRE(replies[4]["enhanced"] == "5.1.1");
  REQUIRE(replies[6]["text"] == "Ok: queued as Q1");
  REQUIRE(replies[0]["host"] == "mx.test");
  REQUIRE(replies[0]["agent"] == "mta");
  REQUIRE(replies[0]["peer"] == "client.test");
  auto data = w.events("smtp.data");
  REQUIRE(data.size() == 1);
  REQUIRE(data[0]["bytes"] == 37);
  REQUIRE(data[0]["lines"] == 4);
  auto first = w.events("smtp.command")[0];
  REQUIRE(first["host"] == "client.test");
  REQUIRE(first["peer"] == "mx.test");
  REQUIRE(first["session"] == replies[0]["session"]);
  // Virtual time passed: each round trip is 10ms on the default 5ms links.
  REQUIRE(sim::millis(w.clk.now()) > 0);
}

TEST_CASE("session: several messages over one connection, AUTH first") {
  smtp_world w;
  w.listen();
  auto o = w.client();
  o.protocol.auth_user = "alice";
  o.protocol.auth_password = "pw";
  std::vector<delivery_report> got;
  const outgoing_message m = smtp_world::message({"bob@mx.test"});
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client.test", "198.51.100.10", 25, 30s);
    client_session s(c.conn, w.clk, w.tr, o);
    REQUIRE(co_await s.open() == session_result::ok);
    for (int i = 0; i < 3; ++i) got.push_back(co_await s.deliver(m));
    co_await s.quit();
  });
  w.clk.run();
  REQUIRE(got.size() == 3);
  for (auto& r : got) REQUIRE(r.recipients[0].status == delivery_status::ok);
  REQUIRE(w.hooks.contents.size() == 3);
  REQUIRE(command_lines(w)[1] == "AUTH PLAIN ********");
  REQUIRE(w.events("net.connect").size() == 1);
}

TEST_CASE("session: the client's greeting timeout fires in virtual time against a silent server") {
  smtp_world w;
  std::shared_ptr<sim::net::stream> held;
  w.net.listen("mx.test", 25, [&](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info&) { held = s; });
  auto got = deliver(w, smtp_world::message({"bob@mx.test"}), w.client());
  REQUIRE(got.result == session_result::timeout);
  REQUIRE(got.recipients[0].status == delivery_status::tempfail);
  REQUIRE(finished_at == 10 + 5 * 60 * 1000);  // connected at 10ms, then 5 minutes
}

TEST_CASE("session: the client's final-dot timeout is 10 minutes") {
  smtp_world w;
  w.server.faults = [](phase at, const std::string&) {
    fault_action f;
    if (at == phase::dot) f.delay = 11min;
    return f;
  };
  w.listen();
  auto got = deliver(w, smtp_world::message({"bob@mx.test"}), w.client());
  REQUIRE(got.result == session_result::timeout);
  REQUIRE(got.recipients[0].status == delivery_status::tempfail);
  REQUIRE(got.recipients[0].at == client_phase::data_end);
}

TEST_CASE("session: the server's command timeout sends 421 4.4.2") {
  smtp_world w;
  w.listen();
  std::string heard;
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client.test", "198.51.100.10", 25, 30s);
    std::array<char, 512> buf;
    while (true) {
      auto r = co_await c.conn->read_some(buf);
      if (r.ec) break;
      heard.append(buf.data(), r.bytes);
    }
  });
  w.clk.run();
  REQUIRE(heard == "220 mx.test ESMTP\r\n421 4.4.2 mx.test Error: timeout exceeded\r\n");
  REQUIRE(sim::millis(w.clk.now()) >= 5 * 60 * 1000);
}

TEST_CASE("session: phase faults replace, delay and reset") {
  smtp_world w;
  w.server.faults = [](phase at, const std::string& arg) {
    fault_action f;
    if (at == phase::rcpt && arg == "carol@mx.test") f.replace = reply{451, "4.7.1", "greylisted"};
    if (at == phase::connect) f.delay = 30s;
    return f;
  };
  w.listen();
  auto got = deliver(w, smtp_world::message({"bob@mx.test", "carol@mx.test"}), w.client());
  REQUIRE(got.recipients[0].status == delivery_status::ok);
  REQUIRE(got.recipients[1].status == delivery_status::tempfail);
  REQUIRE(got.recipients[1].server_reply->text() == "greylisted");
  REQUIRE(w.events("smtp.reply")[0]["t"].get<std::int64_t>() >= 30000);

  smtp_world r;
  r.server.faults = [](phase at, const std::string&) {
    fault_action f;
    f.reset = at == phase::mail;
    return f;
  };
  r.listen();
  auto lost = deliver(r, smtp_world::message({"bob@mx.test"}), r.client());
  REQUIRE(lost.result == session_result::connection_lost);
  REQUIRE(lost.recipients[0].status == delivery_status::tempfail);
}

TEST_CASE("session: trace_client_lines makes the server trace a live client's commands") {
  smtp_world w;
  w.server.trace_client_lines = true;
  w.listen();
  w.spawn([&]() -> asio::awaitable<void> {
    auto c = co_await w.net.connect("client.test", "198.51.100.10", 25, 30s);
    co_await c.conn->write_all("EHLO live\r\nMAIL FROM:<>\r\nRCPT TO:<bob@mx.test>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n");
    std::array<char, 512> buf;
    while (!(co_await c.conn->read_some(buf)).ec) {
    }
  });
  w.clk.run();
  auto commands = w.events("smtp.command");
  REQUIRE(commands.size() == 5);
  REQUIRE(commands[0]["line"] == "EHLO live");
  REQUIRE(commands[0]["host"] == "client.test");
  REQUIRE(commands[0]["agent"] == "mua");
  REQUIRE(w.events("smtp.data")[0]["bytes"] == 3);
  REQUIRE(w.hooks.contents.size() == 1);
}

TEST_CASE("session: many transactions in a row (the benchmark helper)") {
  REQUIRE(sim::smtp::test::run_transactions(50) == 50);
}

TEST_CASE("session: decisions the hooks make at once give the same session and trace") {
  auto run = [](bool at_once, const std::string& password) {
    auto w = std::make_unique<smtp_world>();
    w->hooks.refuse = {"nobody@mx.test"};
    w->hooks.at_once = at_once;
    w->listen();
    auto o = w->client();
    o.protocol.auth_user = "alice";
    o.protocol.auth_password = password;
    auto got = deliver(*w, smtp_world::message({"bob@mx.test", "nobody@mx.test"}), o);
    std::vector<std::string> lines;
    for (const auto& e : w->recorder->events()) lines.push_back(sim::trace::to_line(e));
    return std::tuple{got.result, lines, w->hooks.asked_at_once};
  };
  for (const std::string password : {"pw", "wrong"}) {
    auto [result, waited, none] = run(false, password);
    auto [result_now, at_once, asked] = run(true, password);
    CHECK(none == 0);
    CHECK(asked >= 3);  // connect, EHLO, AUTH (and MAIL, RCPT when AUTH passed)
    CHECK(result_now == result);
    CHECK(at_once == waited);
  }
}
