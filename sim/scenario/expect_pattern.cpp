// sim/scenario/expect_pattern.cpp - event patterns and reply phases.
#include "sim/scenario/expect_pattern.hpp"

#include <cctype>
#include <deque>

namespace sim::scenario {
namespace {

const json* step(const json& value, std::string_view key) {
  if (value.is_object()) {
    auto it = value.find(std::string(key));
    return it == value.end() ? nullptr : &*it;
  }
  if (value.is_array() && !key.empty() && key.size() <= 9 &&
      std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    std::size_t index = std::stoul(std::string(key));
    return index < value.size() ? &value[index] : nullptr;
  }
  return nullptr;
}

std::string text_field(const sim::event& e, const char* name) {
  auto it = e.find(name);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

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

const json* event_field(const sim::event& e, std::string_view path) {
  if (auto direct = step(e, path)) return direct;
  const json* at = &e;
  std::size_t start = 0;
  while (at) {
    std::size_t dot = path.find('.', start);
    at = step(*at, path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return at;
    start = dot + 1;
  }
  return nullptr;
}

bool matches(const json& pattern, const sim::event& e) {
  for (const auto& [key, want] : pattern.items()) {
    const json* got = event_field(e, key);
    if (!got || *got != want) return false;
  }
  return true;
}

std::string describe_pattern(const json& pattern) { return pattern.dump(); }

std::map<std::size_t, std::string> reply_phases(const std::vector<sim::event>& trace) {
  std::map<std::string, std::deque<std::string>> pending;  // session -> phases awaiting a reply
  std::map<std::string, bool> greeted;
  std::map<std::size_t, std::string> phases;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const auto& e = trace[i];
    std::string name = text_field(e, "event");
    std::string session = text_field(e, "session");
    if (name == "smtp.command") {
      pending[session].push_back(command_phase(text_field(e, "line")));
    } else if (name == "smtp.data") {
      pending[session].push_back("dot");
    } else if (name == "smtp.reply") {
      std::string phase = "unknown";
      auto& queue = pending[session];
      if (!greeted[session]) {
        greeted[session] = true;
        phase = "connect";
      } else if (!queue.empty()) {
        phase = queue.front();
        queue.pop_front();
      }
      std::string own = text_field(e, "phase");
      phases[i] = own.empty() ? phase : own;
    }
  }
  return phases;
}

}  // namespace sim::scenario
