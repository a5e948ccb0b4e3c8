// sim/scenario/expect_pattern.hpp - trace event patterns and the SMTP phase
// of each reply, for the trace-based expectations.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/model.hpp"

namespace sim::scenario {

// A field of `e` by name, or by dotted path into nested objects and arrays
// ("candidates.0.host"); null when absent.
const json* event_field(const sim::event& e, std::string_view path);
// Every field of the pattern is present in `e` with an equal value.
bool matches(const json& pattern, const sim::event& e);
std::string describe_pattern(const json& pattern);  // compact JSON

// The phase (connect, ehlo, mail, rcpt, data, dot, quit, or the lower-case
// verb of another command) of every smtp.reply, keyed by its position in
// `trace`.  A reply's own "phase" field wins; otherwise replies are paired,
// per session, with the commands sent before them in order (this holds
// with PIPELINING too, RFC 2920 section 3.1): the first reply of a session
// is the greeting, and the reply after smtp.data answers the final dot.
std::map<std::size_t, std::string> reply_phases(const std::vector<sim::event>& trace);

}  // namespace sim::scenario
