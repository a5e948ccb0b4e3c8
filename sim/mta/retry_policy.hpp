// sim/mta/retry_policy.hpp - when to retry, when to warn, when to give up.
//
// Pure functions of a host's queue settings; `now` and the message's
// arrival are parameters, nothing reads a clock.  Each MTA profile
// (sim/mta/profiles/) fills queue_settings with its own algorithm and
// defaults; a scenario's `queue` keys override them.
//
// After a failed attempt the next one is due in three steps:
//   1. the algorithm's wait (below),
//   2. clamped to [min_backoff, max_backoff],
//   3. moved to the first queue run at or after it: runs happen every
//      run_delay from t = 0 (Postfix's deferred-queue scan, a `-q30m`
//      queue runner); run_delay 0 means the scheduler wakes exactly then.
//
//   postfix    wait = the message's age (qmgr_active.c), whole seconds; a
//              run takes a message due up to 1 s later (its mtime check).
//   exim       the retry rules, e.g. F,2h,15m; G,16h,1h,1.5; F,4d,6h: the
//              first rule whose cutoff (from the first failure, here the
//              arrival) has not passed gives a fixed interval (F) or the
//              last interval times the factor, at least the first one (G)
//              (retry.c).  Earlier intervals are replayed from attempt 1.
//   sendmail   wait = 0: every queue run tries every message (MinQueueAge 0).
//   opensmtpd  attempt n+1 at arrival + 400 s * n^2 (scheduler_ramqueue.c
//              BACKOFF_TRANSFER), skipping steps already past.
//   doubling   the scenario format's own schedule, used when a scenario
//              names no profile (scenario-format.md `queue`): the wait is
//              min_backoff, doubling after each attempt up to max_backoff,
//              and the last attempt falls at the lifetime itself (so that
//              its failure bounces then).
//
// A message expires once now - arrival >= lifetime (bounce_lifetime for a
// bounce): Postfix, Exim and Sendmail notice it at the end of the next
// failed attempt; OpenSMTPD (expire_without_attempt) bounces at the
// lifetime itself, without another attempt.  One delay warning (RFC 3464
// Action: delayed) goes out at the end of the first failed attempt at or
// after delay_warning; never for a bounce (RFC 5321 section 4.5.5), never
// when delay_warning is 0.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace sim::mta {

enum class retry_algorithm { postfix, exim, sendmail, opensmtpd, doubling };
std::string_view algorithm_name(retry_algorithm a);

// One Exim retry parameter set (Exim spec, "Retry parameters").
struct exim_retry_rule {
  char kind = 'F';           // 'F' fixed interval, 'G' geometric
  duration cutoff{};         // from the first failure; past it the next rule applies
  duration interval{};       // F: every interval; G: the first interval
  double factor = 1.0;       // G: each interval is the last one times this
  friend bool operator==(const exim_retry_rule&, const exim_retry_rule&) = default;
};

struct queue_settings {
  retry_algorithm algorithm = retry_algorithm::postfix;
  duration min_backoff = std::chrono::seconds(300);  // Postfix minimal_backoff_time
  duration max_backoff = std::chrono::seconds(4000);  // Postfix maximal_backoff_time
  duration run_delay = std::chrono::seconds(300);     // Postfix queue_run_delay; 0 = no queue runs
  duration lifetime = std::chrono::hours(5 * 24);
  duration bounce_lifetime = std::chrono::hours(5 * 24);
  duration delay_warning{0};                          // 0 = never warn
  std::vector<exim_retry_rule> exim_rules;            // exim only
  bool expire_without_attempt = false;                // OpenSMTPD: bounce at the lifetime itself
  friend bool operator==(const queue_settings&, const queue_settings&) = default;
};

// The scenario format's defaults (scenario-format.md `queue`): doubling
// from 5m to 1h, no queue runs, 5d lifetimes, a delay warning after 4h.
queue_settings format_queue_defaults();

// The algorithm's own wait after the attempts_made-th failed attempt,
// which ended at `now` (before clamping and queue runs).
duration algorithm_wait(const queue_settings& settings, time_point arrival, time_point now, int attempts_made);
// The first queue run that takes a message due at `due`, strictly after `now`.
time_point next_queue_run(const queue_settings& settings, time_point due, time_point now);
// When the next attempt is made: the three steps above.  attempts_made 0
// (never tried) is due at once.
time_point next_attempt_at(const queue_settings& settings, time_point arrival, time_point now, int attempts_made);
// The same, never later than the expiry where the algorithm attempts (or,
// with expire_without_attempt, bounces) at the lifetime itself.
time_point next_attempt_within(const queue_settings& settings, time_point arrival, time_point now, int attempts_made,
                               bool is_bounce);

// The moment the message expires.
time_point expires_at(const queue_settings& settings, time_point arrival, bool is_bounce);
bool has_expired(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce);

// The moment a delay warning falls due, or nullopt when none is ever sent.
std::optional<time_point> delay_warning_at(const queue_settings& settings, time_point arrival, bool is_bounce);
// True when the warning is due now and was not sent yet.
bool delay_warning_due(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce,
                       bool warned);

// The attempt times a message arriving at `arrival` gets when every
// attempt fails at once, up to and including the first attempt at or after
// its expiry (or, with expire_without_attempt, the last one before it).
// For tables and tests; the scheduler uses next_attempt_at().
std::vector<time_point> attempt_schedule(const queue_settings& settings, time_point arrival);

}  // namespace sim::mta
