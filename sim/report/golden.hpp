// sim/report/golden.hpp - approved traces (`mailsim check --golden DIR`, cli.md).
//
// A golden file DIR/<scenario>.trace.jsonl is a trace a person approved.  A
// run matches it only when every line is byte-identical; the first
// difference is described on one line.  `--update-golden` rewrites it, with
// the narrated timeline DIR/<scenario>.timeline.txt beside it for review.
#pragma once

#include <filesystem>
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

}  // namespace sim::report
