// sim/report/timeline.cpp - narrated and JSON Lines text of a whole run.
#include "sim/report/timeline.hpp"

namespace sim::report {

std::vector<std::string> timeline_lines(const std::vector<event>& events, const narrate_options& options) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (auto line = narrate_line(e, options)) out.push_back(std::move(*line));
  return out;
}

std::string timeline_text(const std::vector<event>& events, const std::vector<std::string>& tail) {
  std::string out;
  for (const auto& line : timeline_lines(events, narrate_options{})) out += line + '\n';
  for (const auto& line : tail) out += line + '\n';
  return out;
}

std::string trace_text(const std::vector<event>& events) {
  std::string out;
  for (const auto& e : events) {
    out += trace::to_line(e);
    out += '\n';
  }
  return out;
}

}  // namespace sim::report
