// tests/sim/policy/greylist_test.cpp - greylisting timings (RFC 6647, postgrey defaults).
#include <catch2/catch.hpp>

#include "sim/policy/greylist.hpp"

using namespace sim::policy;
using namespace std::chrono_literals;

namespace {
ip_address client_ip(const char* text) { return *parse_ip(text); }
sim::time_point at(sim::duration d) { return sim::time_point{d}; }
}  // namespace

TEST_CASE("the first attempt is deferred, an early retry too, a retry after the delay passes") {
  greylist list({});
  auto got = list.check(client_ip("192.0.2.1"), "alice@sender.test", "bob@example.org", at(0s));
  CHECK(got.check == "greylist");
  CHECK(got.result == "defer");
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{451, "4.7.1", "Greylisted, see RFC 6647; try again in 300 seconds"});
  got = list.check(client_ip("192.0.2.1"), "alice@sender.test", "bob@example.org", at(299s + 500ms));
  CHECK(got.result == "defer");
  CHECK(got.reply->text == "Greylisted, see RFC 6647; try again in 1 seconds");
  got = list.check(client_ip("192.0.2.1"), "alice@sender.test", "bob@example.org", at(300s));
  CHECK(got.result == "pass");
  CHECK_FALSE(got.reply);
  CHECK(got.detail == "triple (192.0.2.1, <alice@sender.test>, <bob@example.org>) retried after 300 seconds");
  got = list.check(client_ip("192.0.2.1"), "Alice@Sender.test", "bob@example.org", at(1h));
  CHECK(got.result == "pass");
  CHECK(got.detail == "known triple (192.0.2.1, <Alice@Sender.test>, <bob@example.org>)");
}

TEST_CASE("each part of the triple counts") {
  greylist list({});
  list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(0s));
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(10min)).result == "pass");
  CHECK(list.check(client_ip("192.0.2.2"), "a@s.test", "b@r.test", at(10min)).result == "defer");
  CHECK(list.check(client_ip("192.0.2.1"), "", "b@r.test", at(10min)).result == "defer");
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "c@r.test", at(10min)).result == "defer");
  CHECK(list.size() == 4);
}

TEST_CASE("an unconfirmed triple expires after the retry window, at and past it") {
  greylist_settings settings;
  settings.delay = 1min;
  greylist list(settings);
  list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(0s));
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(48h)).result == "pass");
  list.check(client_ip("192.0.2.9"), "a@s.test", "b@r.test", at(0s));
  auto got = list.check(client_ip("192.0.2.9"), "a@s.test", "b@r.test", at(48h + 1ms));
  CHECK(got.result == "defer");
  CHECK(got.detail == "new triple (192.0.2.9, <a@s.test>, <b@r.test>)");
}

TEST_CASE("a confirmed triple lasts 35 days from when it was last seen") {
  greylist list({});
  list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(0s));
  list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(5min));
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(5min + 35 * 24h)).result == "pass");
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(5min + 70 * 24h)).result == "pass");
  CHECK(list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(5min + 105 * 24h + 1ms)).result == "defer");
}

TEST_CASE("expire() forgets old triples") {
  greylist list({});
  list.check(client_ip("192.0.2.1"), "a@s.test", "b@r.test", at(0s));
  list.check(client_ip("192.0.2.2"), "a@s.test", "b@r.test", at(0s));
  list.check(client_ip("192.0.2.2"), "a@s.test", "b@r.test", at(10min));
  CHECK(list.expire(at(48h)) == 0);
  CHECK(list.expire(at(48h + 1ms)) == 1);
  CHECK(list.size() == 1);
  CHECK(list.expire(at(10min + 35 * 24h + 1ms)) == 1);
  CHECK(list.size() == 0);
}

TEST_CASE("whitelisted clients skip greylisting, IPv4 and IPv6") {
  greylist_settings settings;
  settings.whitelist = *parse_cidr_list({"198.51.100.0/24", "2001:db8::/32"});
  greylist list(settings);
  CHECK(list.check(client_ip("198.51.100.7"), "a@s.test", "b@r.test", at(0s)).result == "whitelisted");
  CHECK(list.check(client_ip("::ffff:198.51.100.7"), "a@s.test", "b@r.test", at(0s)).result == "whitelisted");
  CHECK(list.check(client_ip("2001:db8::25"), "a@s.test", "b@r.test", at(0s)).result == "whitelisted");
  CHECK(list.check(client_ip("2001:db9::25"), "a@s.test", "b@r.test", at(0s)).result == "defer");
  CHECK(list.size() == 1);
}
