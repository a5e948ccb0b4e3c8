// sim/report/report_dir.cpp - writing a scenario's report files.
#include "sim/report/report_dir.hpp"

#include <istream>
#include <ostream>

#include "sim/report/files.hpp"
#include "sim/report/html.hpp"

namespace sim::report {

report_files report_paths(const std::filesystem::path& dir, const std::string& scenario_id) {
  return {dir / (scenario_id + ".timeline.txt"), dir / (scenario_id + ".trace.jsonl"), dir / (scenario_id + ".html")};
}

report_files write_report_dir(const std::filesystem::path& dir, const report_input& input, std::istream& trace_jsonl,
                              const report_limits& limits) {
  report_files files = report_paths(dir, input.scenario.id);
  std::string timeline;
  for (const auto& line : input.timeline) timeline += line + '\n';
  for (const auto& e : input.expectations) timeline += e.line + '\n';
  if (!input.summary.empty()) timeline += input.summary + '\n';
  write_file(files.timeline, timeline);
  report_builder builder(limits);
  write_file_with(files.trace, [&](std::ostream& out) {
    std::string line;
    while (std::getline(trace_jsonl, line)) {
      out << line << '\n';
      builder.add_line(line);
    }
  });
  write_file(files.html, builder.html(input));
  return files;
}

}  // namespace sim::report
