// sim/report/report_dir.cpp - writing a scenario's report files.
#include "sim/report/report_dir.hpp"

#include <istream>
#include <ostream>

#include "sim/report/files.hpp"
#include "sim/report/html.hpp"
#include "sim/report/trace_writer.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

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

report_writer::report_writer(sim::trace& tr, const std::filesystem::path& dir, const std::string& scenario_id)
    : files_(report_paths(dir, scenario_id)), writer_(std::make_unique<trace_writer>(tr, files_.trace, files_.timeline)) {}

report_writer::~report_writer() = default;

report_files report_writer::finish(const report_input& input, const report_limits& limits) {
  std::vector<std::string> tail;
  for (const auto& e : input.expectations) tail.push_back(e.line);
  if (!input.summary.empty()) tail.push_back(input.summary);
  writer_->commit(tail);
  std::ifstream trace(files_.trace, std::ios::binary);
  if (!trace) throw file_error("cannot read " + files_.trace.string() + ": " + std::strerror(errno));
  write_file(files_.html, report_html(input, trace, limits));
  return files_;
}

}  // namespace sim::report
