// sim/report/html.hpp - the scenario report as one self-contained HTML page.
//
// No external resources (styles inline, no scripts, no fonts, no images), so
// the file can be mailed, attached to a CI run or opened offline.
#pragma once

#include <string>
#include <vector>

#include "sim/core/trace.hpp"

namespace sim::report {

// What a report shows besides the trace.  Plain strings, so that reports do
// not depend on the scenario model (sim/scenario).
struct scenario_report {
  std::string scenario;                   // id: names the files
  std::string title;                      // one line
  std::string description;                // may be empty
  std::vector<std::string> expectations;  // "PASS ..." / "FAIL ...", already formatted
  std::string summary;                    // "N passed, N failed"
};

// The page: title, description, the narrated timeline as a table (time,
// host, agent, what happened; SMTP and POP3 lines in monospace, replies
// coloured by class), the expectations marked PASS/FAIL, the summary.
std::string report_html(const scenario_report& report, const std::vector<event>& events);

}  // namespace sim::report
