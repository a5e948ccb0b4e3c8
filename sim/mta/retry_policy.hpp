// sim/mta/retry_policy.hpp - when to retry, when to warn, when to give up.
//
// Pure functions of a host's scenario `queue` settings; `now` and the
// message's arrival time are parameters, nothing reads a clock.
//
// The schedule with the defaults (min_backoff 5m, max_backoff 1h): the first
// attempt at arrival, then each wait doubles from min_backoff and is capped
// at max_backoff:
//
//   attempt   1    2     3      4      5      6      7      8  ...
//   at        0   +5m  +10m   +20m   +40m   +1h    +1h    +1h ...
//   (total)   0    5m   15m    35m    1h15m  2h15m  3h15m  4h15m
//
// A message expires once now - arrival >= lifetime (bounce_lifetime for a
// bounce, i.e. a message with the null reverse path): its remaining
// recipients bounce (RFC 5321 section 4.5.4.1 suggests giving up after 4-5
// days).  One delay warning (RFC 3464 Action: delayed) is due once
// now - arrival >= delay_warning; never for a bounce (RFC 5321 section 4.5.5:
// no notification goes to a null reverse path), never when delay_warning is 0.
#pragma once

#include <optional>

#include "sim/core/time.hpp"

namespace sim::mta {

struct queue_settings {
  duration min_backoff = std::chrono::minutes(5);
  duration max_backoff = std::chrono::hours(1);
  duration lifetime = std::chrono::hours(5 * 24);
  duration bounce_lifetime = std::chrono::hours(5 * 24);
  duration delay_warning = std::chrono::hours(4);  // 0 = never warn
};

// The wait after the attempts_made-th attempt before the next one
// (attempts_made >= 1): min_backoff * 2^(attempts_made - 1), at most
// max_backoff.  attempts_made 0 (never tried) waits nothing.
duration retry_delay(const queue_settings& settings, int attempts_made);
// When the next attempt is due, given when the last one was made.
time_point next_attempt_at(const queue_settings& settings, time_point last_attempt, int attempts_made);

// The moment the message expires.
time_point expires_at(const queue_settings& settings, time_point arrival, bool is_bounce);
bool has_expired(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce);

// The moment a delay warning falls due, or nullopt when none is ever sent.
std::optional<time_point> delay_warning_at(const queue_settings& settings, time_point arrival, bool is_bounce);
// True when the warning is due now and was not sent yet.
bool delay_warning_due(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce,
                       bool warned);

}  // namespace sim::mta
