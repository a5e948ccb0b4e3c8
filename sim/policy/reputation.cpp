// sim/policy/reputation.cpp - decayed volume and bad signals per sending IP and domain.
#include "sim/policy/reputation.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace sim::policy {

std::string_view reputation_state_name(reputation_state s) {
  switch (s) {
    case reputation_state::accept: return "accept";
    case reputation_state::junk: return "junk";
    case reputation_state::throttle: return "throttle";
    case reputation_state::block: return "block";
  }
  return "accept";
}

std::string_view reputation_subject_name(reputation_subject s) { return s == reputation_subject::ip ? "ip" : "domain"; }

std::string_view reputation_signal_name(reputation_signal s) {
  switch (s) {
    case reputation_signal::unknown_user: return "unknown_user";
    case reputation_signal::spam_junk: return "spam_junk";
    case reputation_signal::spam_reject: return "spam_reject";
    case reputation_signal::trap_hit: return "trap_hit";
    case reputation_signal::complaint: return "complaint";
  }
  return "unknown_user";
}

double reputation_weights::of(reputation_signal s) const {
  switch (s) {
    case reputation_signal::unknown_user: return unknown_user;
    case reputation_signal::spam_junk: return spam_junk;
    case reputation_signal::spam_reject: return spam_reject;
    case reputation_signal::trap_hit: return trap_hit;
    case reputation_signal::complaint: return complaint;
  }
  return 0;
}

reply_template reputation_settings::default_throttle_reply() {
  // After Gmail's "421-4.7.28 ... unusual rate of unsolicited mail
  // originating from your IP address ... temporarily rate limited".
  return {421, "4.7.28", {"[$client_address] Our system has detected an unusual rate of unsolicited mail from your "
                          "$subject $key; it is temporarily rate limited, try again in $seconds seconds"}};
}

reply_template reputation_settings::default_block_reply() {
  // After Gmail's and Outlook's 550 5.7.1 for a sender of poor reputation.
  return {550, "5.7.1", {"[$client_address] Messages from your $subject $key are blocked: "
                         "its reputation here is poor (score $score)"}};
}

std::vector<config_error> validate_reputation(const reputation_settings& s) {
  std::vector<config_error> out;
  const std::pair<const char*, double> weights[] = {
      {"/weights/unknown_user", s.weights.unknown_user}, {"/weights/spam_junk", s.weights.spam_junk},
      {"/weights/spam_reject", s.weights.spam_reject},   {"/weights/trap_hit", s.weights.trap_hit},
      {"/weights/complaint", s.weights.complaint}};
  for (const auto& [pointer, w] : weights)
    if (!(w >= 0) || w > 1e6) out.push_back({pointer, fmt::format("a weight is between 0 and 1000000, not {}", w)});
  const std::pair<const char*, double> thresholds[] = {
      {"/junk_at", s.junk_at}, {"/throttle_at", s.throttle_at}, {"/block_at", s.block_at}};
  for (const auto& [pointer, t] : thresholds)
    if (!(t > 0) || t > 1e6) out.push_back({pointer, fmt::format("a threshold is above 0 and at most 1000000, not {}", t)});
  if (out.empty() && !(s.junk_at <= s.throttle_at && s.throttle_at <= s.block_at))
    out.push_back({s.junk_at > s.throttle_at ? "/throttle_at" : "/block_at",
                   fmt::format("thresholds out of order: junk_at {} <= throttle_at {} <= block_at {} is required",
                               s.junk_at, s.throttle_at, s.block_at)});
  if (!(s.min_volume >= 1) || s.min_volume > 1e9)
    out.push_back({"/min_volume", fmt::format("min_volume is between 1 and 1000000000, not {}", s.min_volume)});
  if (s.half_life <= sim::duration::zero()) out.push_back({"/half_life", "must be longer than 0s"});
  if (s.throttle_window <= sim::duration::zero()) out.push_back({"/throttle/window", "must be longer than 0s"});
  if (!s.by_ip && !s.by_domain) out.push_back({"/subjects", "judges nothing: name \"ip\", \"domain\" or both"});
  return out;
}

reputation_tracker::reputation_tracker(reputation_settings settings) : settings_(std::move(settings)) {}

// Both sums lose half their weight every half_life (exponential decay), so
// their ratio keeps what the recent mail said and min_volume takes over as
// the divisor once little recent mail is left.
void reputation_tracker::decay(standing& s, sim::time_point now) const {
  if (now <= s.updated) return;
  const double elapsed = std::chrono::duration<double>(now - s.updated).count();
  const double half = std::chrono::duration<double>(settings_.half_life).count();
  const double f = std::exp2(-elapsed / half);
  s.volume *= f;
  s.bad *= f;
  if (s.bad < 1e-9) s.bad = 0;
  s.updated = now;
}

double reputation_tracker::score_of(const standing& s) const {
  return s.bad / std::max(s.volume, settings_.min_volume);
}

reputation_state reputation_tracker::state_for(double score) const {
  if (score >= settings_.block_at) return reputation_state::block;
  if (score >= settings_.throttle_at) return reputation_state::throttle;
  if (score >= settings_.junk_at) return reputation_state::junk;
  return reputation_state::accept;
}

reputation_tracker::standing& reputation_tracker::find(reputation_subject subject, std::string_view key,
                                                       sim::time_point now) {
  auto& map = subjects_[static_cast<int>(subject)];
  auto it = map.find(key);
  if (it == map.end()) {
    it = map.emplace(std::string(key), standing{}).first;
    it->second.updated = now;
  }
  decay(it->second, now);
  return it->second;
}

void reputation_tracker::restate(reputation_subject subject, std::string_view key, standing& s, std::string_view why,
                                 std::vector<reputation_change>& changes) const {
  const double score = score_of(s);
  const reputation_state next = state_for(score);
  if (next == s.state) return;
  changes.push_back({subject, std::string(key), s.state, next, score, s.volume, std::string(why)});
  if (next == reputation_state::throttle) {  // a fresh window from now (decay() set `updated`)
    s.window_start = s.updated;
    s.window_count = 0;
  }
  s.state = next;
}

void reputation_tracker::record(reputation_subject subject, std::string_view key, double volume,
                                reputation_signal signal, double count, sim::time_point now,
                                std::vector<reputation_change>& changes) {
  standing& s = find(subject, key, now);
  s.volume += volume;
  s.bad += count * settings_.weights.of(signal);
  restate(subject, key, s, reputation_signal_name(signal), changes);
}

void reputation_tracker::record_volume(reputation_subject subject, std::string_view key, double volume,
                                       sim::time_point now, std::vector<reputation_change>& changes) {
  standing& s = find(subject, key, now);
  s.volume += volume;
  restate(subject, key, s, "volume", changes);
}

reputation_verdict reputation_tracker::judge(reputation_subject subject, std::string_view key,
                                             std::string_view client_ip, sim::time_point now,
                                             std::vector<reputation_change>& changes) {
  auto& map = subjects_[static_cast<int>(subject)];
  auto it = map.find(key);
  if (it == map.end()) return {};  // never seen: accepted
  standing& s = it->second;
  decay(s, now);
  restate(subject, key, s, "decay", changes);
  reputation_verdict out{s.state, score_of(s), std::nullopt};
  template_vars vars{{"subject", subject == reputation_subject::ip ? "IP address" : "domain"},
                     {"key", std::string(key)},
                     {"score", fmt::format("{:.3f}", out.score)},
                     {"client_address", std::string(client_ip)}};
  if (s.state == reputation_state::block) {
    out.refusal = expand(settings_.block_reply, vars);
  } else if (s.state == reputation_state::throttle) {
    if (now - s.window_start >= settings_.throttle_window) {
      s.window_start = now;
      s.window_count = 0;
    }
    if (s.window_count >= settings_.throttle_messages) {
      auto left = settings_.throttle_window - (now - s.window_start);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
      vars.emplace_back("seconds", std::to_string((ms + 999) / 1000));
      out.refusal = expand(settings_.throttle_reply, vars);
    }
  }
  return out;
}

void reputation_tracker::count_accepted(reputation_subject subject, std::string_view key, sim::time_point now) {
  auto& map = subjects_[static_cast<int>(subject)];
  auto it = map.find(key);
  if (it == map.end() || it->second.state != reputation_state::throttle) return;
  standing& s = it->second;
  if (now - s.window_start >= settings_.throttle_window) {
    s.window_start = now;
    s.window_count = 0;
  }
  ++s.window_count;
}

reputation_state reputation_tracker::state(reputation_subject subject, std::string_view key) const {
  const auto& map = subjects_[static_cast<int>(subject)];
  auto it = map.find(key);
  return it == map.end() ? reputation_state::accept : it->second.state;
}

double reputation_tracker::score(reputation_subject subject, std::string_view key) const {
  const auto& map = subjects_[static_cast<int>(subject)];
  auto it = map.find(key);
  return it == map.end() ? 0 : score_of(it->second);
}

}  // namespace sim::policy
