// Tests for sim/message/received: format and read Received fields.
#include <catch2/catch.hpp>

#include "sim/message/received.hpp"

using namespace sim::message;

namespace {

received_stamp stamp() {
  received_stamp s;
  s.helo = "mail.sender.test";
  s.reverse_name = "mail.sender.test";
  s.ip = "192.0.2.25";
  s.by_host = "mx1.example.org";
  s.protocol = "ESMTP";
  s.queue_id = "4F3A2B";
  s.recipients = {"bob@example.org"};
  s.date = sim::wall_time{std::chrono::milliseconds{1767603601000}};
  return s;
}

}  // namespace

TEST_CASE("format_received: one recipient, folded in a message") {
  message m = message::parse("Subject: x\r\n\r\nbody\r\n");
  m.prepend("Received", format_received(stamp()));
  const std::string want =
      "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\r\n"
      "\tby mx1.example.org (mailsim) with ESMTP id 4F3A2B\r\n"
      "\tfor <bob@example.org>; Mon, 05 Jan 2026 09:00:01 +0000\r\n"
      "Subject: x\r\n\r\nbody\r\n";
  CHECK(m.serialize() == want);
}

TEST_CASE("format_received: several recipients are not named, no reverse name is unknown") {
  auto s = stamp();
  s.recipients = {"bob@example.org", "carol@example.org"};
  s.reverse_name.reset();
  s.protocol = "ESMTPA";
  const std::string want =
      "from mail.sender.test (unknown [192.0.2.25])\n\tby mx1.example.org (mailsim) with ESMTPA id 4F3A2B;\n"
      "\tMon, 05 Jan 2026 09:00:01 +0000";
  CHECK(format_received(s) == want);
  s.recipients.clear();
  CHECK(format_received(s) == want);
}

TEST_CASE("parse_received: reads back what format_received wrote") {
  const auto got = parse_received(format_received(stamp()));
  REQUIRE(got.has_value());
  CHECK(got->from_host == "mail.sender.test");
  CHECK(got->reverse_name == "mail.sender.test");
  CHECK(got->ip == "192.0.2.25");
  CHECK(got->by_host == "mx1.example.org");
  CHECK(got->protocol == "ESMTP");
  CHECK(got->id == "4F3A2B");
  CHECK(got->for_address == "bob@example.org");
  CHECK(got->date == "Mon, 05 Jan 2026 09:00:01 +0000");
}

TEST_CASE("parse_received: other MTAs' styles") {
  const auto postfix = parse_received(
      "from client.example.com (client.example.com [IPv6:2001:db8::1])\r\n\tby mx.example.org (Postfix) "
      "with ESMTPS id 4AbCdE\r\n\tfor <x@example.org>; Tue, 6 Jan 2026 10:00:00 +0100 (CET)");
  REQUIRE(postfix.has_value());
  CHECK(postfix->ip == "2001:db8::1");
  CHECK(postfix->by_host == "mx.example.org");
  CHECK(postfix->protocol == "ESMTPS");
  CHECK(postfix->for_address == "x@example.org");
  CHECK(postfix->date == "Tue, 6 Jan 2026 10:00:00 +0100 (CET)");

  const auto literal = parse_received("from [192.0.2.9] by relay.test with SMTP; Mon, 05 Jan 2026 09:00:00 +0000");
  REQUIRE(literal.has_value());
  CHECK(literal->from_host == "[192.0.2.9]");
  CHECK(literal->ip == "192.0.2.9");
  CHECK(literal->reverse_name.empty());
  CHECK(literal->by_host == "relay.test");

  const auto by_only = parse_received("by localhost (nested (comment)) id 1; date");
  REQUIRE(by_only.has_value());
  CHECK(by_only->from_host.empty());
  CHECK(by_only->id == "1");

  const auto v6 = parse_received("from [IPv6:2001:db8::2] by relay.test; date");
  REQUIRE(v6.has_value());
  CHECK(v6->ip == "2001:db8::2");
}

TEST_CASE("parse_received: no by clause") {
  CHECK_FALSE(parse_received("from a (b [1.2.3.4]); date").has_value());
  CHECK_FALSE(parse_received("").has_value());
}

TEST_CASE("received_path: by hosts from the bottom field to the top") {
  message m = message::parse("Subject: x\r\n\r\n");
  auto s = stamp();
  for (const char* host : {"mail.sender.test", "mx2.example.org", "mx1.example.org"}) {
    s.by_host = host;
    m.prepend("Received", format_received(s));
  }
  m.prepend("Received", "garbage without the clause");
  const std::vector<std::string> want = {"mail.sender.test", "mx2.example.org", "mx1.example.org"};
  CHECK(received_path(m) == want);
  CHECK(m.count("Received") == 4);
}
