// The MTA's relay control and recipient checks (Postfix's
// permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination,
// reject_unlisted_recipient), told as stories of clients at mx.example.org.
#include <catch2/catch.hpp>

#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

// mx.example.org hosts bob@example.org (password "pw") and trusts
// 192.0.2.0/24; mx.other.example is a real MX for other.example, so an
// open relay would really deliver there.
struct relay_world : agent_world {
  relay_world() {
    dns("example.org MX 10 mx.example.org");
    dns("other.example MX 10 mx.other.example");
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    mx.mynetworks = {*sim::policy::parse_cidr("192.0.2.0/24")};
    mx.submission = true;
    add_mta(mx, {{"bob@example.org", {"pw", std::nullopt}}});
    mta_config other;
    other.host = "mx.other.example";
    other.ip = "198.51.100.110";
    other.local_domains = {"other.example"};
    add_mta(other, {{"user@other.example", {}}});
    add_machine("bot.outside.test", "203.0.113.66");
    add_machine("app.inside.test", "192.0.2.77");
  }

  const client_spec outsider{"bot.outside.test", "mx.example.org", smtp_port, "", std::nullopt, ""};
  const client_spec insider{"app.inside.test", "mx.example.org", smtp_port, "", std::nullopt, ""};

  std::size_t relayed_to_other() { return mailbox("mx.other.example", "user@other.example").size(); }
};

}  // namespace

TEST_CASE("relay: a stranger's tricks to pass mail on through mx.example.org never open a relay") {
  relay_world w;
  auto got = w.dialogue_at(sim::at_millis(1000), w.outsider,
                           {"EHLO bot.outside.test", "MAIL FROM:<spam@outside.test>",
                            // The percent hack: the local part is example.org's business (RFC 5321 2.3.11).
                            "RCPT TO:<user%other.example@example.org>",
                            // A quoted "@" is part of the local part, not a second domain.
                            "RCPT TO:<\"user@other.example\"@example.org>",
                            // A UUCP bang path is a local part too.
                            "RCPT TO:<other.example!user@example.org>",
                            // A source route is ignored (RFC 5321 appendix C): what is left is foreign.
                            "RCPT TO:<@example.org:user@other.example>",
                            "RCPT TO:<user@other.example>", "QUIT"});
  w.run();
  REQUIRE(got->size() == 9);
  CHECK(starts_with((*got)[3], "550 5.1.1"));
  CHECK(starts_with((*got)[4], "550 5.1.1"));
  CHECK(starts_with((*got)[5], "550 5.1.1"));
  CHECK(starts_with((*got)[6], "554 5.7.1"));
  CHECK(starts_with((*got)[7], "554 5.7.1"));
  CHECK((*got)[7].find("Relay access denied") != std::string::npos);
  // Nothing was queued, nobody looked up other.example, nothing arrived there.
  CHECK(w.count("queue.enqueue") == 0);
  CHECK(w.count("mx.select") == 0);
  CHECK(w.relayed_to_other() == 0);
}

TEST_CASE("relay: the tricks stay local even when the client then sends a message") {
  relay_world w;
  auto got = w.dialogue_at(sim::at_millis(1000), w.outsider,
                           {"EHLO bot.outside.test", "MAIL FROM:<spam@outside.test>",
                            "RCPT TO:<user%other.example@example.org>", "RCPT TO:<bob@example.org>", "DATA",
                            "Subject: prize\r\n\r\nYou won.\r\n.", "QUIT"});
  w.run();
  REQUIRE(got->size() == 8);
  CHECK(starts_with((*got)[3], "550 5.1.1"));
  CHECK(starts_with((*got)[4], "250"));
  CHECK(starts_with((*got)[6], "250 2.0.0 Ok: queued as"));
  REQUIRE(w.count("queue.enqueue") == 1);
  CHECK(w.events("queue.enqueue")[0]["rcpts"] == sim::event::array({"bob@example.org"}));
  CHECK(w.mailbox("mx.example.org", "bob@example.org").size() == 1);
  CHECK(w.relayed_to_other() == 0);
}

TEST_CASE("relay: an outside client relaying to a foreign domain gets 554 5.7.1 and a policy.check") {
  relay_world w;
  auto got = w.send_at(sim::at_millis(1000), w.outsider,
                       envelope("spam@outside.test", {"user@other.example"}, simple_message("spam")));
  w.run();
  REQUIRE(got->done);
  REQUIRE(got->report.recipients.size() == 1);
  const auto& reply = *got->report.recipients[0].server_reply;
  CHECK(reply.code == 554);
  CHECK(reply.enhanced == "5.7.1");
  auto checks = w.events("policy.check", "mx.example.org");
  REQUIRE(checks.size() == 1);
  CHECK(checks[0]["check"] == "relay");
  CHECK(checks[0]["result"] == "reject");
  CHECK(w.relayed_to_other() == 0);
}

TEST_CASE("relay: a client in mynetworks may relay, and the mail reaches the foreign MX") {
  relay_world w;
  auto got = w.send_at(sim::at_millis(1000), w.insider,
                       envelope("app@inside.test", {"user@other.example"}, simple_message("report")));
  w.run();
  CHECK(got->accepted());
  CHECK(w.relayed_to_other() == 1);
  auto relay = w.events("policy.check", "mx.example.org");
  REQUIRE(!relay.empty());
  CHECK(relay[0]["result"] == "ok");
  CHECK(relay[0]["detail"] == "client [192.0.2.77] in mynetworks");
}

TEST_CASE("relay: an authenticated client may relay from outside, without AUTH port 587 refuses MAIL") {
  relay_world w;
  client_spec with_auth = w.outsider;
  with_auth.port = submission_port;
  with_auth.auth_user = "bob@example.org";
  with_auth.auth_password = "pw";
  client_spec no_auth = w.outsider;
  no_auth.port = submission_port;
  client_spec wrong_password = with_auth;
  wrong_password.auth_password = "guess";
  auto authed = w.send_at(sim::at_millis(1000), with_auth,
                          envelope("bob@example.org", {"user@other.example"}, simple_message("hi")));
  auto anonymous = w.send_at(sim::at_millis(2000), no_auth,
                             envelope("bob@example.org", {"user@other.example"}, simple_message("hi2")));
  auto guessed = w.send_at(sim::at_millis(3000), wrong_password,
                           envelope("bob@example.org", {"user@other.example"}, simple_message("hi3")));
  w.run();
  CHECK(authed->accepted());
  CHECK_FALSE(anonymous->accepted());
  CHECK_FALSE(guessed->accepted());
  std::size_t auth_required = 0, auth_failed = 0;
  for (const auto& e : w.events("smtp.reply", "mx.example.org")) {
    auth_required += e["code"] == 530;
    auth_failed += e["code"] == 535;
  }
  CHECK(auth_required >= 1);
  CHECK(auth_failed == 1);
  CHECK(w.relayed_to_other() == 1);
}

TEST_CASE("relay: an unknown local mailbox is refused at RCPT with 550 5.1.1, a known one in any case is not") {
  relay_world w;
  auto got = w.dialogue_at(sim::at_millis(1000), w.outsider,
                           {"EHLO bot.outside.test", "MAIL FROM:<someone@outside.test>",
                            "RCPT TO:<nobody@example.org>", "RCPT TO:<Bob@Example.ORG>", "RSET", "QUIT"});
  w.run();
  REQUIRE(got->size() == 7);
  CHECK(starts_with((*got)[3], "550 5.1.1 <nobody@example.org>"));
  CHECK(starts_with((*got)[4], "250 2.1.5"));
  auto checks = w.events("policy.check", "mx.example.org");
  std::size_t recipient_rejects = 0;
  for (const auto& e : checks) recipient_rejects += e["check"] == "recipient" && e["result"] == "reject";
  CHECK(recipient_rejects == 1);
}

TEST_CASE("relay: the trusted client is refused for unknown local mailboxes too") {
  relay_world w;
  auto got = w.send_at(sim::at_millis(1000), w.insider,
                       envelope("app@inside.test", {"nobody@example.org"}, simple_message("x")));
  w.run();
  REQUIRE(got->report.recipients.size() == 1);
  CHECK(got->report.recipients[0].server_reply->code == 550);
  CHECK(got->report.recipients[0].server_reply->enhanced == "5.1.1");
}
