// sim/scenario/expect_pattern.cpp - event patterns and reply phases.
#include "sim/scenario/expect_pattern.hpp"

#include <cctype>

namespace sim::scenario {
namespace {

// RFC 5321 section 4.1.1: the verb is the command's first word.
std::string command_phase(std::string_view line) {
  std::string verb;
  for (char c : line.substr(0, line.find(' ')))
    verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (verb == "EHLO" || verb == "HELO" || verb == "LHLO") return "ehlo";
  if (verb == "MAIL") return "mail";
  if (verb == "RCPT") return "rcpt";
  if (verb == "DATA") return "data";
  if (verb == "QUIT") return "quit";
  for (char& c : verb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return verb;
}

}  // namespace

bool matches(const json& pattern, const sim::event_view& e) {
  for (const auto& [key, want] : pattern.items()) {
    sim::trace_value got = e.path(key);
    if (got.absent() || !got.equals(want)) return false;
  }
  return true;
}

bool matches(const json& pattern, const sim::event& e) { return matches(pattern, sim::json_event_view(e).view()); }

std::string describe_pattern(const json& pattern) { return pattern.dump(); }

std::optional<std::string> reply_phase_tracker::observe(const sim::event_view& e) {
  std::string_view name = e.name();
  if (name != "smtp.command" && name != "smtp.data" && name != "smtp.reply") return std::nullopt;
  std::string_view session = e.get("session").string();
  auto it = sessions_.find(session);
  if (it == sessions_.end()) it = sessions_.emplace(std::string(session), session_state{}).first;
  session_state& s = it->second;
  if (name == "smtp.command") {
    s.pending.push_back(command_phase(e.get("line").string()));
    return std::nullopt;
  }
  if (name == "smtp.data") {
    s.pending.push_back("dot");
    return std::nullopt;
  }
  std::string phase = "unknown";
  if (!s.greeted) {
    s.greeted = true;
    phase = "connect";
  } else if (!s.pending.empty()) {
    phase = std::move(s.pending.front());
    s.pending.pop_front();
  }
  std::string_view own = e.get("phase").string();
  return own.empty() ? phase : std::string(own);
}

std::map<std::size_t, std::string> reply_phases(const std::vector<sim::event>& trace) {
  reply_phase_tracker tracker;
  std::map<std::size_t, std::string> phases;
  for (std::size_t i = 0; i < trace.size(); ++i)
    if (auto phase = tracker.observe(sim::json_event_view(trace[i]))) phases[i] = std::move(*phase);
  return phases;
}

}  // namespace sim::scenario
