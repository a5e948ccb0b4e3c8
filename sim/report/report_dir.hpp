// sim/report/report_dir.hpp - `--report DIR` (cli.md): a scenario's report files.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>

#include "sim/core/trace.hpp"
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

// The same as a run goes (`mailsim run --report`, `check --report`, `serve
// --report`): a sink that writes the trace and the narrated timeline event
// by event (trace_writer.hpp), so a run never holds its trace.  finish()
// appends the expectation and summary lines to the timeline, puts both
// files in place, then builds the page from the trace file just written
// (input.timeline is not used: the file has it).
class report_writer {
 public:
  report_writer(sim::trace& tr, const std::filesystem::path& dir, const std::string& scenario_id);
  ~report_writer();
  report_writer(const report_writer&) = delete;
  report_writer& operator=(const report_writer&) = delete;

  report_files finish(const report_input& input, const report_limits& limits = {});

 private:
  report_files files_;
  std::unique_ptr<class trace_writer> writer_;
};

}  // namespace sim::report
