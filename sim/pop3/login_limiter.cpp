// sim/pop3/login_limiter.cpp - failed POP3 logins per client address.
#include "sim/pop3/login_limiter.hpp"

namespace sim::pop3 {

// The client's failures still inside the window (older ones forgotten).
std::deque<time_point>& login_limiter::recent(std::string_view client, time_point now) {
  auto it = failures_.find(client);
  if (it == failures_.end()) it = failures_.emplace(std::string(client), std::deque<time_point>{}).first;
  auto& times = it->second;
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
  return times;
}

bool login_limiter::refused(std::string_view client, time_point now) {
  if (!failures_.count(client)) return false;
  auto& times = recent(client, now);
  bool out = times.size() >= max_failures_;
  if (times.empty()) failures_.erase(failures_.find(client));
  return out;
}

std::size_t login_limiter::failed(std::string_view client, time_point now) {
  auto& times = recent(client, now);
  times.push_back(now);
  // Only the last max_failures matter: memory stays bounded per client.
  while (times.size() > max_failures_) times.pop_front();
  return times.size();
}

}  // namespace sim::pop3
