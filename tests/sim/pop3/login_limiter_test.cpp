// login_limiter: failed POP3 logins per client address, in a sliding window.
#include <catch2/catch.hpp>

#include "sim/pop3/login_limiter.hpp"

using namespace sim::pop3;
using namespace std::chrono_literals;

TEST_CASE("login_limiter: ten failures in an hour refuse the address until the oldest is an hour old") {
  login_limiter l;  // 10 failures, 1 hour
  const std::string ip = "203.0.113.200";
  for (int i = 0; i < 9; ++i) {
    CHECK_FALSE(l.refused(ip, sim::at_millis(i * 1000)));
    CHECK(l.failed(ip, sim::at_millis(i * 1000)) == static_cast<std::size_t>(i + 1));
  }
  CHECK_FALSE(l.refused(ip, sim::at_millis(9000)));
  CHECK(l.failed(ip, sim::at_millis(9000)) == 10);
  CHECK(l.refused(ip, sim::at_millis(9001)));
  CHECK_FALSE(l.refused("192.0.2.10", sim::at_millis(9001)));  // another client is not touched
  CHECK(l.refused(ip, sim::at_millis(3'599'999)));
  CHECK_FALSE(l.refused(ip, sim::at_millis(3'600'000)));  // the first failure has aged out
}

TEST_CASE("login_limiter: a client's memory is bounded whatever it sends") {
  login_limiter l(3, 1min);
  for (int i = 0; i < 100'000; ++i) l.failed("203.0.113.200", sim::at_millis(i));
  CHECK(l.failed("203.0.113.200", sim::at_millis(100'000)) == 3);
}
