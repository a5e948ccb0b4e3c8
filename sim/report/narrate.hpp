// sim/report/narrate.hpp - the narrated timeline: the teaching view of a trace.
//
// One aligned line per meaningful event: simulated time, host, agent, then
// what happened in plain words ("MX for example.org, tried in this order:
// 10 mx1.example.org [198.51.100.10]", "connection to mx1.example.org
// [198.51.100.10]:25 refused", "<<< 250 2.0.0 Ok: queued as 4F2A1").
// ">>>" is a line a client sent, "<<<" a server's reply; "[s2]" before them
// is the session they belong to, so interleaved dialogues can be told
// apart.  Changes of DNS records (dns.change) always get a line.  With `verbose`
// every event gets a line.  Text from the wire is shown with control
// characters escaped, so one event is always exactly one line.
#pragma once

#include <optional>
#include <string>

#include "sim/core/trace.hpp"

namespace sim::report {

struct narrate_options {
  bool verbose = false;
  bool colour = false;  // ANSI colours (only on a terminal)
};

// The words for one event, or nullopt when it is not worth a line (unless verbose).
std::optional<std::string> describe(const event_view& e, bool verbose);
// The whole line: "+00:00:01      mx1.example.org        mta   <<< 250 ...".
std::optional<std::string> narrate_line(const event_view& e, const narrate_options& options);
// The same for an event held as JSON (a parsed trace line).
std::optional<std::string> describe(const event& e, bool verbose);
std::optional<std::string> narrate_line(const event& e, const narrate_options& options);

}  // namespace sim::report
