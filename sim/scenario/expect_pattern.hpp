// sim/scenario/expect_pattern.hpp - trace event patterns and the SMTP phase
// of each reply, for the trace-based expectations.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/model.hpp"

namespace sim::scenario {

// Every field of the pattern is present in `e` with an equal value; keys
// may be dotted paths into nested values ("candidates.0.host").
bool matches(const json& pattern, const sim::event_view& e);
bool matches(const json& pattern, const sim::event& e);
std::string describe_pattern(const json& pattern);  // compact JSON

// The phase (connect, ehlo, mail, rcpt, data, dot, quit, or the lower-case
// verb of another command) of each smtp.reply, fed every event in order.
// A reply's own "phase" field wins; otherwise replies are paired, per
// session, with the commands sent before them in order (this holds with
// PIPELINING too, RFC 2920 section 3.1): the first reply of a session is
// the greeting, and the reply after smtp.data answers the final dot.
class reply_phase_tracker {
 public:
  // The phase when `e` is an smtp.reply, else nullopt.
  std::optional<std::string> observe(const sim::event_view& e);

 private:
  struct session_state {
    std::deque<std::string> pending;  // phases awaiting a reply
    bool greeted = false;
  };
  std::map<std::string, session_state, std::less<>> sessions_;
};

// The phases of a whole recorded trace, keyed by position (tests).
std::map<std::size_t, std::string> reply_phases(const std::vector<sim::event>& trace);

}  // namespace sim::scenario
