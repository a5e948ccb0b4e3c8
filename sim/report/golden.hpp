// sim/report/golden.hpp - approved traces (`mailsim check --golden DIR`, cli.md).
//
// A golden file DIR/<scenario>.trace.jsonl is a trace a person approved.  A
// run matches it only when every line is byte-identical; the first
// difference is described on one line.  `--update-golden` rewrites it, with
// the narrated timeline DIR/<scenario>.timeline.txt beside it for review.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/trace.hpp"

namespace sim::report {

enum class golden_status { same, missing, differs };

struct golden_result {
  golden_status status = golden_status::same;
  // Empty when same; else one line: "no golden file ...", "line 12 differs:
  // golden ... | run ...", "golden has 3 more events (line 41: ...)".
  std::string detail;
};

std::filesystem::path golden_trace_path(const std::filesystem::path& dir, std::string_view scenario);
std::filesystem::path golden_timeline_path(const std::filesystem::path& dir, std::string_view scenario);

// Compares two JSON Lines texts byte for byte, line by line.
golden_result compare_trace_text(std::string_view golden, std::string_view run);
// Compares the run's events with DIR/<scenario>.trace.jsonl (missing when
// there is none).  file_error when it exists but cannot be read.
golden_result compare_golden(const std::filesystem::path& dir, std::string_view scenario,
                             const std::vector<event>& events);
// Writes DIR/<scenario>.trace.jsonl and DIR/<scenario>.timeline.txt (the
// narrated timeline, no colours, then `tail`: expectation and summary
// lines).  Byte-stable: the same events give the same bytes.  file_error on failure.
void update_golden(const std::filesystem::path& dir, std::string_view scenario, const std::vector<event>& events,
                   const std::vector<std::string>& tail = {});

// compare_golden() as a run goes: a sink that compares each event's line
// with the next line of DIR/<scenario>.trace.jsonl, read as it goes, so
// neither trace is ever held whole.  result() (after the run) says what
// compare_golden() would say.  file_error when the file exists but cannot
// be read.  (--update-golden streams with trace_writer.hpp.)
class golden_checker {
 public:
  golden_checker(sim::trace& tr, const std::filesystem::path& dir, std::string_view scenario);
  ~golden_checker();
  golden_checker(const golden_checker&) = delete;
  golden_checker& operator=(const golden_checker&) = delete;

  golden_result result();

 private:
  void on_event(const sim::event_view& e);
  bool next_golden(std::string& line);

  sim::trace& trace_;
  std::size_t sink_;
  bool listening_ = true;
  std::filesystem::path path_;
  std::unique_ptr<std::ifstream> golden_;  // null when there is no golden file
  bool golden_newline_ = true;             // the last golden line read ended with '\n'
  std::size_t lines_ = 0;                  // run lines so far
  std::optional<golden_result> difference_;
  std::size_t run_extra_ = 0;              // run lines after the golden file ended
  std::string first_extra_, run_line_, golden_line_;
};

}  // namespace sim::report
