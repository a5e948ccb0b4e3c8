// sim/cli/args.hpp - a small command-line reader for mailsim's subcommands.
//
// Options are `--name value`, `--name=value` or flags; everything else is a
// positional argument.  Unknown options are usage errors (exit status 2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::cli {

class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct option_spec {
  std::string name;  // without the leading "--"
  bool takes_value = false;
};

class args {
 public:
  // Throws usage_error for an unknown option or a missing value.
  args(const std::vector<std::string>& argv, const std::vector<option_spec>& spec);

  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
};

// --seed's value: a non-negative decimal integer (usage_error otherwise).
std::uint64_t parse_seed(const std::string& text);

// Exit statuses (cli.md).
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_internal = 3;

}  // namespace sim::cli
