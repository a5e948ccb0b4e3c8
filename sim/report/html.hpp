// sim/report/html.hpp - the scenario report: one self-contained HTML page.
//
// Built from the trace, read one event at a time, and the plain inputs of
// report_input.hpp.  The page holds, for a run with a campaign, its delivery
// analytics (analytics_section.hpp), a map of the hosts and the routes mail
// took, a sequence diagram of every session, one view per message (hops,
// the delivered copy with its Received chain annotated, its DSNs), the
// expectations, the narrated timeline and a glossary.  Inline CSS and SVG,
// one small inline script (folding, filtering) that the page does not need
// to be read, a Content-Security-Policy that lets nothing load or run beside
// them.  Everything from the simulated world is escaped.  Size and time are
// bounded (report_limits): a run with 1,000 hosts or 100,000 messages gives a
// page of at most max_page_bytes, built in one pass over the trace.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "sim/report/report_input.hpp"

namespace sim::report {

class report_builder {
 public:
  explicit report_builder(const report_limits& limits = {});
  ~report_builder();
  report_builder(const report_builder&) = delete;
  report_builder& operator=(const report_builder&) = delete;

  // One trace event, in trace order.
  void add(const json_event& e);
  // One line of JSON Lines; a line that is not a JSON object is counted (the
  // page says how many) and skipped.
  void add_line(std::string_view line);
  // The page, after the last event.  Call once.
  std::string html(const report_input& input);

 private:
  struct models;
  std::unique_ptr<models> m_;
};

// Reads the JSON Lines trace to its end and returns the page.
std::string report_html(const report_input& input, std::istream& trace_jsonl, const report_limits& limits = {});

}  // namespace sim::report
