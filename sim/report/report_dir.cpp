// sim/report/report_dir.cpp - writing a scenario's report files.
#include "sim/report/report_dir.hpp"

#include "sim/report/files.hpp"
#include "sim/report/timeline.hpp"
#include "sim/report/trace_writer.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

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

report_writer::report_writer(sim::trace& tr, const std::filesystem::path& dir, const std::string& scenario)
    : files_(report_paths(dir, scenario_report{scenario, {}, {}, {}, {}})),
      writer_(std::make_unique<trace_writer>(tr, files_.trace, files_.timeline)) {}

report_writer::~report_writer() = default;

report_files report_writer::finish(const scenario_report& report) {
  std::vector<std::string> tail = report.expectations;
  if (!report.summary.empty()) tail.push_back(report.summary);
  writer_->commit(tail);
  write_report_html(files_.html, report, files_.trace);
  return files_;
}

void write_report_html(const std::filesystem::path& html, const scenario_report& report,
                       const std::filesystem::path& trace_file) {
  std::ifstream in(trace_file, std::ios::binary);
  if (!in) throw file_error("cannot read " + trace_file.string() + ": " + std::strerror(errno));
  std::vector<event> events;
  std::string line;
  while (std::getline(in, line)) {
    auto e = event::parse(line, nullptr, false);
    if (e.is_discarded()) throw file_error("cannot read " + trace_file.string() + ": not JSON Lines");
    events.push_back(std::move(e));
  }
  write_file(html, report_html(report, events));
}

}  // namespace sim::report
