// sim/mta/retry_policy.cpp - the retry schedule (see the table in the header).
#include "sim/mta/retry_policy.hpp"

#include <algorithm>

namespace sim::mta {

duration retry_delay(const queue_settings& settings, int attempts_made) {
  if (attempts_made <= 0) return duration::zero();
  duration wait = settings.min_backoff;
  // Double until the cap; the loop stops early, so no overflow however
  // many attempts were made.
  for (int i = 1; i < attempts_made && wait < settings.max_backoff; ++i) wait *= 2;
  return std::min(wait, settings.max_backoff);
}

time_point next_attempt_at(const queue_settings& settings, time_point last_attempt, int attempts_made) {
  return last_attempt + retry_delay(settings, attempts_made);
}

time_point expires_at(const queue_settings& settings, time_point arrival, bool is_bounce) {
  return arrival + (is_bounce ? settings.bounce_lifetime : settings.lifetime);
}

bool has_expired(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce) {
  return now >= expires_at(settings, arrival, is_bounce);
}

std::optional<time_point> delay_warning_at(const queue_settings& settings, time_point arrival, bool is_bounce) {
  if (is_bounce || settings.delay_warning <= duration::zero()) return std::nullopt;
  return arrival + settings.delay_warning;
}

bool delay_warning_due(const queue_settings& settings, time_point arrival, time_point now, bool is_bounce,
                       bool warned) {
  auto due = delay_warning_at(settings, arrival, is_bounce);
  return !warned && due && now >= *due;
}

}  // namespace sim::mta
