// sim/policy/rate_limit.cpp - sliding-window message counts and connection counts per client.
#include "sim/policy/rate_limit.hpp"

#include <fmt/format.h>

namespace sim::policy {

reply_template rate_limit_settings::default_rate_reply(rate_key per) {
  // After Gmail's 421 4.7.28 (per IP) and its 450 4.7.28 wording for a
  // sending domain; RFC 3463 X.7.28 is "mail flood detected" (RFC 7372).
  if (per == rate_key::sender_domain)
    return {450, "4.7.28", {"Rate limit exceeded for domain $sender_domain: more than $limit messages; "
                            "try again in $seconds seconds"}};
  return {421, "4.7.28", {"Rate limit exceeded for [$client_address]: more than $limit messages; "
                          "try again in $seconds seconds"}};
}

reply_template rate_limit_settings::default_connection_reply() {
  return {421, "4.7.0", {"Too many concurrent SMTP connections from [$client_address]; try again later"}};
}

std::string_view rate_key_name(rate_key per) {
  return per == rate_key::sender_domain ? "sender_domain" : "client_ip";
}

rate_limiter::rate_limiter(rate_limit_settings settings) : settings_(std::move(settings)) {}

std::string rate_limiter::key_of(std::string_view client_ip, std::string_view sender_domain) const {
  return std::string(settings_.per == rate_key::sender_domain ? sender_domain : client_ip);
}

void rate_limiter::forget_old(std::deque<sim::time_point>& log, sim::time_point now) const {
  while (!log.empty() && now - log.front() >= settings_.window) log.pop_front();
}

check_result rate_limiter::check_message(std::string_view client_ip, std::string_view sender_domain,
                                         sim::time_point now) {
  std::string key = key_of(client_ip, sender_domain);
  std::string shown = settings_.per == rate_key::sender_domain ? (key.empty() ? "<>" : key) : "[" + key + "]";
  if (settings_.messages == 0) return {"rate_limit", "pass", fmt::format("{}: no message limit", shown), std::nullopt};
  auto found = accepted_.find(key);
  std::size_t seen = 0;
  if (found != accepted_.end()) {
    forget_old(found->second, now);
    seen = found->second.size();
  }
  auto window = sim::format_duration(settings_.window);
  if (seen < settings_.messages)
    return {"rate_limit", "pass", fmt::format("{}: {} of {} messages in {}", shown, seen, settings_.messages, window),
            std::nullopt};
  auto left = settings_.window - (now - found->second.front());
  auto seconds = (left.count() + 999) / 1000;  // rounded up: a client that waits them is let in
  template_vars vars{{"client_address", std::string(client_ip)},
                     {"sender_domain", std::string(sender_domain)},
                     {"seconds", std::to_string(seconds)},
                     {"limit", std::to_string(settings_.messages)}};
  return {"rate_limit", "defer",
          fmt::format("{}: {} messages in {} reached the limit of {}; {} seconds until one leaves the window", shown,
                      seen, window, settings_.messages, seconds),
          expand(settings_.reply, vars)};
}

void rate_limiter::count_message(std::string_view client_ip, std::string_view sender_domain, sim::time_point now) {
  if (settings_.messages == 0) return;
  std::string key = key_of(client_ip, sender_domain);
  auto found = accepted_.find(key);
  if (found == accepted_.end()) found = accepted_.emplace(std::move(key), std::deque<sim::time_point>{}).first;
  forget_old(found->second, now);
  found->second.push_back(now);
}

check_result rate_limiter::open_connection(std::string_view client_ip) {
  auto found = open_.find(client_ip);
  std::uint64_t open = found == open_.end() ? 0 : found->second;
  if (settings_.connections > 0 && open >= settings_.connections) {
    template_vars vars{{"client_address", std::string(client_ip)}, {"limit", std::to_string(settings_.connections)}};
    return {"rate_limit", "defer",
            fmt::format("[{}]: {} connections open, the limit is {}", client_ip, open, settings_.connections),
            expand(settings_.connection_reply, vars)};
  }
  if (found == open_.end()) found = open_.emplace(std::string(client_ip), 0).first;
  ++found->second;
  return {"rate_limit", "pass", fmt::format("[{}]: connection {} of {}", client_ip, open + 1, settings_.connections),
          std::nullopt};
}

void rate_limiter::close_connection(std::string_view client_ip) {
  auto found = open_.find(client_ip);
  if (found == open_.end()) return;
  if (--found->second == 0) open_.erase(found);
}

std::size_t rate_limiter::open_connections(std::string_view client_ip) const {
  auto found = open_.find(client_ip);
  return found == open_.end() ? 0 : found->second;
}

}  // namespace sim::policy
