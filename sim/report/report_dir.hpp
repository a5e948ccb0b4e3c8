// sim/report/report_dir.hpp - `mailsim run --report DIR` (cli.md): a scenario's report files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/report/html.hpp"

namespace sim::report {

// The files write_report_dir() writes, for the caller to list.
struct report_files {
  std::filesystem::path timeline;  // DIR/<scenario>.timeline.txt
  std::filesystem::path trace;     // DIR/<scenario>.trace.jsonl
  std::filesystem::path html;      // DIR/<scenario>.html
};

report_files report_paths(const std::filesystem::path& dir, const scenario_report& report);

// Writes the narrated timeline (no colours; the meaningful lines, then the
// expectation lines and the summary line), the JSON Lines trace and the HTML
// page.  Creates DIR when needed; file_error on failure.
report_files write_report_dir(const std::filesystem::path& dir, const scenario_report& report,
                              const std::vector<event>& events);

// The same as a run goes (`mailsim run --report`, `serve --report`): the
// trace and the timeline are written event by event (trace_writer.hpp);
// finish() appends the expectation and summary lines to the timeline, puts
// both files in place and writes the page from the trace file just
// written (write_report_html), so a run never holds its trace.
class report_writer {
 public:
  report_writer(sim::trace& tr, const std::filesystem::path& dir, const std::string& scenario);
  ~report_writer();
  report_files finish(const scenario_report& report);

 private:
  report_files files_;
  std::unique_ptr<class trace_writer> writer_;
};

// The page from a JSON Lines trace file.  (The page itself still holds the
// events it shows while it is built.)  file_error on failure.
void write_report_html(const std::filesystem::path& html, const scenario_report& report,
                       const std::filesystem::path& trace_file);

}  // namespace sim::report
