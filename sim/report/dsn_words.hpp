// sim/report/dsn_words.hpp - what a DSN is called, by its Action (RFC 3464 2.3.3).
#pragma once

#include <string_view>

namespace sim::report {

// `bounce.create`'s action: "failed", "delayed", or a success report's
// "delivered" / "relayed" (NOTIFY=SUCCESS, RFC 3461 5.2.2).
inline bool is_success_action(std::string_view action) { return action == "delivered" || action == "relayed"; }

// "bounce (DSN)", "delay notice (DSN)", "success notice (DSN)".
inline std::string_view dsn_noun(std::string_view action) {
  if (action == "delayed") return "delay notice (DSN)";
  return is_success_action(action) ? "success notice (DSN)" : "bounce (DSN)";
}

}  // namespace sim::report
