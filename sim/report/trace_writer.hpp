// sim/report/trace_writer.hpp - a run's trace and narrated timeline, written
// to files as the events happen (--update-golden, --report).
//
// A sink: each event becomes one JSON Lines line in the trace file and,
// when it is worth one, one narrated line (no colours) in the timeline
// file.  Both are written to temporary files and put in place by commit(),
// which first appends the tail lines (expectations, summary) to the
// timeline; without a commit nothing is left behind.  Memory stays flat
// however long the run.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/report/files.hpp"

namespace sim::report {

class trace_writer {
 public:
  // `timeline` empty: the trace only.  file_error when a file cannot be made.
  trace_writer(sim::trace& tr, const std::filesystem::path& trace_file, const std::filesystem::path& timeline = {});
  ~trace_writer();
  trace_writer(const trace_writer&) = delete;
  trace_writer& operator=(const trace_writer&) = delete;

  // Stops listening, appends `tail` (one line each) to the timeline and
  // renames both files into place.  file_error on failure.
  void commit(const std::vector<std::string>& tail = {});

 private:
  void on_event(const sim::event_view& e);
  void flush();

  sim::trace& trace_;
  std::size_t sink_;
  bool listening_ = true;
  file_writer trace_file_;
  std::optional<file_writer> timeline_;
  std::string trace_buffer_, timeline_buffer_;
};

}  // namespace sim::report
