// sim/report/timeline.hpp - whole-run views of a trace: narrated text and JSON Lines.
//
// `mailsim run` prints timeline_lines(); report and golden files hold the
// same lines, so what a learner reads on screen and on disk is the same.
#pragma once

#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/report/narrate.hpp"

namespace sim::report {

// One narrated line per meaningful event (per event with `verbose`).
std::vector<std::string> timeline_lines(const std::vector<event>& events, const narrate_options& options = {});
// timeline_lines() without colours, then `tail` (expectation lines, the
// summary line); every line ends with '\n'.
std::string timeline_text(const std::vector<event>& events, const std::vector<std::string>& tail = {});
// The JSON Lines trace (trace-format.md): sim::trace::to_line() per event, '\n' after each.
std::string trace_text(const std::vector<event>& events);

}  // namespace sim::report
