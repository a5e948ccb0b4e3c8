// sim/policy/config_error.hpp - a problem found when validating a policy
// setting, for the scenario loader to report with its JSON pointer.
#pragma once

#include <string>

namespace sim::policy {

struct config_error {
  // JSON pointer below the setting's own object: "/rules/2/pattern",
  // "/reject_at", "/allow/0"; "" for the object itself.
  std::string pointer;
  std::string message;  // "invalid regular expression at offset 3: nothing to repeat before '*'"
  friend bool operator==(const config_error&, const config_error&) = default;
};

}  // namespace sim::policy
