// sim/report/report_dir.hpp - `mailsim run --report DIR` (cli.md): a scenario's report files.
#pragma once

#include <filesystem>
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

}  // namespace sim::report
