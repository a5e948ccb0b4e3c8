// tests/sim/campaign/plan_test.cpp - rates, batches and submission times.
#include <catch2/catch.hpp>

#include "sim/campaign/plan.hpp"

using namespace sim::campaign;
using namespace std::chrono_literals;

TEST_CASE("rates: count per period") {
  auto r = parse_rate("50/s");
  REQUIRE(r.value);
  CHECK(r.value->messages == 50);
  CHECK(r.value->per == sim::duration(1s));
  CHECK(parse_rate("3000/h").value->per == sim::duration(1h));
  CHECK(parse_rate("10/5m").value->per == sim::duration(5min));
}

TEST_CASE("rates: what is wrong with a bad one") {
  CHECK(parse_rate("-5/s").error == "a rate cannot be negative (\"-5/s\")");
  CHECK(parse_rate("0/s").error == "a rate of 0 messages would never send anything");
  CHECK(parse_rate("50").error == "\"50\" is not a rate (messages per period: \"50/s\", \"3000/h\", \"10/5m\")");
  CHECK(parse_rate("x/s").error == "\"x\" is not a whole number of messages");
  CHECK(parse_rate("5/fortnight").error == "\"fortnight\" is not a period (\"s\", \"m\", \"h\", \"10s\")");
  CHECK(parse_rate("5/31d").error == "a rate's period is at most 30d");
}

TEST_CASE("batches: recipients in list order, the last one shorter") {
  CHECK(message_count(200, 25) == 8);
  CHECK(message_count(201, 25) == 9);
  CHECK(batch_of(8, 201, 25) == std::pair<std::uint64_t, std::uint64_t>{200, 1});
  CHECK(batch_of(1, 201, 25) == std::pair<std::uint64_t, std::uint64_t>{25, 25});
}

TEST_CASE("pacing: evenly spread, never more than N in a period") {
  rate r{50, 1s};
  CHECK(submit_offset(0, r) == sim::duration(0));
  CHECK(submit_offset(1, r) == sim::duration(20ms));
  CHECK(submit_offset(50, r) == sim::duration(1s));
  rate thirds{3, 1s};
  CHECK(submit_offset(1, thirds) == sim::duration(333ms));
  CHECK(submit_offset(2, thirds) == sim::duration(666ms));
  CHECK(submit_offset(5, std::nullopt) == sim::duration(0));
}
