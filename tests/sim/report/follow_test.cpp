// Tests for sim/report/follow: one message's journey out of the whole trace (`mailsim run --follow`).
#include <catch2/catch.hpp>

#include <set>

#include "sim/report/follow.hpp"
#include "support.hpp"

using report_test::approved_trace;
using sim::report::message_follower;

namespace {

std::vector<sim::event> followed(const std::string& scenario, const std::string& id) {
  message_follower f(id);
  std::vector<sim::event> out;
  for (const auto& e : approved_trace(scenario))
    if (f.follows(e)) out.push_back(e);
  return out;
}

std::set<std::string> values(const std::vector<sim::event>& events, const char* key) {
  std::set<std::string> out;
  for (const auto& e : events)
    if (e.contains(key) && e[key].is_string()) out.insert(e[key].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("follow: tour's message from composing to filing, with its three sessions and not the POP3 fetch") {
  auto got = followed("tour", "hello");
  REQUIRE_FALSE(got.empty());
  CHECK(got.front()["event"] == "mua.compose");
  CHECK(values(got, "session") == std::set<std::string>{"s1", "s2", "s3"});
  CHECK(values(got, "queue_id").size() == 2);
  auto names = values(got, "event");
  CHECK(names.count("lda.deliver"));
  CHECK(names.count("mx.select"));
  CHECK_FALSE(names.count("pop3.command"));
  CHECK_FALSE(names.count("dns.answer"));
  // the same by Message-ID, with or without its angle brackets
  CHECK(followed("tour", "<1.tour@sender.test>").size() == got.size());
  CHECK(followed("tour", "1.tour@sender.test").size() == got.size());
}

TEST_CASE("follow: one of two messages leaves the other's sessions out") {
  auto first = followed("greylisting", "first");
  auto second = followed("greylisting", "second");
  REQUIRE_FALSE(first.empty());
  REQUIRE_FALSE(second.empty());
  for (const auto& s : values(first, "session")) CHECK_FALSE(values(second, "session").count(s));
  CHECK(values(first, "message_id") != values(second, "message_id"));
  std::size_t deferrals = 0;
  for (const auto& e : first) deferrals += e["event"] == "queue.defer" ? 1 : 0;
  CHECK(deferrals >= 1);  // the greylisted first message is retried
}

TEST_CASE("follow: refused connections on the way and the DSNs the message caused belong to it") {
  auto got = followed("all-mx-down-expire", "contract");
  auto names = values(got, "event");
  CHECK(names.count("net.connect.refused"));
  CHECK(names.count("bounce.create"));
  CHECK(values(got, "message_id").size() == 3);  // the message, its delay notice, its bounce
  std::size_t filed = 0;
  for (const auto& e : got) filed += e["event"] == "lda.deliver" ? 1 : 0;
  CHECK(filed == 2);  // both DSNs reached alice
}

TEST_CASE("follow: an id that names nothing follows nothing") {
  message_follower f("nothing");
  for (const auto& e : approved_trace("tour")) CHECK_FALSE(f.follows(e));
  CHECK_FALSE(f.seen());
}
