// sim/report/report_dir.cpp - writing a scenario's report files.
#include "sim/report/report_dir.hpp"

#include "sim/report/files.hpp"
#include "sim/report/timeline.hpp"

namespace sim::report {

report_files report_paths(const std::filesystem::path& dir, const scenario_report& report) {
  return {dir / (report.scenario + ".timeline.txt"), dir / (report.scenario + ".trace.jsonl"),
          dir / (report.scenario + ".html")};
}

report_files write_report_dir(const std::filesystem::path& dir, const scenario_report& report,
                              const std::vector<event>& events) {
  report_files files = report_paths(dir, report);
  std::vector<std::string> tail = report.expectations;
  if (!report.summary.empty()) tail.push_back(report.summary);
  write_file(files.timeline, timeline_text(events, tail));
  write_file(files.trace, trace_text(events));
  write_file(files.html, report_html(report, events));
  return files;
}

}  // namespace sim::report
