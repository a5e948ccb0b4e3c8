// sim/mta/retry_policy.cpp - each MTA's retry algorithm (see the header).
#include "sim/mta/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace sim::mta {
namespace {

using std::chrono::seconds;

// Postfix keeps times in whole seconds (time_t).
time_point whole_seconds(time_point t) { return std::chrono::floor<seconds>(t); }

duration postfix_wait(time_point arrival, time_point now) {
  // qmgr_active_done_3_generic: delay = event_time() - create_time.
  return whole_seconds(now) - whole_seconds(arrival);
}

// retry.c: the first rule whose cutoff has not passed; past the last one,
// the last rule still gives the interval (the address has timed out).
duration exim_gap(const std::vector<exim_retry_rule>& rules, duration failing, duration last_gap) {
  if (rules.empty()) return duration::zero();
  auto rule = std::find_if(rules.begin(), rules.end(), [&](const exim_retry_rule& r) { return failing <= r.cutoff; });
  if (rule == rules.end()) rule = std::prev(rules.end());
  if (rule->kind != 'G' || last_gap < rule->interval) return rule->interval;
  // next_gap = (lastgap * p2) / 1000 in whole seconds, p2 the factor times 1000.
  auto p2 = static_cast<std::int64_t>(std::llround(rule->factor * 1000));
  return seconds(std::chrono::duration_cast<seconds>(last_gap).count() * p2 / 1000);
}

duration clamp_wait(const queue_settings& s, duration wait) {
  return std::min(std::max(wait, s.min_backoff), std::max(s.max_backoff, s.min_backoff));
}

// Failures 1 .. attempts_made - 1 replayed at the times the schedule gave
// them, so that a G rule knows its last interval.
duration exim_wait(const queue_settings& s, time_point arrival, time_point now, int attempts_made) {
  duration last_gap = duration::zero();
  time_point failed_at = arrival;
  for (int k = 1; k < attempts_made; ++k) {
    last_gap = clamp_wait(s, exim_gap(s.exim_rules, failed_at - arrival, last_gap));
    time_point next = next_queue_run(s, failed_at + last_gap, failed_at);
    if (next >= now) break;  // the replay caught up with the real attempts
    failed_at = next;
  }
  return exim_gap(s.exim_rules, now - arrival, last_gap);
}

// scheduler_ramqueue.c: scheduler_next(ctime, BACKOFF_TRANSFER, retry).
duration opensmtpd_wait(time_point arrival, time_point now, int attempts_made) {
  constexpr duration base = seconds(400);
  auto step = static_cast<std::int64_t>(attempts_made);
  auto at = [&](std::int64_t n) { return arrival + base * (n * n); };
  if (at(step) <= now) {
    // Start near the answer instead of counting up from the retry number.
    double past = static_cast<double>((now - arrival).count()) / static_cast<double>(base.count());
    step = std::max(step, static_cast<std::int64_t>(std::sqrt(std::max(past, 0.0))));
    while (at(step) <= now) ++step;
  }
  return at(step) - now;
}

duration doubling_wait(const queue_settings& s, int attempts_made) {
  duration wait = s.min_backoff;
  // The loop stops at the cap, so no overflow however many attempts were made.
  for (int i = 1; i < attempts_made && wait < s.max_backoff; ++i) wait *= 2;
  return wait;
}

}  // namespace

queue_settings format_queue_defaults() {
  queue_settings q;
  q.algorithm = retry_algorithm::doubling;
  q.min_backoff = std::chrono::minutes(5);
  q.max_backoff = std::chrono::hours(1);
  q.run_delay = duration::zero();
  q.lifetime = std::chrono::hours(5 * 24);
  q.bounce_lifetime = std::chrono::hours(5 * 24);
  q.delay_warning = std::chrono::hours(4);
  return q;
}

std::string_view algorithm_name(retry_algorithm a) {
  switch (a) {
    case retry_algorithm::postfix: return "postfix";
    case retry_algorithm::exim: return "exim";
    case retry_algorithm::sendmail: return "sendmail";
    case retry_algorithm::opensmtpd: return "opensmtpd";
    case retry_algorithm::doubling: return "doubling";
  }
  return "postfix";
}

duration algorithm_wait(const queue_settings& s, time_point arrival, time_point now, int attempts_made) {
  switch (s.algorithm) {
    case retry_algorithm::postfix: return postfix_wait(arrival, now);
    case retry_algorithm::exim: return exim_wait(s, arrival, now, attempts_made);
    case retry_algorithm::sendmail: return duration::zero();
    case retry_algorithm::opensmtpd: return opensmtpd_wait(arrival, now, attempts_made);
    case retry_algorithm::doubling: return doubling_wait(s, attempts_made);
  }
  return duration::zero();
}

time_point next_queue_run(const queue_settings& s, time_point due, time_point now) {
  if (s.run_delay <= duration::zero()) return std::max(due, now);
  // qmgr_active.c skips a deferred file only while its time stamp is more
  // than a second ahead of the scan.
  time_point taken_from = s.algorithm == retry_algorithm::postfix ? due - seconds(1) : due;
  const auto period = s.run_delay.count();
  auto runs = [&](time_point t) {  // runs at or before t
    auto ms = t.time_since_epoch().count();
    return ms >= 0 ? ms / period : -((-ms + period - 1) / period);
  };
  time_point run = at_millis((runs(taken_from - duration(1)) + 1) * period);  // first run >= taken_from
  if (run <= now) run = at_millis((runs(now) + 1) * period);
  return run;
}

time_point next_attempt_at(const queue_settings& s, time_point arrival, time_point now, int attempts_made) {
  if (attempts_made <= 0) return now;
  duration wait = clamp_wait(s, algorithm_wait(s, arrival, now, attempts_made));
  time_point due = (s.algorithm == retry_algorithm::postfix ? whole_seconds(now) : now) + wait;
  return next_queue_run(s, due, now);
}

time_point next_attempt_within(const queue_settings& s, time_point arrival, time_point now, int attempts_made,
                               bool is_bounce) {
  time_point next = next_attempt_at(s, arrival, now, attempts_made);
  if (s.expire_without_attempt || s.algorithm == retry_algorithm::doubling)
    next = std::max(std::min(next, expires_at(s, arrival, is_bounce)), now);
  return next;
}

time_point expires_at(const queue_settings& s, time_point arrival, bool is_bounce) {
  return arrival + (is_bounce ? s.bounce_lifetime : s.lifetime);
}

bool has_expired(const queue_settings& s, time_point arrival, time_point now, bool is_bounce) {
  return now >= expires_at(s, arrival, is_bounce);
}

std::optional<time_point> delay_warning_at(const queue_settings& s, time_point arrival, bool is_bounce) {
  if (is_bounce || s.delay_warning <= duration::zero()) return std::nullopt;
  return arrival + s.delay_warning;
}

bool delay_warning_due(const queue_settings& s, time_point arrival, time_point now, bool is_bounce, bool warned) {
  auto due = delay_warning_at(s, arrival, is_bounce);
  return !warned && due && now >= *due;
}

std::vector<time_point> attempt_schedule(const queue_settings& s, time_point arrival) {
  constexpr std::size_t cap = 10'000;  // a table, not a simulation
  std::vector<time_point> out{arrival};
  const time_point expiry = expires_at(s, arrival, false);
  while (out.size() < cap && !has_expired(s, arrival, out.back(), false)) {
    time_point next = next_attempt_within(s, arrival, out.back(), static_cast<int>(out.size()), false);
    if (s.expire_without_attempt && next >= expiry) break;
    out.push_back(next);
  }
  return out;
}

}  // namespace sim::mta
