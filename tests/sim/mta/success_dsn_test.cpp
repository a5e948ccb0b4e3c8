// NOTIFY=SUCCESS (RFC 3461 section 5.2.2): the final host's LDA reports
// "delivered"; a relay to a server that does not offer DSN reports
// "relayed"; a relay to one that does passes the request on and says nothing.
#include <catch2/catch.hpp>

#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;
namespace smtp = sim::smtp;

namespace {

// alice@sender.test submits at mail.sender.test; carol's mailbox is at
// mx.example.org, whose server offers DSN unless told not to.
struct success_world : agent_world {
  explicit success_world(bool mx_offers_dsn, const profile& words = default_profile()) {
    dns("example.org MX 10 mx.example.org");
    dns("sender.test MX 10 mail.sender.test");
    mta_config sender;
    sender.host = "mail.sender.test";
    sender.ip = "192.0.2.25";
    sender.local_domains = {"sender.test"};
    sender.mynetworks = {*sim::policy::parse_cidr("192.0.2.0/24")};
    sender.submission = true;
    sender.mta_profile = &words;
    add_mta(sender, {{"alice@sender.test", {"pw", std::nullopt}}});
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    mx.offer_dsn = mx_offers_dsn;
    mx.mta_profile = &words;
    add_mta(mx, {{"carol@example.org", {}}});
    add_machine("laptop.sender.test", "192.0.2.50");
  }

  client_spec alice{"laptop.sender.test", "mail.sender.test", submission_port, "", "alice@sender.test", "pw"};

  // alice's message to carol, NOTIFY=SUCCESS,FAILURE with ORCPT and ENVID.
  void send(smtp::dsn_ret ret = smtp::dsn_ret::unspecified) {
    smtp::outgoing_message m = envelope("alice@sender.test", {}, simple_message("receipt"));
    smtp::outgoing_recipient carol;
    carol.forward_path = *smtp::parse_mailbox("carol@example.org");
    carol.params.notify = smtp::dsn_notify{false, true, true, false};
    carol.params.orcpt = smtp::original_recipient{"rfc822", "Carol@Example.org"};
    m.recipients.push_back(carol);
    m.envid = "env-7";
    m.ret = ret;
    send_at(sim::at_millis(1'000), alice, m);
    run();
  }

  std::vector<std::pair<std::string, sim::message::dsn_report>> reports() const {
    std::vector<std::pair<std::string, sim::message::dsn_report>> out;
    for (const auto& m : mailbox("mail.sender.test", "alice@sender.test"))
      if (auto r = sim::message::parse_dsn(m.raw)) out.emplace_back(m.raw, *r);
    return out;
  }
};

}  // namespace

TEST_CASE("success dsn: the final host's LDA reports delivered, the relay that passed NOTIFY on says nothing") {
  success_world w(true);
  w.send();
  REQUIRE(w.mailbox("mx.example.org", "carol@example.org").size() == 1);
  auto got = w.reports();
  REQUIRE(got.size() == 1);
  const auto& [raw, report] = got[0];
  CHECK(report.reporting_mta == "mx.example.org");
  CHECK(report.original_envelope_id == "env-7");
  CHECK(report.returned_type == "text/rfc822-headers");
  REQUIRE(report.recipients.size() == 1);
  const auto& r = report.recipients[0];
  CHECK(r.action == "delivered");
  CHECK(r.status == "2.0.0");
  CHECK(r.final_recipient == "carol@example.org");
  CHECK(r.original_recipient == "Carol@Example.org");
  CHECK(r.diagnostic_code.starts_with("250 2.0.0"));
  auto dsn = sim::message::message::parse(raw);
  CHECK(dsn.get("Subject") == "Successful Mail Delivery Report");
  CHECK(dsn.get("Return-Path") == "<>");
  CHECK(raw.find("<carol@example.org>: delivery via mx.example.org[private/lmtp]: 250 2.0.0") != std::string::npos);
  auto created = w.events("bounce.create", "mx.example.org");
  REQUIRE(created.size() == 1);
  CHECK(created[0]["action"] == "delivered");
  CHECK(w.count("bounce.create", "mail.sender.test") == 0);
}

TEST_CASE("success dsn: a relay to a server without DSN reports relayed itself, with the server's reply") {
  success_world w(false);
  w.send(smtp::dsn_ret::full);
  REQUIRE(w.mailbox("mx.example.org", "carol@example.org").size() == 1);
  auto got = w.reports();
  REQUIRE(got.size() == 1);  // mx.example.org never heard of NOTIFY: no second report
  const auto& [raw, report] = got[0];
  CHECK(report.reporting_mta == "mail.sender.test");
  CHECK(report.returned_type == "message/rfc822");  // RET=FULL
  REQUIRE(report.recipients.size() == 1);
  const auto& r = report.recipients[0];
  CHECK(r.action == "relayed");
  CHECK(r.status == "2.0.0");
  CHECK(r.remote_mta == "mx.example.org");
  CHECK(r.diagnostic_code.starts_with("250 "));
  CHECK(raw.find("delivery via mx.example.org[198.51.100.10]:25: 250") != std::string::npos);
  auto created = w.events("bounce.create", "mail.sender.test");
  REQUIRE(created.size() == 1);
  CHECK(created[0]["action"] == "relayed");
}

TEST_CASE("success dsn: without NOTIFY=SUCCESS nobody reports a delivery") {
  success_world w(false);
  auto m = envelope("alice@sender.test", {"carol@example.org"}, simple_message("plain"));
  w.send_at(sim::at_millis(1'000), w.alice, m);
  w.run();
  CHECK(w.mailbox("mx.example.org", "carol@example.org").size() == 1);
  CHECK(w.reports().empty());
  CHECK(w.count("bounce.create") == 0);
}

TEST_CASE("success dsn: exim says Action delivered for a relay to a non-DSN server, as deliver.c does") {
  success_world w(false, exim_profile());
  w.send();
  auto got = w.reports();
  REQUIRE(got.size() == 1);
  const auto& [raw, report] = got[0];
  CHECK(report.recipients.at(0).action == "delivered");
  CHECK(raw.find("Subject: Delivery Status Notification") != std::string::npos);
  CHECK(raw.find("<carol@example.org> (relayed to non-DSN-aware mailer)") != std::string::npos);
}
