// tests/sim/policy/rate_limit_test.cpp - a receiver's message and connection limits.
#include <catch2/catch.hpp>

#include "sim/policy/rate_limit.hpp"

using namespace sim::policy;
using namespace std::chrono_literals;

namespace {
sim::time_point at_time(sim::duration d) { return sim::time_point{d}; }

rate_limit_settings limit(rate_key per, std::uint64_t messages, sim::duration window) {
  rate_limit_settings s;
  s.per = per;
  s.messages = messages;
  s.window = window;
  s.reply = rate_limit_settings::default_rate_reply(per);
  return s;
}
}  // namespace

TEST_CASE("rate limit: a client IP over its messages per window is deferred until the oldest leaves the window") {
  rate_limiter r(limit(rate_key::client_ip, 2, 1h));
  CHECK(r.check_message("192.0.2.1", "sender.test", at_time(0s)).result == "pass");
  r.count_message("192.0.2.1", "sender.test", at_time(0s));
  r.count_message("192.0.2.1", "other.test", at_time(10min));
  auto got = r.check_message("192.0.2.1", "sender.test", at_time(20min));
  CHECK(got.check == "rate_limit");
  CHECK(got.result == "defer");
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{421, "4.7.28", "Rate limit exceeded for [192.0.2.1]: more than 2 messages; "
                                           "try again in 2400 seconds"});
  CHECK(got.detail == "[192.0.2.1]: 2 messages in 1h reached the limit of 2; 2400 seconds until one leaves the window");
  // Another client is counted on its own.
  CHECK(r.check_message("192.0.2.2", "sender.test", at_time(20min)).result == "pass");
  // One hour after the first, it has left the window.
  CHECK(r.check_message("192.0.2.1", "sender.test", at_time(1h)).result == "pass");
}

TEST_CASE("rate limit: per sender domain counts the domain whatever the client") {
  rate_limiter r(limit(rate_key::sender_domain, 1, 10min));
  r.count_message("192.0.2.1", "news.test", at_time(0s));
  auto got = r.check_message("192.0.2.9", "news.test", at_time(1s));
  CHECK(got.result == "defer");
  REQUIRE(got.reply);
  CHECK(got.reply->code == 450);
  CHECK(got.reply->text == "Rate limit exceeded for domain news.test: more than 1 messages; try again in 599 seconds");
  CHECK(r.check_message("192.0.2.1", "other.test", at_time(1s)).result == "pass");
  CHECK(r.check_message("192.0.2.1", "", at_time(1s)).detail == "<>: 0 of 1 messages in 10m");
}

TEST_CASE("rate limit: connections per client IP are refused over the limit and given back") {
  rate_limit_settings s;
  s.connections = 2;
  rate_limiter r(s);
  CHECK(r.open_connection("192.0.2.1").result == "pass");
  CHECK(r.open_connection("192.0.2.1").result == "pass");
  auto got = r.open_connection("192.0.2.1");
  CHECK(got.result == "defer");
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{421, "4.7.0", "Too many concurrent SMTP connections from [192.0.2.1]; try again later"});
  CHECK(r.open_connections("192.0.2.1") == 2);
  CHECK(r.open_connection("192.0.2.2").result == "pass");
  r.close_connection("192.0.2.1");
  CHECK(r.open_connection("192.0.2.1").result == "pass");
  r.close_connection("192.0.2.1");
  r.close_connection("192.0.2.1");
  r.close_connection("192.0.2.1");  // more closes than opens change nothing
  CHECK(r.open_connections("192.0.2.1") == 0);
}

TEST_CASE("rate limit: no message limit always passes and counts nothing") {
  rate_limit_settings s;
  s.connections = 1;
  rate_limiter r(s);
  for (int i = 0; i < 5; ++i) r.count_message("192.0.2.1", "a.test", at_time(0s));
  CHECK(r.check_message("192.0.2.1", "a.test", at_time(0s)).result == "pass");
}
