// Tests for sim/message/dsn: compose delivery status notifications and read them back.
#include <catch2/catch.hpp>

#include "sim/message/compose.hpp"
#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"

using namespace sim::message;

namespace {

sim::wall_time at(std::int64_t seconds) {
  return sim::wall_time{std::chrono::milliseconds{(1767603600 + seconds) * 1000}};
}

std::string original() {
  compose_request r;
  r.from = "alice@sender.test";
  r.to = {"bob@example.org", "carol@example.org"};
  r.subject = "Hello";
  r.body = "Hi.\n";
  r.date = at(0);
  r.message_id = "<1.dsn-test@sender.test>";
  return compose(r);
}

dsn_request failure() {
  dsn_request d;
  d.reporting_mta = "mail.sender.test";
  d.original_sender = "alice@sender.test";
  d.envelope_id = "QQ+2B314";
  d.arrival_date = at(1);
  d.date = at(5);
  d.message_id = "<B1.dsn@mail.sender.test>";
  dsn_recipient bob;
  bob.final_recipient = "bob@example.org";
  bob.original_recipient = "rfc822;bob+2Bwork@example.org";
  bob.status = "5.1.1";
  bob.remote_mta = "mx1.example.org";
  bob.diagnostic_code = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table";
  bob.last_attempt_date = at(4);
  d.recipients.push_back(bob);
  d.original_message = original();
  return d;
}

dsn_request delay() {
  dsn_request d;
  d.reporting_mta = "mail.sender.test";
  d.original_sender = "alice@sender.test";
  d.date = at(4 * 3600);
  dsn_recipient carol;
  carol.final_recipient = "carol@example.org";
  carol.action = dsn_action::delayed;
  carol.status = "4.4.1";
  carol.last_attempt_date = at(4 * 3600);
  carol.will_retry_until = at(5 * 86400);
  d.recipients.push_back(carol);
  d.original_message = original();
  return d;
}

}  // namespace

TEST_CASE("dsn: a failure report, header fields") {
  const auto m = message::parse(compose_dsn(failure()));
  CHECK(m.get("From") == std::optional<std::string>("MAILER-DAEMON@mail.sender.test (Mail Delivery System)"));
  CHECK(m.get("To") == std::optional<std::string>("alice@sender.test"));
  CHECK(m.get("Subject") == std::optional<std::string>("Undelivered Mail Returned to Sender"));
  CHECK(m.get("Date") == std::optional<std::string>("Mon, 05 Jan 2026 09:00:05 +0000"));
  CHECK(m.get("Message-ID") == std::optional<std::string>("<B1.dsn@mail.sender.test>"));
  CHECK(m.get("Auto-Submitted") == std::optional<std::string>("auto-replied"));
  CHECK(m.get("MIME-Version") == std::optional<std::string>("1.0"));
  const auto ct = content_type_of(m);
  CHECK(ct.mime_type() == "multipart/report");
  CHECK(ct.parameter("report-type") == std::optional<std::string>("delivery-status"));
}

TEST_CASE("dsn: a failure report with ENVID and ORCPT, read back field by field") {
  const auto got = parse_dsn(compose_dsn(failure()));
  REQUIRE(got.has_value());
  CHECK(got->reporting_mta == "mail.sender.test");
  CHECK(got->original_envelope_id == "QQ+314");
  CHECK(got->arrival_date == "Mon, 05 Jan 2026 09:00:01 +0000");
  REQUIRE(got->recipients.size() == 1);
  const auto& bob = got->recipients[0];
  CHECK(bob.final_recipient == "bob@example.org");
  CHECK(bob.original_recipient == "bob+work@example.org");
  CHECK(bob.action == "failed");
  CHECK(bob.status == "5.1.1");
  CHECK(bob.remote_mta == "mx1.example.org");
  CHECK(bob.diagnostic_code == *failure().recipients[0].diagnostic_code);
  CHECK(bob.last_attempt_date == "Mon, 05 Jan 2026 09:00:04 +0000");
  CHECK(bob.will_retry_until.empty());
  CHECK(got->returned_type == "message/rfc822");
  CHECK(got->original_message_id == "<1.dsn-test@sender.test>");
}

TEST_CASE("dsn: the explanation names the host and the reply") {
  const auto tree = parse_mime(compose_dsn(failure()));
  REQUIRE(tree.children.size() == 3);
  const std::string text = tree.children[0].entity.body();
  CHECK(text.find("mail delivery system at host mail.sender.test") != std::string::npos);
  CHECK(text.find("could not be delivered") != std::string::npos);
  CHECK(text.find("host mx1.example.org said: 550 5.1.1") != std::string::npos);
  CHECK(tree.children[2].entity.body() == original());
}

TEST_CASE("dsn: a delay warning without ENVID or ORCPT returns headers only") {
  const std::string raw = compose_dsn(delay());
  CHECK(message::parse(raw).get("Subject") == std::optional<std::string>("Delayed Mail (still being retried)"));
  const auto got = parse_dsn(raw);
  REQUIRE(got.has_value());
  CHECK(got->original_envelope_id.empty());
  CHECK(got->arrival_date.empty());
  REQUIRE(got->recipients.size() == 1);
  const auto& carol = got->recipients[0];
  CHECK(carol.final_recipient == "carol@example.org");
  CHECK(carol.original_recipient.empty());
  CHECK(carol.action == "delayed");
  CHECK(carol.status == "4.4.1");
  CHECK(carol.remote_mta.empty());
  CHECK(carol.diagnostic_code.empty());
  CHECK(carol.will_retry_until == "Sat, 10 Jan 2026 09:00:00 +0000");
  CHECK(got->returned_type == "text/rfc822-headers");
  CHECK(got->original_message_id == "<1.dsn-test@sender.test>");
  const auto tree = parse_mime(raw);
  const std::string text = tree.children[0].entity.body();
  CHECK(text.find("not yet been delivered") != std::string::npos);
  CHECK(text.find("keep trying\r\nuntil Sat, 10 Jan 2026 09:00:00 +0000.") != std::string::npos);
  CHECK(tree.children[2].entity.body() == message::parse(original()).header_text());
}

TEST_CASE("dsn: RET chooses what comes back") {
  auto hdrs = failure();
  hdrs.ret = dsn_ret::hdrs;
  CHECK(parse_dsn(compose_dsn(hdrs))->returned_type == "text/rfc822-headers");
  auto full = delay();
  full.ret = dsn_ret::full;
  CHECK(parse_dsn(compose_dsn(full))->returned_type == "message/rfc822");
  auto big = failure();
  big.ret = dsn_ret::full;
  big.original_message = original() + std::string(max_returned_message, 'x');
  CHECK(parse_dsn(compose_dsn(big))->returned_type == "text/rfc822-headers");
  big.original_message.resize(max_returned_message);
  CHECK(parse_dsn(compose_dsn(big))->returned_type == "message/rfc822");
}

TEST_CASE("dsn: several recipients, a failure among delays, deterministic output") {
  auto d = failure();
  d.recipients.push_back(delay().recipients[0]);
  d.recipients[0].original_recipient = "bob@example.org";  // no type: rfc822 assumed
  const std::string raw = compose_dsn(d);
  CHECK(raw == compose_dsn(d));
  const auto got = parse_dsn(raw);
  REQUIRE(got->recipients.size() == 2);
  CHECK(got->recipients[0].action == "failed");
  CHECK(got->recipients[0].original_recipient == "bob@example.org");
  CHECK(got->recipients[1].action == "delayed");
  CHECK(message::parse(raw).get("Subject") == std::optional<std::string>("Undelivered Mail Returned to Sender"));
  CHECK(raw.find("Original-Recipient: rfc822;bob@example.org\r\n") != std::string::npos);
}

TEST_CASE("dsn: default Message-ID and a success report") {
  auto d = failure();
  d.message_id.clear();
  d.recipients[0].action = dsn_action::relayed;
  d.recipients[0].status = "2.0.0";
  const auto m = message::parse(compose_dsn(d));
  CHECK(m.get("Message-ID") == std::optional<std::string>("<1767603605000.dsn@mail.sender.test>"));
  CHECK(m.get("Subject") == std::optional<std::string>("Successful Mail Delivery Report"));
  CHECK(parse_dsn(m.serialize())->recipients[0].action == "relayed");
}

TEST_CASE("parse_dsn: not a DSN") {
  CHECK_FALSE(parse_dsn(original()).has_value());
  CHECK_FALSE(parse_dsn("Content-Type: multipart/report; boundary=x\r\n\r\n--x\r\n\r\ntext\r\n--x--\r\n").has_value());
  CHECK_FALSE(parse_dsn("").has_value());
}

TEST_CASE("dsn: to_string of every action") {
  CHECK(to_string(dsn_action::failed) == "failed");
  CHECK(to_string(dsn_action::delayed) == "delayed");
  CHECK(to_string(dsn_action::delivered) == "delivered");
  CHECK(to_string(dsn_action::relayed) == "relayed");
  CHECK(to_string(dsn_action::expanded) == "expanded");
}
