// What the MTA writes on a message it takes (the Received field, RFC 5321
// section 4.4) and what it refuses to take (a message looping between
// relays, section 6.3).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

// mx.example.org hosts bob and alice (password "pw") and allows 5 hops.
struct inbound_world : agent_world {
  inbound_world() {
    dns("example.org MX 10 mx.example.org");
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    mx.submission = true;
    mx.limits.max_hops = 5;
    add_mta(mx, {{"bob@example.org", {}}, {"alice@example.org", {"pw", std::nullopt}}});
    add_machine("bot.outside.test", "203.0.113.66");
    net.add_host("nameless.test", "203.0.113.99");  // no PTR record
  }
  client_spec client{"bot.outside.test", "mx.example.org", smtp_port, "helo.name.test", std::nullopt, ""};

  sim::message::received_fields top_received(const std::string& mailbox, std::size_t index = 0) {
    const auto& box = this->mailbox("mx.example.org", mailbox);
    REQUIRE(box.size() > index);
    auto msg = sim::message::message::parse(box[index].raw);
    auto value = msg.get("Received");
    REQUIRE(value.has_value());
    auto fields = sim::message::parse_received(*value);
    REQUIRE(fields.has_value());
    return *fields;
  }
};

std::string with_received_fields(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += fmt::format("Received: from relay{}.test by relay{}.test with ESMTP id Q{}; Mon, 05 Jan 2026 08:00:00 +0000\r\n",
                       i, i + 1, i);
  return out + simple_message("looping");
}

}  // namespace

TEST_CASE("received: the field names the HELO, the reverse name and IP, this host, ESMTP, the id, the recipient and the time") {
  inbound_world w;
  auto sent = w.send_at(sim::at_millis(10'000), w.client,
                        envelope("someone@outside.test", {"bob@example.org"}, simple_message("hello")));
  w.run();
  REQUIRE(sent->accepted());
  auto enqueued = w.events("queue.enqueue", "mx.example.org");
  REQUIRE(enqueued.size() == 1);
  auto got = w.top_received("bob@example.org");
  CHECK(got.from_host == "helo.name.test");
  CHECK(got.reverse_name == "bot.outside.test");
  CHECK(got.ip == "203.0.113.66");
  CHECK(got.by_host == "mx.example.org");
  CHECK(got.protocol == "ESMTP");
  CHECK(got.id == enqueued[0]["queue_id"].get<std::string>());
  CHECK(got.for_address == "bob@example.org");
  // The simulated clock: the scenario starts at 09:00:00 and this came at +10s.
  CHECK(got.date == "Mon, 05 Jan 2026 09:00:10 +0000");
  // The 250 names the same queue id.
  const auto& dot = *sent->report.recipients[0].server_reply;
  CHECK(dot.text() == "Ok: queued as " + got.id);
}

TEST_CASE("received: an authenticated submission is ESMTPA, and several recipients get no 'for'") {
  inbound_world w;
  client_spec submit = w.client;
  submit.port = submission_port;
  submit.auth_user = "alice@example.org";
  submit.auth_password = "pw";
  auto sent = w.send_at(sim::at_millis(2'000), submit,
                        envelope("alice@example.org", {"bob@example.org", "alice@example.org"}, simple_message("team")));
  w.run();
  REQUIRE(sent->accepted());
  auto got = w.top_received("bob@example.org");
  CHECK(got.protocol == "ESMTPA");
  CHECK(got.for_address.empty());
  CHECK(got.date == "Mon, 05 Jan 2026 09:00:02 +0000");
}

TEST_CASE("received: a client without a PTR record is 'unknown'") {
  inbound_world w;
  client_spec nameless{"nameless.test", "mx.example.org", smtp_port, "nameless.test", std::nullopt, ""};
  w.send_at(sim::at_millis(1'000), nameless, envelope("x@nameless.test", {"bob@example.org"}, simple_message("hi")));
  w.run();
  auto got = w.top_received("bob@example.org");
  CHECK(got.reverse_name == "unknown");
  CHECK(got.ip == "203.0.113.99");
}

TEST_CASE("received: the Received chain below the new field is kept as it came") {
  inbound_world w;
  w.send_at(sim::at_millis(1'000), w.client,
            envelope("someone@outside.test", {"bob@example.org"}, with_received_fields(2)));
  w.run();
  const auto& box = w.mailbox("mx.example.org", "bob@example.org");
  REQUIRE(box.size() == 1);
  auto msg = sim::message::message::parse(box[0].raw);
  auto chain = msg.get_all("Received");
  REQUIRE(chain.size() == 3);
  CHECK(chain[0].find("by mx.example.org") != std::string::npos);
  CHECK(chain[1].find("from relay0.test by relay1.test with ESMTP id Q0") != std::string::npos);
  CHECK(chain[2].find("from relay1.test by relay2.test with ESMTP id Q1") != std::string::npos);
}

TEST_CASE("received: loop detection refuses a message with max_hops Received fields (554 5.4.6), one fewer passes") {
  inbound_world w;  // max_hops 5
  auto under = w.send_at(sim::at_millis(1'000), w.client,
                         envelope("someone@outside.test", {"bob@example.org"}, with_received_fields(4)));
  auto at_limit = w.send_at(sim::at_millis(2'000), w.client,
                            envelope("someone@outside.test", {"bob@example.org"}, with_received_fields(5)));
  auto past = w.send_at(sim::at_millis(3'000), w.client,
                        envelope("someone@outside.test", {"bob@example.org"}, with_received_fields(9)));
  w.run();
  CHECK(under->accepted());
  for (auto* refused : {at_limit.get(), past.get()}) {
    REQUIRE(refused->report.recipients.size() == 1);
    const auto& reply = *refused->report.recipients[0].server_reply;
    CHECK(reply.code == 554);
    CHECK(reply.enhanced == "5.4.6");
  }
  // Only the first was taken; it now carries exactly max_hops fields.
  CHECK(w.count("queue.enqueue", "mx.example.org") == 1);
  const auto& box = w.mailbox("mx.example.org", "bob@example.org");
  REQUIRE(box.size() == 1);
  CHECK(sim::message::message::parse(box[0].raw).count("Received") == 5);
  std::size_t hop_rejects = 0;
  for (const auto& e : w.events("policy.check", "mx.example.org"))
    hop_rejects += e["check"] == "hops" && e["result"] == "reject";
  CHECK(hop_rejects == 2);
}
