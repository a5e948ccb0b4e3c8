// tests/sim/policy/header_syntax_test.cpp - RFC 5322 date-time, msg-id and address syntax.
#include <catch2/catch.hpp>

#include "sim/policy/header_syntax.hpp"

using namespace sim::policy;

TEST_CASE("RFC 5322 date-time: current and obsolete forms") {
  for (const char* good : {"Mon, 05 Jan 2026 09:00:00 +0000", "5 Jan 2026 09:00 -0500", "Mon, 5 Jan 26 09:00:00 GMT",
                           "05 jan 2026 23:59:60 +0130", "Thu, 01 Jan 1970 00:00:00 UT", "Mon, 05 Jan 2026 09:00:00 +0000 (UTC)",
                           "Mon , 05 Jan 2026 09:00:00 EST", "29 Feb 2024 12:00:00 Z", "1 Jan 099 00:00 +0000"}) {
    INFO(good);
    CHECK(is_valid_date_time(good));
  }
  for (const char* bad : {"", "yesterday", "2026-01-05T09:00:00Z", "Tue, 05 Jan 2026 09:00:00 +0000",
                          "Mon 05 Jan 2026 09:00:00 +0000", "32 Jan 2026 09:00:00 +0000", "29 Feb 2026 09:00:00 +0000",
                          "05 Foo 2026 09:00:00 +0000", "05 Jan 2026 24:00:00 +0000", "05 Jan 2026 09:60 +0000",
                          "05 Jan 2026 09:00:00", "05 Jan 2026 09:00:00 +00", "05 Jan 2026 09:00:00 +0060",
                          "05 Jan 2026 09:00:00 CET", "05 Jan 2026 09:00:00 J", "05 Jan 2026 09:00:00 +0000 extra",
                          "123 Jan 2026 09:00 +0000", "05 Jan 6 09:00 +0000"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_date_time(bad));
  }
}

TEST_CASE("RFC 5322 msg-id") {
  for (const char* good : {"<1.2@example.org>", " <a.b@[192.0.2.1]> ", "<\"quoted left\"@example.org>",
                           "(comment) <x@y>"}) {
    INFO(good);
    CHECK(is_valid_msg_id(good));
  }
  for (const char* bad : {"", "1.2@example.org", "<1.2>", "<@example.org>", "<a@>", "<a..b@example.org>",
                          "<a@b> <c@d>", "<a b@example.org>", "<a@b", "a@b>"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_msg_id(bad));
  }
}

TEST_CASE("RFC 5322 mailbox lists") {
  auto boxes = parse_mailbox_list("\"Martin, Alice\" <alice@Example.ORG>, bob@example.net (Bob)");
  REQUIRE(boxes);
  REQUIRE(boxes->size() == 2);
  CHECK((*boxes)[0].display_name == "Martin, Alice");
  CHECK((*boxes)[0].address == "alice@example.org");
  CHECK((*boxes)[0].domain == "example.org");
  CHECK((*boxes)[1].display_name.empty());
  CHECK((*boxes)[1].address == "bob@example.net");

  boxes = parse_mailbox_list("=?UTF-8?Q?J=C3=BCrgen?= <j@example.de>");
  REQUIRE(boxes);
  CHECK(boxes->front().display_name == "J\xc3\xbcrgen");
  boxes = parse_mailbox_list("service@paypal.com <x@evil.test>");  // unquoted '@' in the name: read as mail readers do
  REQUIRE(boxes);
  CHECK(boxes->front().display_name == "service@paypal.com");
  CHECK(boxes->front().domain == "evil.test");
  CHECK(parse_mailbox_list("\"a@b\"@example.org"));
  CHECK(parse_mailbox_list("root@[192.0.2.1]"));

  for (const char* bad : {"", "Alice", "alice@", "@example.org", "Alice <alice>", "undisclosed:;", "a@b, broken",
                          "<a@b> trailing", "a..b@example.org", "a@exa mple.org"}) {
    INFO(bad);
    CHECK_FALSE(parse_mailbox_list(bad));
  }
}

TEST_CASE("counting addresses in To and Cc") {
  CHECK(count_addresses("a@x.example, \"Doe, John\" <j@x.example>, team: b@x.example, c@x.example;") == 4);
  CHECK(count_addresses("undisclosed-recipients:;") == 0);
  CHECK(count_addresses("a@x.example (at, home), b@x.example") == 2);
  CHECK(count_addresses("") == 0);
}
