// Delivery status notifications (RFC 3464) as alice receives them: a real
// bounce read back field by field, NOTIFY (RFC 3461) honoured, the delay
// warning, and the rule that a bounce is never bounced.
#include <catch2/catch.hpp>

#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;
namespace smtp = sim::smtp;

namespace {

// alice@sender.test submits at mail.sender.test (587, AUTH); mx.example.org
// hosts only carol, so bob and dave are unknown there.
struct bounce_world : agent_world {
  explicit bounce_world(queue_settings queue = {}) {
    dns("example.org MX 10 mx.example.org");
    dns("sender.test MX 10 mail.sender.test");
    mta_config sender;
    sender.host = "mail.sender.test";
    sender.ip = "192.0.2.25";
    sender.local_domains = {"sender.test"};
    sender.mynetworks = {*sim::policy::parse_cidr("192.0.2.0/24")};
    sender.submission = true;
    sender.queue = queue;
    add_mta(sender, {{"alice@sender.test", {"pw", std::nullopt}}});
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    add_mta(mx, {{"carol@example.org", {}}});
    add_machine("laptop.sender.test", "192.0.2.50");
  }

  client_spec alice{"laptop.sender.test", "mail.sender.test", submission_port, "", "alice@sender.test", "pw"};

  std::vector<sim::message::dsn_report> reports_for_alice() const {
    std::vector<sim::message::dsn_report> out;
    for (const auto& m : mailbox("mail.sender.test", "alice@sender.test"))
      if (auto r = sim::message::parse_dsn(m.raw)) out.push_back(*r);
    return out;
  }
};

smtp::outgoing_recipient rcpt(const std::string& address) {
  smtp::outgoing_recipient r;
  r.forward_path = *smtp::parse_mailbox(address);
  return r;
}

}  // namespace

TEST_CASE("bounce: a real 550 comes back to alice as an RFC 3464 report, every field as it should be") {
  bounce_world w;
  smtp::outgoing_message m = envelope("alice@sender.test", {}, simple_message("invoice"));
  auto bob = rcpt("bob@example.org");
  bob.params.orcpt = smtp::original_recipient{"rfc822", "Bob@Example.org"};
  m.recipients.push_back(bob);
  m.envid = "env-42";
  m.ret = smtp::dsn_ret::hdrs;
  auto sent = w.send_at(sim::at_millis(1'000), w.alice, m);
  w.run();
  REQUIRE(sent->accepted());
  auto reports = w.reports_for_alice();
  REQUIRE(reports.size() == 1);
  const auto& got = reports[0];
  CHECK(got.reporting_mta == "mail.sender.test");
  CHECK(got.original_envelope_id == "env-42");
  CHECK(got.arrival_date == "Mon, 05 Jan 2026 09:00:01 +0000");
  CHECK(got.returned_type == "text/rfc822-headers");
  CHECK(got.original_message_id == "<invoice@sender.test>");
  REQUIRE(got.recipients.size() == 1);
  const auto& r = got.recipients[0];
  CHECK(r.final_recipient == "bob@example.org");
  CHECK(r.original_recipient == "Bob@Example.org");
  CHECK(r.action == "failed");
  CHECK(r.status == "5.1.1");
  CHECK(r.remote_mta == "mx.example.org");
  CHECK(r.diagnostic_code ==
        "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table");
  CHECK(r.last_attempt_date.empty());  // Postfix's DSN has no Last-Attempt-Date (bounce_notify_util.c)
  // The DSN came from the null reverse path, and the LDA says so.
  const auto& box = w.mailbox("mail.sender.test", "alice@sender.test");
  auto dsn = sim::message::message::parse(box[0].raw);
  CHECK(dsn.get("Return-Path") == "<>");
  CHECK(dsn.get("From")->find("MAILER-DAEMON@mail.sender.test") != std::string::npos);
  auto created = w.events("bounce.create", "mail.sender.test");
  REQUIRE(created.size() == 1);
  CHECK(created[0]["to"] == "alice@sender.test");
  CHECK(created[0]["rcpts"] == sim::event::array({"bob@example.org"}));
}

TEST_CASE("bounce: NOTIFY=NEVER suppresses the report for that recipient only") {
  bounce_world w;
  smtp::outgoing_message m = envelope("alice@sender.test", {}, simple_message("quiet"));
  auto bob = rcpt("bob@example.org");
  bob.params.notify = smtp::dsn_notify{true, false, false, false};
  m.recipients.push_back(bob);
  w.send_at(sim::at_millis(1'000), w.alice, m);
  auto both = envelope("alice@sender.test", {}, simple_message("half-quiet"));
  both.recipients.push_back(bob);
  both.recipients.push_back(rcpt("dave@example.org"));
  w.send_at(sim::at_millis(2'000), w.alice, both);
  w.run();
  // Both of bob's failures bounced in the queue, but nobody told alice about them.
  std::size_t bob_bounced = 0;
  for (const auto& e : w.events("queue.bounce", "mail.sender.test")) bob_bounced += e["rcpt"] == "bob@example.org";
  CHECK(bob_bounced == 2);
  auto reports = w.reports_for_alice();
  REQUIRE(reports.size() == 1);
  REQUIRE(reports[0].recipients.size() == 1);
  CHECK(reports[0].recipients[0].final_recipient == "dave@example.org");
  CHECK(w.count("bounce.create") == 1);
}

TEST_CASE("bounce: a bounce that cannot be delivered is dropped, never bounced") {
  bounce_world w;
  // A machine in mynetworks sends as nobody@sender.test, which has no mailbox:
  // the report about bob can go nowhere.
  client_spec app{"laptop.sender.test", "mail.sender.test", smtp_port, "", std::nullopt, ""};
  auto sent = w.send_at(sim::at_millis(1'000), app,
                        envelope("nobody@sender.test", {"bob@example.org"}, simple_message("orphan")));
  w.run();
  REQUIRE(sent->accepted());
  auto created = w.events("bounce.create", "mail.sender.test");
  REQUIRE(created.size() == 1);
  auto dropped = w.events("bounce.drop", "mail.sender.test");
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0]["queue_id"] == created[0]["queue_id"]);
  CHECK(dropped[0]["rcpts"] == sim::event::array({"nobody@sender.test"}));
  CHECK(w.count("lda.deliver") == 0);
  CHECK(w.agent("mail.sender.test").queue_size() == 0);
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("bounce: a message from the null reverse path that fails is dropped too") {
  bounce_world w;
  client_spec app{"laptop.sender.test", "mail.sender.test", smtp_port, "", std::nullopt, ""};
  w.send_at(sim::at_millis(1'000), app, envelope("", {"bob@example.org"}, simple_message("dsn-from-elsewhere")));
  w.run();
  CHECK(w.count("bounce.create") == 0);
  CHECK(w.count("bounce.drop", "mail.sender.test") == 1);
  CHECK(w.count("queue.remove", "mail.sender.test") == 1);
}

TEST_CASE("bounce: after delay_warning alice gets one 'Action: delayed' report, and the mail still arrives") {
  queue_settings q;
  q.delay_warning = 30min;
  bounce_world w(q);
  w.net.add_fault("mx.example.org", sim::net::fault{sim::net::fault::kind::refuse, std::nullopt, {}});
  w.at(sim::at_millis(2 * 3600'000), [&] { w.net.clear_faults("mx.example.org"); });
  auto m = envelope("alice@sender.test", {"carol@example.org"}, simple_message("late"));
  w.send_at(sim::at_millis(1'000), w.alice, m);
  w.run();
  auto warned = w.events("queue.warn", "mail.sender.test");
  REQUIRE(warned.size() == 1);
  // The first attempt at or after 30 minutes: Postfix's attempts at 0, 5m, 10m, 20m, 40m.
  CHECK(warned[0]["t"].get<std::int64_t>() >= 40 * 60'000);
  CHECK(warned[0]["t"].get<std::int64_t>() < 41 * 60'000);
  auto reports = w.reports_for_alice();
  REQUIRE(reports.size() == 1);
  REQUIRE(reports[0].recipients.size() == 1);
  const auto& r = reports[0].recipients[0];
  CHECK(r.action == "delayed");
  CHECK(r.status == "4.4.1");
  CHECK(r.final_recipient == "carol@example.org");
  CHECK(r.will_retry_until == "Sat, 10 Jan 2026 09:00:01 +0000");  // arrival + lifetime 5d
  CHECK(reports[0].returned_type == "text/rfc822-headers");
  CHECK(w.mailbox("mx.example.org", "carol@example.org").size() == 1);
  CHECK(w.count("queue.bounce") == 0);
}

TEST_CASE("bounce: delivered, refused and deferred in one attempt, then a crash: the refusal is reported once") {
  bounce_world w;
  w.dns("example.net MX 10 mx.example.net");
  w.add_machine("mx.example.net", "203.0.113.10");  // no MTA there: connections are refused
  smtp::outgoing_message m = envelope("alice@sender.test", {"carol@example.org", "bob@example.org", "erin@example.net"},
                                      simple_message("mixed"));
  w.send_at(sim::at_millis(1000), w.alice, m);
  // The first attempt is over (carol filed, bob's DSN written, erin deferred); then the host dies.
  w.at(sim::at_millis(60'000), [&] { w.crash("mail.sender.test"); });
  w.at(sim::at_millis(61'000), [&] { w.restart("mail.sender.test"); });
  w.run(sim::at_millis(3'600'000));
  REQUIRE(w.events("host.restart").size() == 1);
  CHECK(w.events("host.restart")[0]["recovered"] == 1);  // erin is still to do
  CHECK(w.count("bounce.create") == 1);
  CHECK(w.reports_for_alice().size() == 1);
  CHECK(w.mailbox("mx.example.org", "carol@example.org").size() == 1);
  std::size_t bob_attempts = 0;
  for (const auto& e : w.events("queue.attempt", "mail.sender.test")) bob_attempts += e["rcpt"] == "bob@example.org";
  CHECK(bob_attempts == 1);
}
