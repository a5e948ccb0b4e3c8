// sim/report/report_dir.hpp - `--report DIR` (cli.md): a scenario's report files.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "sim/report/report_input.hpp"

namespace sim::report {

// The files write_report_dir() writes, for the caller to list.
struct report_files {
  std::filesystem::path timeline;  // DIR/<scenario>.timeline.txt
  std::filesystem::path trace;     // DIR/<scenario>.trace.jsonl
  std::filesystem::path html;      // DIR/<scenario>.html
};

report_files report_paths(const std::filesystem::path& dir, const std::string& scenario_id);

// Writes the narrated timeline (input.timeline, then the expectation lines and
// the summary line), the JSON Lines trace (copied line for line as it is read)
// and the HTML page, in one pass over the trace.  Creates DIR when needed;
// file_error on failure.
report_files write_report_dir(const std::filesystem::path& dir, const report_input& input, std::istream& trace_jsonl,
                              const report_limits& limits = {});

}  // namespace sim::report
