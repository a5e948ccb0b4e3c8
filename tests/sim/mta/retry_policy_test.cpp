// retry_policy: the algorithms' waits, the clamp, queue runs, expiry and the delay warning.
// (Each profile's whole schedule over five days is in tests/sim/mta/profiles/.)
#include <catch2/catch.hpp>

#include "sim/mta/retry_policy.hpp"

using namespace std::chrono_literals;
using namespace sim::mta;
using sim::at_millis;
using sim::duration;
using sim::time_point;

namespace {

queue_settings exact(retry_algorithm a) {
  queue_settings s;
  s.algorithm = a;
  s.min_backoff = 0s;
  s.max_backoff = 100 * 24h;
  s.run_delay = 0s;
  return s;
}

}  // namespace

TEST_CASE("retry_policy: postfix waits the message's age in whole seconds, clamped to the backoff bounds") {
  queue_settings s;  // postfix: 300s .. 4000s, runs every 300s
  auto arrival = at_millis(1'062);
  CHECK(algorithm_wait(s, arrival, at_millis(1'100), 1) == 0s);
  CHECK(algorithm_wait(s, arrival, at_millis(600'050), 2) == 599s);  // 600 - 1: whole seconds
  s.run_delay = 0s;
  CHECK(next_attempt_at(s, arrival, at_millis(1'100), 1) == at_millis(301'000));  // min_backoff, from second 1
  CHECK(next_attempt_at(s, arrival, at_millis(2'400'000), 3) == at_millis(2'400'000 + 2'399'000));
  CHECK(next_attempt_at(s, arrival, arrival + 24h, 30) == arrival - 62ms + 24h + 4000s);  // maximal_backoff_time
}

TEST_CASE("retry_policy: a postfix queue run takes a message due up to one second later") {
  queue_settings s;
  // Due at 301 s: the run at 300 s takes it (qmgr_active.c: mtime > now + 1 is skipped).
  CHECK(next_queue_run(s, at_millis(301'000), at_millis(1'100)) == at_millis(300'000));
  CHECK(next_queue_run(s, at_millis(301'001), at_millis(1'100)) == at_millis(600'000));
  // Never at or before the attempt that just ended.
  CHECK(next_queue_run(s, at_millis(300'500), at_millis(300'100)) == at_millis(600'000));
  s.algorithm = retry_algorithm::sendmail;  // no leeway elsewhere
  CHECK(next_queue_run(s, at_millis(301'000), at_millis(1'100)) == at_millis(600'000));
  s.run_delay = 0s;  // no queue runs: exactly when due
  CHECK(next_queue_run(s, at_millis(301'000), at_millis(1'100)) == at_millis(301'000));
}

TEST_CASE("retry_policy: exim's rules by time since the first failure, G multiplying the last interval") {
  auto s = exact(retry_algorithm::exim);
  s.exim_rules = {{'F', 2h, 15min, 1.0}, {'G', 16h, 1h, 1.5}, {'F', 4 * 24h, 6h, 1.0}};
  auto t0 = at_millis(0);
  CHECK(algorithm_wait(s, t0, t0, 1) == 15min);
  CHECK(algorithm_wait(s, t0, t0 + 2h, 9) == 15min);  // at the cutoff the rule still applies
  // The first G interval after the F ones (whose 15 minutes are below it) is 1h.
  CHECK(algorithm_wait(s, t0, t0 + 2h + 15min, 10) == 1h);
  CHECK(algorithm_wait(s, t0, t0 + 3h + 15min, 11) == 90min);
  CHECK(algorithm_wait(s, t0, t0 + 4h + 45min, 12) == 135min);
  CHECK(algorithm_wait(s, t0, t0 + 17h, 20) == 6h);
  CHECK(algorithm_wait(s, t0, t0 + 5 * 24h, 30) == 6h);  // past the last cutoff: the last rule
}

TEST_CASE("retry_policy: sendmail tries at every queue run; opensmtpd at 400 s times the step squared") {
  auto s = exact(retry_algorithm::sendmail);
  CHECK(algorithm_wait(s, at_millis(0), at_millis(5'000), 1) == 0s);
  s.run_delay = 30min;
  CHECK(next_attempt_at(s, at_millis(0), at_millis(5'000), 1) == at_millis(0) + 30min);
  auto o = exact(retry_algorithm::opensmtpd);
  auto t0 = at_millis(0);
  CHECK(next_attempt_at(o, t0, t0 + 1s, 1) == t0 + 400s);
  CHECK(next_attempt_at(o, t0, t0 + 400s, 2) == t0 + 1600s);
  CHECK(next_attempt_at(o, t0, t0 + 3600s, 3) == t0 + 6400s);
  // A step already past is skipped (scheduler_next).
  CHECK(next_attempt_at(o, t0, t0 + 1601s, 1) == t0 + 3600s);
  CHECK(next_attempt_at(o, t0, t0 + 100 * 24h, 2) > t0 + 100 * 24h);
}

TEST_CASE("retry_policy: min_backoff and max_backoff bound every algorithm") {
  auto o = exact(retry_algorithm::opensmtpd);
  o.min_backoff = 10min;
  o.max_backoff = 20min;
  auto t0 = at_millis(0);
  CHECK(next_attempt_at(o, t0, t0 + 1s, 1) == t0 + 1s + 10min);  // 400 s raised to 10 minutes
  CHECK(next_attempt_at(o, t0, t0 + 10h, 9) == t0 + 10h + 20min);
  o.min_backoff = 1h;  // above the cap: the floor wins
  CHECK(next_attempt_at(o, t0, t0 + 1s, 1) == t0 + 1s + 1h);
  CHECK(next_attempt_at(o, t0, t0 + 1s, 0) == t0 + 1s);  // never tried: now
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

TEST_CASE("retry_policy: the schedule ends with the first attempt past the lifetime, or before it with expire_without_attempt") {
  auto s = exact(retry_algorithm::sendmail);
  s.run_delay = 1h;
  s.lifetime = 3h;
  auto t0 = at_millis(0);
  CHECK(attempt_schedule(s, t0) == std::vector<time_point>{t0, t0 + 1h, t0 + 2h, t0 + 3h});
  s.expire_without_attempt = true;
  CHECK(attempt_schedule(s, t0) == std::vector<time_point>{t0, t0 + 1h, t0 + 2h});
}

TEST_CASE("retry_policy: one delay warning, due at delay_warning after arrival") {
  queue_settings settings;
  settings.delay_warning = 4h;
  auto arrival = at_millis(0);
  CHECK(delay_warning_at(settings, arrival, false) == arrival + 4h);
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 4h - 1ms, false, false));
  CHECK(delay_warning_due(settings, arrival, arrival + 4h, false, false));
  CHECK(delay_warning_due(settings, arrival, arrival + 2 * 24h, false, false));
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 4h, false, true));  // already warned
}

TEST_CASE("retry_policy: no delay warning for a bounce, or when delay_warning is 0s (Postfix's default)") {
  queue_settings settings;
  auto arrival = at_millis(0);
  CHECK(delay_warning_at(settings, arrival, false) == std::nullopt);  // delay_warning_time 0h
  settings.delay_warning = 4h;
  CHECK(delay_warning_at(settings, arrival, true) == std::nullopt);
  CHECK_FALSE(delay_warning_due(settings, arrival, arrival + 10 * 24h, true, false));
}

TEST_CASE("retry_policy: without a profile the format's schedule doubles from 5m to 1h and tries last at the lifetime") {
  queue_settings s = format_queue_defaults();
  CHECK(s.algorithm == retry_algorithm::doubling);
  CHECK(s.delay_warning == 4h);
  CHECK(s.lifetime == 5 * 24h);
  auto arrival = at_millis(1'000);
  CHECK(next_attempt_at(s, arrival, arrival, 1) == arrival + 5min);
  CHECK(next_attempt_at(s, arrival, arrival + 5min, 2) == arrival + 15min);
  CHECK(next_attempt_at(s, arrival, arrival + 15min, 3) == arrival + 35min);
  CHECK(next_attempt_at(s, arrival, arrival + 35min, 4) == arrival + 75min);
  CHECK(next_attempt_at(s, arrival, arrival + 75min, 5) == arrival + 135min);  // capped at max_backoff
  CHECK(next_attempt_at(s, arrival, arrival + 135min, 500) == arrival + 195min);
  // The last attempt is moved back to the lifetime itself, never past it.
  CHECK(next_attempt_within(s, arrival, arrival + 5 * 24h - 10min, 200, false) == arrival + 5 * 24h);
  auto times = attempt_schedule(s, arrival);
  REQUIRE(times.size() > 5);
  CHECK(times[1] - times[0] == 5min);
  CHECK(times[4] - times[3] == 40min);
  CHECK(times[5] - times[4] == 1h);
  CHECK(times.back() == arrival + 5 * 24h);
  CHECK(times[times.size() - 2] < times.back());
}
