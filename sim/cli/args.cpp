// sim/cli/args.cpp - reading subcommand options.
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"

#include <algorithm>

namespace sim::cli {

args::args(const std::vector<std::string>& argv, const std::vector<option_spec>& spec) {
  auto find = [&](const std::string& name) {
    return std::find_if(spec.begin(), spec.end(), [&](const option_spec& s) { return s.name == name; });
  };
  bool only_positional = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 3 || a.rfind("--", 0) != 0) {
      if (a == "--") {
        only_positional = true;
        continue;
      }
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = find(name);
    if (it == spec.end()) throw usage_error("unknown option --" + name);
    if (!it->takes_value) {
      if (inline_value) throw usage_error("option --" + name + " takes no value");
      flags_[name] = true;
      continue;
    }
    if (inline_value) {
      values_[name] = *inline_value;
    } else {
      if (i + 1 >= argv.size()) throw usage_error("option --" + name + " needs a value");
      values_[name] = argv[++i];
    }
  }
}

std::optional<std::string> args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t parse_seed(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 19)
    throw usage_error("--seed takes a non-negative integer, not '" + text + "'");
  return std::stoull(text);
}

namespace {
// What the program is doing, for the exit-status-3 message (commands.hpp).
std::string current_activity = "starting";
}  // namespace

void set_activity(std::string what) { current_activity = std::move(what); }
const std::string& activity() { return current_activity; }

}  // namespace sim::cli
