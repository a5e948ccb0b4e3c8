// The MUA against real agents: alice composes and submits on port 587 with
// AUTH PLAIN (RFC 6409, RFC 4954), her provider relays to example.org, and
// bob fetches over POP3 (RFC 1939).  A refused submission is alice's own
// problem: mua.reject, and no bounce from anyone.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/mua/mua.hpp"
#include "sim/pop3/server_session.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

struct mua_world : agent_world {
  explicit mua_world(std::size_t max_recipients = 100) {
    dns("example.org MX 10 mx.example.org");
    mta_config provider;
    provider.host = "mail.sender.test";
    provider.ip = "192.0.2.25";
    provider.local_domains = {"sender.test"};
    provider.submission = true;
    provider.limits.max_recipients = max_recipients;
    add_mta(provider, {{"alice@sender.test", {"alice-pw", std::nullopt}}});
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    add_mta(mx, {{"bob@example.org", {"bob-pw", std::nullopt}}});
    add_machine("laptop.sender.test", "203.0.113.20");
    net.listen("mx.example.org", pop3_port, [this](std::shared_ptr<sim::net::stream> conn, const sim::net::connection_info&) {
      sim::pop3::server_options opts;
      opts.host = "mx.example.org";
      tasks.spawn(sim::pop3::server_session(std::move(conn), *hosts.at("mx.example.org").boxes, clk, tr, opts));
    });
  }

  sim::mua::submission lunch(std::string password) const {
    sim::mua::submission s;
    s.message.from = "alice@sender.test";
    s.message.to = {"bob@example.org"};
    s.message.subject = "Lunch";
    s.message.body = "Noon at the usual place?\n";
    s.tag = "lunch";
    s.sequence = 1;
    s.scenario = "mua-test";
    s.client_host = "laptop.sender.test";
    s.via_host = "mail.sender.test";
    s.via_ip = "192.0.2.25";
    s.port = submission_port;
    s.password = std::move(password);
    return s;
  }

  std::shared_ptr<sim::mua::submit_result> submit_at(sim::time_point at, sim::mua::submission s) {
    auto out = std::make_shared<sim::mua::submit_result>();
    this->at(at, [this, s = std::move(s), out]() mutable {
      tasks.spawn([](sim::mua::mua& m, sim::mua::submission sub,
                     std::shared_ptr<sim::mua::submit_result> o) -> asio::awaitable<void> {
        *o = co_await m.submit(std::move(sub));
      }(agent, std::move(s), out));
    });
    return out;
  }

  std::shared_ptr<sim::pop3::fetch_result> fetch_at(sim::time_point at, std::string password, bool delete_messages) {
    sim::mua::fetch_request r;
    r.user = "bob@example.org";
    r.password = std::move(password);
    r.delete_messages = delete_messages;
    r.client_host = "laptop.sender.test";
    r.server_host = "mx.example.org";
    r.server_ip = "198.51.100.10";
    auto out = std::make_shared<sim::pop3::fetch_result>();
    this->at(at, [this, r = std::move(r), out]() mutable {
      tasks.spawn([](sim::mua::mua& m, sim::mua::fetch_request req,
                     std::shared_ptr<sim::pop3::fetch_result> o) -> asio::awaitable<void> {
        *o = co_await m.fetch(std::move(req));
      }(agent, std::move(r), out));
    });
    return out;
  }

  sim::mua::mua agent{clk, tr, net};
};

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("mua: alice composes and submits with AUTH PLAIN on 587, the mail reaches bob's mailbox") {
  mua_world w;
  auto got = w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
  w.run();
  CHECK_FALSE(got->refused);
  CHECK(got->accepted == strings{"bob@example.org"});
  CHECK(got->message_id == "<1.mua-test@sender.test>");
  auto compose = w.events("mua.compose", "laptop.sender.test");
  REQUIRE(compose.size() == 1);
  CHECK(compose[0]["message"] == "lunch");
  CHECK(compose[0]["message_id"] == got->message_id);
  auto submit = w.events("mua.submit", "laptop.sender.test");
  REQUIRE(submit.size() == 1);
  CHECK(submit[0]["via"] == "mail.sender.test");
  CHECK(submit[0]["port"] == 587);
  // AUTH is on the wire, its secret is not in the trace.
  bool auth_seen = false;
  for (const auto& e : w.events("smtp.command", "laptop.sender.test")) {
    auto line = e["line"].get<std::string>();
    if (line.rfind("AUTH PLAIN", 0) == 0) auth_seen = true;
    CHECK(line.find("alice-pw") == std::string::npos);
  }
  CHECK(auth_seen);
  const auto& box = w.mailbox("mx.example.org", "bob@example.org");
  REQUIRE(box.size() == 1);
  auto msg = sim::message::message::parse(box[0].raw);
  CHECK(msg.get("Message-ID") == got->message_id);
  auto received = msg.get_all("Received");
  REQUIRE(received.size() == 2);
  CHECK(sim::message::parse_received(received[1])->protocol == "ESMTPA");
  // What alice composed arrives below the transport fields, byte for byte.
  CHECK(box[0].raw.size() > got->raw.size());
  CHECK(box[0].raw.compare(box[0].raw.size() - got->raw.size(), got->raw.size(), got->raw) == 0);
}

TEST_CASE("mua: a wrong password is refused at submission: mua.reject, nothing queued, no bounce") {
  mua_world w;
  auto got = w.submit_at(sim::at_millis(1000), w.lunch("guess"));
  w.run();
  CHECK(got->refused);
  CHECK(got->accepted.empty());
  auto rejects = w.events("mua.reject", "laptop.sender.test");
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0]["message"] == "lunch");
  CHECK(rejects[0]["message_id"] == got->message_id);
  CHECK(w.count("queue.enqueue") == 0);
  CHECK(w.count("bounce.create") == 0);
}

TEST_CASE("mua: a recipient refused at RCPT is reported by the MUA, and the others still go") {
  mua_world w;
  auto s = w.lunch("alice-pw");
  s.message.to = {"bob@example.org"};
  s.message.cc = {"nobody@sender.test"};
  auto got = w.submit_at(sim::at_millis(1000), s);
  w.run();
  CHECK(got->refused);
  CHECK(got->accepted == strings{"bob@example.org"});
  auto rejects = w.events("mua.reject", "laptop.sender.test");
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0]["what"] == "nobody@sender.test");
  CHECK(rejects[0]["code"] == 550);
  CHECK(rejects[0]["enhanced"] == "5.1.1");
  CHECK(w.count("bounce.create") == 0);
  CHECK(w.mailbox("mx.example.org", "bob@example.org").size() == 1);
}

TEST_CASE("mua: a provider that refuses connections gives mua.reject 'connect'") {
  mua_world w;
  w.net.add_fault("mail.sender.test", sim::net::fault{sim::net::fault::kind::refuse, std::nullopt, {}});
  auto got = w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
  w.run();
  CHECK(got->refused);
  auto rejects = w.events("mua.reject", "laptop.sender.test");
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0]["what"] == "connect");
  CHECK(rejects[0]["text"] == "connection refused");
}

TEST_CASE("mua: bob fetches over POP3, with delete the mailbox is emptied, without it the mail stays") {
  mua_world w;
  auto sent = w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
  auto keep = w.fetch_at(sim::at_millis(60'000), "bob-pw", false);
  auto take = w.fetch_at(sim::at_millis(120'000), "bob-pw", true);
  auto again = w.fetch_at(sim::at_millis(180'000), "bob-pw", true);
  w.run();
  REQUIRE(keep->messages.size() == 1);
  CHECK(keep->error == sim::pop3::fetch_error::none);
  REQUIRE(take->messages.size() == 1);
  CHECK(take->messages[0].content == keep->messages[0].content);
  CHECK(take->messages[0].content.rfind("Return-Path: <alice@sender.test>\r\nDelivered-To: bob@example.org\r\n", 0) == 0);
  CHECK(again->messages.empty());
  CHECK(w.mailbox("mx.example.org", "bob@example.org").empty());
  auto fetches = w.events("mua.fetch", "laptop.sender.test");
  REQUIRE(fetches.size() == 3);
  CHECK(fetches[0]["count"] == 1);
  CHECK(fetches[2]["count"] == 0);
  (void)sent;
}

TEST_CASE("mua: a wrong POP3 password fetches nothing and says why") {
  mua_world w;
  w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
  auto got = w.fetch_at(sim::at_millis(60'000), "not-bob", true);
  w.run();
  CHECK(got->messages.empty());
  CHECK(got->error == sim::pop3::fetch_error::auth);
  auto fetches = w.events("mua.fetch", "laptop.sender.test");
  REQUIRE(fetches.size() == 1);
  CHECK(fetches[0].contains("error"));
  CHECK(w.mailbox("mx.example.org", "bob@example.org").size() == 1);
}

TEST_CASE("mua: with every network write split into random pieces the same bytes arrive and are fetched") {
  std::string want;
  {
    mua_world w;
    w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
    auto got = w.fetch_at(sim::at_millis(60'000), "bob-pw", true);
    w.run();
    REQUIRE(got->messages.size() == 1);
    want = got->messages[0].content;
  }
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    mua_world w;
    w.net.set_split_writes(sim::random_stream(seed));
    w.submit_at(sim::at_millis(1000), w.lunch("alice-pw"));
    auto got = w.fetch_at(sim::at_millis(60'000), "bob-pw", true);
    w.run();
    INFO("split seed " << seed);
    REQUIRE(got->messages.size() == 1);
    CHECK(got->messages[0].content == want);
  }
}

TEST_CASE("mua: a provider that takes 10 recipients a message gets the rest in further transactions (452 4.5.3)") {
  mua_world w(10);
  auto s = w.lunch("alice-pw");
  s.message.to.clear();
  for (int i = 1; i <= 25; ++i) s.message.to.push_back(fmt::format("user{:02}@example.org", i));
  s.message.bcc = {"user03@example.org"};  // already a recipient: sent once
  auto got = w.submit_at(sim::at_millis(1000), s);
  w.run();
  CHECK_FALSE(got->refused);
  CHECK(got->accepted.size() == 25);
  CHECK(w.count("mua.reject") == 0);
  std::vector<sim::event> queued;  // alice's; the DSNs about example.org's unknown users come later
  for (const auto& e : w.events("queue.enqueue", "mail.sender.test"))
    if (e["from"] == "alice@sender.test") queued.push_back(e);
  REQUIRE(queued.size() == 3);
  CHECK(queued[0]["rcpts"].size() == 10);
  CHECK(queued[1]["rcpts"].size() == 10);
  CHECK(queued[2]["rcpts"].size() == 5);
  // Once the limit is known, no transaction offers more than it: 15 RCPTs
  // meet 452 in the first, none after (O(n) commands, not O(n^2)).
  std::size_t rcpt_lines = 0, too_many = 0;
  for (const auto& e : w.events("smtp.command", "laptop.sender.test"))
    rcpt_lines += e["line"].get<std::string>().rfind("RCPT TO:", 0) == 0;
  for (const auto& e : w.events("smtp.reply", "mail.sender.test")) too_many += e["code"] == 452;
  CHECK(rcpt_lines == 25 + 15);
  CHECK(too_many == 15);
}

TEST_CASE("mua: a Message-ID given in headers is the one the message carries and is known by") {
  mua_world w;
  auto s = w.lunch("alice-pw");
  s.message.headers = {{"Message-ID", "<chosen@sender.test>"}};
  auto got = w.submit_at(sim::at_millis(1000), s);
  w.run();
  CHECK(got->message_id == "<chosen@sender.test>");
  auto msg = sim::message::message::parse(got->raw);
  CHECK(msg.get_all("Message-ID") == strings{"<chosen@sender.test>"});
  CHECK(w.events("mua.compose")[0]["message_id"] == "<chosen@sender.test>");
}
