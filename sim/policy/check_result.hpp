// sim/policy/check_result.hpp - what every policy check returns.
//
// The MTA emits `policy.check` {check, result, detail} from it (trace
// format) and, when `reply` is set, answers with that reply.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sim::policy {

struct reply {
  int code = 0;          // 451, 550, 554, ...
  std::string enhanced;  // RFC 3463 status, "5.7.1"
  std::string text;      // the first line
  std::vector<std::string> more_lines = {};  // a multi-line reply's other lines
  friend bool operator==(const reply&, const reply&) = default;
};

struct check_result {
  std::string check;   // "dnsbl", "spf", "greylist", "size"
  std::string result;  // "pass", "listed", "fail", "defer", "whitelisted", ...
  std::string detail;  // one line for people
  std::optional<policy::reply> reply;  // set when the check refuses or defers
};

}  // namespace sim::policy
