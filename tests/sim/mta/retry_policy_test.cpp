// retry_policy: the backoff schedule, expiry and the delay warning.
#include <catch2/catch.hpp>

#include "sim/mta/retry_policy.hpp"

using namespace std::chrono_literals;
using namespace sim::mta;
using sim::at_millis;
using sim::duration;

TEST_CASE("retry_policy: waits double from min_backoff and stop at max_backoff") {
  queue_settings settings;  // 5m .. 1h
  std::vector<duration> got;
  for (int attempts = 0; attempts <= 8; ++attempts) got.push_back(retry_delay(settings, attempts));
  std::vector<duration> want{0min, 5min, 10min, 20min, 40min, 60min, 60min, 60min, 60min};
  CHECK(got == want);
}

TEST_CASE("retry_policy: the default schedule as attempt times from arrival") {
  queue_settings settings;
  std::vector<duration> got;
  sim::time_point at = at_millis(0);
  for (int attempt = 1; attempt <= 8; ++attempt) {
    got.push_back(at.time_since_epoch());
    at = next_attempt_at(settings, at, attempt);
  }
  std::vector<duration> want{0min, 5min, 15min, 35min, 75min, 135min, 195min, 255min};
  CHECK(got == want);
}

TEST_CASE("retry_policy: custom backoffs, a cap that is not a doubling, and huge attempt counts") {
  queue_settings settings;
  settings.min_backoff = 1s;
  settings.max_backoff = 5s;
  CHECK(retry_delay(settings, 1) == 1s);
  CHECK(retry_delay(settings, 3) == 4s);
  CHECK(retry_delay(settings, 4) == 5s);
  CHECK(retry_delay(settings, 1'000'000) == 5s);
  settings.min_backoff = 10min;  // above the cap: the cap wins
  CHECK(retry_delay(settings, 1) == 5s);
  CHECK(retry_delay(settings, -1) == 0s);
}

TEST_CASE("retry_policy: expiry at exactly lifetime, bounce_lifetime for bounces") {
  queue_settings settings;
  settings.lifetime = 5 * 24h;
  settings.bounce_lifetime = 1h;
  auto arrival = at_millis(1000);
  auto five_days = arrival + 5 * 24h;
  CHECK_FALSE(has_expired(settings, arrival, five_days - 1ms, false));
  CHECK(has_expired(settings, arrival, five_days, false));
  CHECK(expires_at(settings, arrival, false) == five_days);
  CHECK_FALSE(has_expired(settings, arrival, arrival + 1h - 1ms, true));
  CHECK(has_expired(settings, arrival, arrival + 1h, true));
  CHECK(expires_at(settings, arrival, true) == arrival + 1h);
}

TEST_CASE("retry_policy: one delay warning, due at delay_warning after arrival") {
  queue_settings settings;  // 4h
  auto arrival = at_millis(0);
  CHECK(delay_warning_at(settings, arrival, false) == arrival + 4h);
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 4h - 1ms, false, false));
  CHECK(delay_warning_due(settings, arrival, arrival + 4h, false, false));
  CHECK(delay_warning_due(settings, arrival, arrival + 2 * 24h, false, false));
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 4h, false, true));  // already warned
}

TEST_CASE("retry_policy: no delay warning for a bounce or when delay_warning is 0s") {
  queue_settings settings;
  auto arrival = at_millis(0);
  CHECK(delay_warning_at(settings, arrival, true) == std::nullopt);
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 10 * 24h, true, false));
  settings.delay_warning = 0s;
  CHECK(delay_warning_at(settings, arrival, false) == std::nullopt);
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 10 * 24h, false, false));
}
